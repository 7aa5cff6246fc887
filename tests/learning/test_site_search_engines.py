"""The engines behind /zoeken/. One contract (results, permissions, counts, an index that
stays current) runs on the database backend (SQLite FTS5 or PostgreSQL full text, as
DATABASE_URL says) and on Meilisearch when MEILISEARCH_URL is set. Then the fallback
against a port where nothing listens and a server that never answers, Dutch stemming on
PostgreSQL, and the Meilisearch adapter's filters and timeouts, which need no server."""

from __future__ import annotations

import os
import socket
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.search.backends import get_search_backend

from community.models import Post, Thread
from community.search import engine_ids
from community.services import forum
from config.settings import components
from journeys import services as journey_services
from journeys.models import Journey
from learning.site_search import meilisearch_backend
from learning.site_search.meilisearch_backend import SearchBackend
from tests.learning.test_site_search import (  # noqa: F401  (fixtures)
    URL,
    WORD,
    _no_rate_limit,
    category,
    counts,
    found,
    kennisbank,
    world,
)

pytestmark = pytest.mark.django_db

MEILISEARCH_URL = os.environ.get("MEILISEARCH_URL", "")
NOTICE = "De zoekmachine is nu niet bereikbaar"
Visibility = Journey.Visibility


# --- The engines ---------------------------------------------------------------------------


class DatabaseEngine:
    name = "database"

    def sync(self) -> None:
        """Saving indexes at once (the immediate task backend runs the index task)."""


class MeilisearchEngine:
    """A real Meilisearch server. Its indexes are emptied before each test: point
    MEILISEARCH_URL at a server for tests only."""

    name = "meilisearch"

    def __init__(self) -> None:
        self.client = get_search_backend().client

    def wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            pending = self.client.get_tasks({"statuses": ["enqueued", "processing"]})
            if not pending.results:
                return
            time.sleep(0.05)
        raise AssertionError("Meilisearch did not finish its tasks in 30 s")

    def clear(self) -> None:
        for index in self.client.get_indexes({"limit": 1000})["results"]:
            self.client.delete_index(index.uid)
        self.wait()

    def sync(self) -> None:
        """The filterable attributes come with update_index; then wait for the engine."""
        call_command("update_index", stdout=StringIO())
        self.wait()


@pytest.fixture(params=["database", "meilisearch"])
def engine(request, settings):
    if request.param == "database":
        return DatabaseEngine()
    if not MEILISEARCH_URL:
        pytest.skip(
            "MEILISEARCH_URL is not set: no Meilisearch server to run the contract against "
            "(none can be installed on these machines)"
        )
    settings.WAGTAILSEARCH_BACKENDS = components.search_backends(
        MEILISEARCH_URL, os.environ.get("MEILISEARCH_KEY", "")
    )
    meili = MeilisearchEngine()
    meili.clear()
    return meili


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- The contract, on every engine ---------------------------------------------------------


@pytest.mark.usefixtures("world")
def test_each_type_is_found_and_outsiders_never_see_a_besloten_journey(
    client, engine, professional, trainer
):
    engine.sync()
    client.force_login(professional)
    member = client.get(URL, {"q": WORD})
    client.force_login(trainer)
    outsider = client.get(URL, {"q": WORD})

    assert not member.context["search_failed"]
    assert not outsider.context["search_failed"]
    assert {kind: sorted(titles) for kind, titles in found(member).items()} == {
        "paginas": ["Een buurtkamer in elke wijk"],
        "reizen": ["Geheime werkgroep", "Samen in Oosterwaard"],
        "onderwerpen": ["Ervaringen met een buurtkamer", "Huur van de buurtkamer"],
        "berichten": ["Ervaringen met een buurtkamer", "Huur van de buurtkamer"],
        "bijeenkomsten": ["Buurtkamer inrichten", "Buurtkamer-avond voor het netwerk"],
    }
    assert found(outsider) == {
        "paginas": ["Een buurtkamer in elke wijk"],
        "reizen": ["Samen in Oosterwaard"],
        "onderwerpen": ["Ervaringen met een buurtkamer"],
        "berichten": ["Ervaringen met een buurtkamer"],
        "bijeenkomsten": ["Buurtkamer-avond voor het netwerk"],
    }
    assert sum(counts(outsider).values()) == outsider.context["total"] == 5
    assert "Geheime werkgroep" not in outsider.content.decode()


@pytest.mark.usefixtures("world")
def test_every_word_must_match(client, engine, professional):
    engine.sync()
    client.force_login(professional)
    assert found(client.get(URL, {"q": "buurtkamer ouderen"})) == {
        "reizen": ["Samen in Oosterwaard"]
    }
    assert found(client.get(URL, {"q": "buurtkamer olifant"})) == {}


def test_saving_and_deleting_keep_the_index_current(
    engine,
    personas,
    make_journey,
    category,  # noqa: F811
):
    rosa = personas["reisbegeleider"]
    journey = make_journey("Voedselbank in de wijk", visibility=Visibility.NETWERK)
    thread = forum.start_thread(rosa, category=category, title="Pakketten", body="Over pakketten.")
    engine.sync()

    def ids(term: str, queryset) -> list[int]:
        if engine.name == "meilisearch":
            engine.wait()
        return engine_ids(term, queryset) or []

    assert ids("voedselbank", Journey.objects.all()) == [journey.pk]
    journey_services.update_journey(rosa, journey, title="Kledingbank in de wijk")
    assert ids("voedselbank", Journey.objects.all()) == []
    assert ids("kledingbank", Journey.objects.all()) == [journey.pk]
    post_pk = thread.posts.get().pk
    assert ids("pakketten", Post.objects.all()) == [post_pk]
    thread.delete()  # its posts go with it
    assert ids("pakketten", Thread.objects.all()) == []
    assert ids("pakketten", Post.objects.all()) == []


@pytest.mark.usefixtures("world")
def test_update_index_rebuilds_what_the_engine_lost(client, engine, professional):
    engine.sync()
    if engine.name == "database":
        from wagtail.search.models import IndexEntry

        IndexEntry.objects.all().delete()
    else:
        engine.clear()
    assert engine_ids(WORD, Journey.objects.all()) == []

    call_command("update_index", stdout=StringIO())
    engine.sync()

    client.force_login(professional)
    assert sorted(found(client.get(URL, {"q": WORD}))["reizen"]) == [
        "Geheime werkgroep",
        "Samen in Oosterwaard",
    ]


def test_dutch_stemming_finds_wijk_when_you_search_wijken(client, engine, make_journey):
    if engine.name == "meilisearch":
        pytest.skip("Meilisearch does not stem words; it matches prefixes and typos instead")
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's full-text search (FTS5) does not stem: Dutch stemming needs PostgreSQL"
        )
    make_journey("Samen sterk", visibility=Visibility.OPENBAAR, challenge="Eenzaamheid in de wijk")
    response = client.get(URL, {"q": "wijken"})
    assert found(response)["reizen"] == ["Samen sterk"]
    assert "<mark>wijk</mark>" in response.content.decode()


# --- When the engine fails -----------------------------------------------------------------


@pytest.mark.parametrize(
    "backend", ["learning.site_search.meilisearch_backend", "wagtail_meilisearch.backend"]
)
@pytest.mark.usefixtures("world")
def test_an_engine_where_nothing_listens_falls_back_to_the_database_and_says_so(
    client, settings, trainer, backend
):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": backend,
            "HOST": "http://127.0.0.1",
            "PORT": str(closed_port()),
            "MASTER_KEY": "sleutel",
        }
    }
    client.force_login(trainer)
    started = time.perf_counter()
    response = client.get(URL, {"q": WORD})
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert response.context["search_failed"]
    assert NOTICE in response.content.decode()
    assert 'class="utrecht-alert utrecht-alert--warning" role="status"' in response.content.decode()
    # The database answers, with the same permissions.
    assert found(response)["reizen"] == ["Samen in Oosterwaard"]
    assert found(response)["onderwerpen"] == ["Ervaringen met een buurtkamer"]
    assert "Geheime werkgroep" not in response.content.decode()
    assert elapsed < 2, f"the fallback took {elapsed:.2f} s"


@pytest.mark.usefixtures("world")
def test_an_engine_that_never_answers_is_given_up_on_after_the_search_timeout(
    client, settings, professional
):
    # A socket that accepts connections and never says a word.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    try:
        settings.WAGTAILSEARCH_BACKENDS = components.search_backends(
            f"http://127.0.0.1:{silent.getsockname()[1]}", "sleutel"
        )
        client.force_login(professional)
        started = time.perf_counter()
        response = client.get(URL, {"q": WORD})
        elapsed = time.perf_counter() - started
    finally:
        silent.close()

    assert response.status_code == 200
    assert response.context["search_failed"]
    assert "Geheime werkgroep" in found(response)["reizen"]
    # One read timeout (1 s), not one per type: after a failure the database answers.
    read_timeout = meilisearch_backend.SEARCH_TIMEOUT[1]
    assert read_timeout <= elapsed < read_timeout + 1.5, f"took {elapsed:.2f} s"


@pytest.mark.usefixtures("world")
def test_the_fallback_keeps_every_permission(client, trainer, monkeypatch):
    class Broken:
        def search(self, *args, **kwargs):
            raise ConnectionError("search engine unreachable")

    monkeypatch.setattr("community.search.get_search_backend", lambda *args: Broken())
    client.force_login(trainer)
    response = client.get(URL, {"q": WORD})
    assert response.context["search_failed"]
    assert response.context["total"] == 5
    assert "Huur van de buurtkamer" not in response.content.decode()
    client.logout()
    visitor = client.get(URL, {"q": WORD})
    assert set(found(visitor)) == {"paginas", "reizen"}


# --- The Meilisearch adapter, without a server ---------------------------------------------


@pytest.fixture
def adapter() -> SearchBackend:
    return SearchBackend({"HOST": "http://127.0.0.1", "PORT": str(closed_port()), "MASTER_KEY": ""})


def expression(backend: SearchBackend, queryset) -> str | None:
    return backend.search("buurt", queryset).query_compiler.meilisearch_filter()


def test_filters_on_filter_fields_become_a_meilisearch_filter(adapter):
    from wagtail.models import Page

    assert expression(adapter, Page.objects.live()) == 'live_filter = "True"'
    assert expression(adapter, Post.objects.filter(deleted_at__isnull=True)) == (
        "deleted_at_filter IS EMPTY"
    )
    assert (
        expression(adapter, Thread.objects.filter(is_hidden=False)) == "is_hidden_filter IS EMPTY"
    )
    assert (
        expression(adapter, Post.objects.filter(thread_id__in=[1, 2], deleted_at__isnull=True))
        == '(deleted_at_filter IS EMPTY) AND (thread_id_filter IN ["1", "2"])'
    )
    assert expression(adapter, Journey.objects.exclude(visibility="besloten")) == (
        'NOT (visibility_filter = "besloten")'
    )
    # Quotes in a value cannot break out of the expression.
    assert expression(adapter, Journey.objects.filter(phase='x" OR id_filter > "0')) == (
        'phase_filter = "x\\" OR id_filter > \\"0"'
    )
    # What Meilisearch cannot compare is left to the database, which filters again.
    assert expression(adapter, Page.objects.filter(depth__gt=1)) is None
    assert expression(adapter, Page.objects.live().filter(depth__gt=1)) == 'live_filter = "True"'
    assert expression(adapter, Journey.objects.all()) is None


class FakeIndex:
    def __init__(self, uid: str, facets: dict | None = None):
        self.uid = uid
        self.facets = facets or {}
        self.searches: list[tuple[str, dict]] = []

    def search(self, query: str, params: dict) -> dict:
        self.searches.append((query, params))
        return {"hits": [], "facetDistribution": self.facets}


class FakeClient:
    """Answers like Meilisearch: the indexes, and the hits given, best first."""

    def __init__(self, hits: list[tuple[int, float]], indexes: list[FakeIndex]):
        self.hits = hits
        self.indexes = {index.uid: index for index in indexes}
        self.queries: list[dict] = []

    def get_indexes(self, params):
        return {"results": list(self.indexes.values())}

    def multi_search(self, queries):
        self.queries.extend(queries)
        hits = [{"id": pk, "_rankingScore": score} for pk, score in self.hits]
        return {"results": [{"indexUid": query["indexUid"], "hits": hits} for query in queries]}

    def index(self, uid):
        return self.indexes[uid]


def test_the_adapter_asks_for_every_word_in_the_filtered_set_and_rechecks_in_the_database(
    adapter, make_journey
):
    shown = make_journey("Open reis", visibility=Visibility.OPENBAAR)
    hidden = make_journey("Besloten reis", visibility=Visibility.BESLOTEN)
    fake = FakeClient([(hidden.pk, 0.9), (shown.pk, 0.5)], [FakeIndex("journeys-Journey")])
    adapter.__dict__["search_client"] = fake

    results = adapter.search(
        "reis", Journey.objects.filter(visibility=Visibility.OPENBAAR), operator="and"
    )
    assert [journey.pk for journey in results[:10]] == [shown.pk]

    (query,) = fake.queries
    assert query["indexUid"] == "journeys-Journey"
    assert query["q"] == "reis"
    assert query["filter"] == '(visibility_filter = "openbaar")'
    assert query["matchingStrategy"] == "all"
    assert query["limit"] == 10  # only the window the caller asked for


def test_facet_counts_obey_the_same_filters(adapter):
    index = FakeIndex("journeys-Journey", {"phase_filter": {"verkennen": 3, "reiswens": 5}})
    adapter.__dict__["search_client"] = FakeClient([], [index])

    facets = adapter.search("reis", Journey.objects.filter(visibility="netwerk")).facet("phase")

    assert list(facets.items()) == [("reiswens", 5), ("verkennen", 3)]
    (query, params) = index.searches[0]
    assert query == "reis"
    assert params["facets"] == ["phase_filter"]
    assert params["filter"] == '(visibility_filter = "netwerk")'


def test_searches_and_index_updates_have_timeouts(adapter):
    assert adapter.search_client.config.timeout == meilisearch_backend.SEARCH_TIMEOUT
    assert adapter.client.config.timeout == meilisearch_backend.INDEX_TIMEOUT
    assert meilisearch_backend.SEARCH_TIMEOUT[0] <= 0.3  # connect: fall back within 300 ms


# --- The title weight on PostgreSQL's database backend ---------------------------------------


def _title_norms(model) -> dict[int, tuple[float, int]]:
    from django.contrib.contenttypes.models import ContentType
    from django.db.models.functions import Length
    from wagtail.search.models import IndexEntry

    rows = (
        IndexEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
        .annotate(words=Length("title"))
        .values_list("object_id", "title_norm", "words")
    )
    return {int(pk): (norm, words) for pk, norm, words in rows}


def test_a_saved_title_is_weighted_against_the_average_without_rereading_the_index(
    make_journey,
):
    """The weight that ranks a title match (average title length / this title's length)
    is set at once on save; the average is kept, not recomputed over every entry."""
    if connection.vendor != "postgresql":
        pytest.skip("title weights belong to PostgreSQL's database backend")
    from django.test.utils import CaptureQueriesContext

    make_journey("Voedselbank in de wijk van de stad", visibility=Visibility.NETWERK)
    call_command("update_index", stdout=StringIO())  # the exact average, kept
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT avg(length(title)) FROM wagtailsearch_indexentry WHERE length(title) > 0"
        )
        (average,) = cursor.fetchone()
    with CaptureQueriesContext(connection) as saved:
        short = make_journey("Moestuin", visibility=Visibility.NETWERK)
    average_scans = [q["sql"] for q in saved if "avg(" in q["sql"].lower()]
    assert average_scans == []
    norms = _title_norms(Journey)
    norm, words = norms[short.pk]
    assert norm == pytest.approx(float(average) / words)
    assert norm > 1  # shorter than the average: a match in it weighs more


def test_a_common_word_is_ranked_among_the_newest_matches_only(make_journey):
    """On PostgreSQL's database backend the story archive ranks only the newest matches
    of a word (community.search, recent_window): ranking all of them is too slow at
    scale."""
    if connection.vendor != "postgresql":
        pytest.skip("the ranking window belongs to PostgreSQL's database backend")
    made = [
        make_journey(f"Voedselbank {name}", visibility=Visibility.NETWERK)
        for name in ("Noord", "Oost", "Zuid", "West")
    ]
    everything = engine_ids("voedselbank", Journey.objects.all(), limit=10)
    assert sorted(everything) == sorted(j.pk for j in made)
    newest = engine_ids("voedselbank", Journey.objects.all(), limit=10, recent_window=2)
    assert sorted(newest) == sorted(j.pk for j in made[-2:])
