"""/health/ tells an operator (and a container orchestrator) which component is down."""

import pytest

from config.settings import components

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1

pytestmark = pytest.mark.django_db


def test_health_answers_200_json_when_every_component_is_well(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "cache", "channel_layer", "search", "tasks"}
    assert all(check["status"] == "ok" for check in body["checks"].values())


def test_health_names_an_unreachable_cache_and_answers_503(client, settings):
    settings.CACHES = components.cache(CLOSED_PORT_REDIS)
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["cache"]
    assert body["checks"]["cache"]["status"] == "fail"
    # The kind of error, never its message (which can hold hosts or credentials).
    assert "127.0.0.1" not in response.content.decode()


def test_health_names_an_unreachable_channel_layer_and_answers_503(client, settings):
    settings.CHANNEL_LAYERS = components.channel_layers(CLOSED_PORT_REDIS, max_connections=5)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["channel_layer"]


def test_health_names_an_unreachable_search_engine_and_answers_503(client, settings):
    # A real Meilisearch cannot run here; a closed port is a real, unmocked failure.
    settings.WAGTAILSEARCH_BACKENDS = components.search_backends("http://127.0.0.1:1", "key")
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["search"]


def test_health_reports_the_database_task_queue_when_production_uses_it(client, settings):
    settings.TASKS = components.tasks("database")
    body = client.get("/health/").json()
    assert body["checks"]["tasks"] == {**body["checks"]["tasks"], "status": "ok"}
    assert body["checks"]["tasks"]["backend"] == "DatabaseBackend"


def test_health_refuses_writes(client):
    assert client.post("/health/").status_code == 405
