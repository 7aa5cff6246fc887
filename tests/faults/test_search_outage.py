"""The search engine unreachable, under the production serving set-up: MEILISEARCH_URL
points at a port where nothing listens. tests/learning/test_site_search_engines.py covers
the fallback inside one process; here a real gunicorn serves it, a member writes while
the engine is gone (the index update fails, the write must not), and the new post is
found through the database fallback, which the page and /health/ admit."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from community import services
from community.models import ForumCategory
from community.services import forum
from tests.faults.conftest import csrf_token, free_port, signed_in

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOTICE = "De zoekmachine is nu niet bereikbaar"


def test_with_the_search_engine_unreachable_writes_succeed_and_search_falls_back(
    served_database, platform
):
    ans = services.register_member(
        None, email="ans@example.org", password="Proef-wachtwoord-2026", email_verified=True
    )
    category = ForumCategory.objects.create(name="Wat werkt", slug="wat-werkt")
    thread = forum.start_thread(
        ans, title="Buurtkamers die werken", body="Wie heeft ervaring?", category=category
    )
    path = reverse("community:plein_thread", args=[thread.pk])
    member = signed_in(ans)
    database = served_database()
    web = platform(
        "wsgi",
        {
            "DATABASE_URL": database.url,
            "REDIS_URL": "",
            "MEILISEARCH_URL": f"http://127.0.0.1:{free_port()}",
            "MEILISEARCH_KEY": "sleutel-van-zestien-tekens",
        },
    )

    # Writing: the index update cannot reach the engine; the reply is stored all the same.
    token = csrf_token(member, web.url + path)
    response = member.post(
        web.url + path,
        data={
            "body": "De sleutelbos van de wijkpost hangt bij de bibliotheek",
            "csrfmiddlewaretoken": token,
        },
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302
    assert database.rows(
        "SELECT count(*) FROM community_post WHERE body LIKE %s", ("%sleutelbos%",)
    ) == [(1,)]

    # Searching: the database answers at once, with the new reply, and says so.
    for url in ("/zoeken/", "/plein/zoeken/"):
        started = time.perf_counter()
        page = member.get(web.url + url, params={"q": "sleutelbos"}, timeout=30)
        elapsed = time.perf_counter() - started
        assert page.status_code == 200, url
        assert "sleutelbos" in page.text.lower(), url
        assert elapsed < 3, f"{url} took {elapsed:.1f} s"
    site = member.get(web.url + "/zoeken/", params={"q": "sleutelbos"}, timeout=30).text
    assert NOTICE in site
    assert "Buurtkamers die werken" in site

    health = member.get(web.url + "/health/", timeout=30)
    assert health.status_code == 503
    assert health.json()["failing"] == ["search"]
