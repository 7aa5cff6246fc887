"""Search in a forum (/plein/zoeken/, /reizen/<slug>/forum/zoeken/) and @mention
suggestions: both only ever show what the asker may read."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community import forum_search
from community.models import ForumCategory
from community.services import forum
from journeys.models import Journey

pytestmark = pytest.mark.django_db

PLEIN_SEARCH = "/plein/zoeken/"
BESLOTEN = Journey.Visibility.BESLOTEN


@pytest.fixture
def category(db):
    return ForumCategory.objects.create(name="Vragen aan elkaar", slug="vragen-aan-elkaar")


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    # These tests write many posts at once; the per-minute limit has tests of its own.
    settings.FORUM_POSTS_PER_MINUTE = 10_000


def titles(response) -> list[str]:
    return [hit.thread.title for hit in response.context["hits"]]


def journey_search(journey) -> str:
    return f"/reizen/{journey.slug}/forum/zoeken/"


# --- Finding -------------------------------------------------------------------------------


def test_plein_search_finds_threads_by_title_and_posts_by_text(
    client, trainer, professional, category
):
    thread = forum.start_thread(
        trainer,
        category=category,
        title="Buurtkamer in de bibliotheek",
        body="Een plek om binnen te lopen.",
    )
    forum.reply(professional, thread, body="Bij ons werkt een vaste vrijwilliger bij de deur.")
    forum.start_thread(trainer, category=category, title="Iets anders", body="Over de training.")
    client.force_login(professional)

    by_title = client.get(PLEIN_SEARCH, {"q": "buurtkamer"})
    by_text = client.get(PLEIN_SEARCH, {"q": "vrijwilliger"})

    assert by_title.status_code == 200
    assert titles(by_title) == ["Buurtkamer in de bibliotheek"]
    assert by_title.context["hits"][0].matched_title
    assert titles(by_text) == ["Buurtkamer in de bibliotheek"]
    hit = by_text.context["hits"][0]
    assert hit.post.number == 2
    assert hit.url.endswith("#bericht-2")
    assert f'href="{hit.url}"' in by_text.content.decode()
    assert "vaste vrijwilliger" in hit.snippet
    assert not by_text.context["search_failed"]


def test_a_thread_is_found_by_its_tag(client, trainer, category):
    forum.start_thread(
        trainer, category=category, title="Koffieochtend", body="Elke dinsdag.", tags=["ouderen"]
    )
    client.force_login(trainer)
    assert titles(client.get(PLEIN_SEARCH, {"q": "ouderen"})) == ["Koffieochtend"]


def test_journey_search_finds_the_journeys_threads_only(
    client, make_journey, reisbegeleider, professional, category
):
    journey = make_journey()
    other = make_journey("Een andere reis")
    forum.start_thread(reisbegeleider, journey=journey, title="Planning", body="De foto is af.")
    forum.start_thread(reisbegeleider, journey=other, title="Planning elders", body="De foto.")
    forum.start_thread(professional, category=category, title="Foto op het plein", body="Foto.")
    client.force_login(professional)

    response = client.get(journey_search(journey), {"q": "foto"})

    assert response.status_code == 200
    assert titles(response) == ["Planning"]
    assert response.context["tab"] == "forum"


def test_journey_threads_never_show_on_the_plein_search(
    client, make_journey, reisbegeleider, professional, category
):
    journey = make_journey(visibility=BESLOTEN)
    forum.start_thread(
        reisbegeleider, journey=journey, title="Geheim overleg", body="Over de begroting."
    )
    # Even for a member of the journey: the plein's search is the plein's.
    client.force_login(professional)
    assert titles(client.get(PLEIN_SEARCH, {"q": "begroting"})) == []
    assert titles(client.get(PLEIN_SEARCH, {"q": "geheim"})) == []


def test_a_besloten_journeys_forum_search_is_404_for_others_and_finds_for_members(
    client, make_journey, reisbegeleider, professional, trainer
):
    journey = make_journey(visibility=BESLOTEN)
    forum.start_thread(
        reisbegeleider, journey=journey, title="Geheim overleg", body="Over de begroting."
    )
    client.force_login(trainer)
    assert client.get(journey_search(journey), {"q": "begroting"}).status_code == 404
    client.logout()
    assert client.get(journey_search(journey), {"q": "begroting"}).status_code == 404
    client.force_login(professional)
    assert titles(client.get(journey_search(journey), {"q": "begroting"})) == ["Geheim overleg"]
    # What the search module itself returns for an outsider: nothing.
    assert forum_search.search(trainer, "begroting", journey=journey).keys == []


def test_hidden_threads_and_deleted_posts_are_found_by_moderators_only(
    client, trainer, professional, beheerder, category
):
    hidden = forum.start_thread(trainer, category=category, title="Ruzie", body="Over de kantine.")
    forum.set_thread_flag(beheerder, hidden, flag="hidden", value=True)
    shown = forum.start_thread(trainer, category=category, title="Kantine", body="Open.")
    gone = forum.reply(professional, shown, body="De kantine sluit om vijf uur.")
    forum.delete_post(professional, gone)

    client.force_login(professional)
    found = client.get(PLEIN_SEARCH, {"q": "kantine"})
    assert titles(found) == ["Kantine"]
    assert [hit.post.number for hit in found.context["hits"]] == [1]

    client.force_login(beheerder)
    assert sorted(titles(client.get(PLEIN_SEARCH, {"q": "kantine"}))) == ["Kantine", "Ruzie"]


def test_search_falls_back_to_the_database_and_says_so(
    client, trainer, professional, category, monkeypatch
):
    thread = forum.start_thread(trainer, category=category, title="Huisbezoek", body="Aanbellen.")
    forum.reply(professional, thread, body="Een vaste vrijwilliger bouwt vertrouwen op.")

    class Unreachable:
        """Stands in for a Meilisearch server that does not answer."""

        def search(self, *args, **kwargs):
            raise ConnectionError("search engine unreachable")

    monkeypatch.setattr("community.search.get_search_backend", lambda *args: Unreachable())
    client.force_login(professional)

    by_text = client.get(PLEIN_SEARCH, {"q": "vertrouwen"})
    by_title = client.get(PLEIN_SEARCH, {"q": "huisbezoek"})

    assert by_text.status_code == 200
    assert by_text.context["search_failed"]
    assert titles(by_text) == ["Huisbezoek"]
    assert titles(by_title) == ["Huisbezoek"]
    assert 'class="utrecht-alert utrecht-alert--warning" role="status"' in by_text.content.decode()


def test_the_fallback_respects_besloten_journeys_too(
    client, make_journey, reisbegeleider, trainer, monkeypatch
):
    journey = make_journey(visibility=BESLOTEN)
    forum.start_thread(reisbegeleider, journey=journey, title="Begroting", body="Geheim.")

    class Unreachable:
        def search(self, *args, **kwargs):
            raise ConnectionError("search engine unreachable")

    monkeypatch.setattr("community.search.get_search_backend", lambda *args: Unreachable())
    assert forum_search.search(trainer, "geheim", journey=journey).keys == []
    assert forum_search.search(trainer, "geheim").keys == []


def test_results_are_paginated_and_the_query_count_does_not_grow(
    client, trainer, professional, category
):
    thread = forum.start_thread(trainer, category=category, title="Lange draad", body="Begin.")
    for number in range(5):
        forum.reply(professional, thread, body=f"Bericht {number} over het wijkbudget.")
    client.force_login(professional)
    client.get(PLEIN_SEARCH, {"q": "wijkbudget"})  # warm-up: the header's cache

    with CaptureQueriesContext(connection) as few:
        response = client.get(PLEIN_SEARCH, {"q": "wijkbudget"})
    assert response.context["page"].paginator.count == 5

    for number in range(5, 45):
        forum.reply(professional, thread, body=f"Bericht {number} over het wijkbudget.")
    with CaptureQueriesContext(connection) as many:
        first = client.get(PLEIN_SEARCH, {"q": "wijkbudget"})
    second = client.get(PLEIN_SEARCH, {"q": "wijkbudget", "pagina": 2})

    assert first.context["page"].paginator.count == 45
    assert len(first.context["hits"]) == 20
    assert len(second.context["hits"]) == 20
    assert 'href="?q=wijkbudget&amp;pagina=2"' in first.content.decode()
    # A hit links to the thread page its post is on (20 posts a page).
    later = {hit.post.number: hit.url for hit in first.context["hits"] + second.context["hits"]}
    assert any(
        url.endswith(f"?pagina=2#bericht-{number}") for number, url in later.items() if number > 20
    )
    assert len(many) == len(few)


def test_the_plein_search_asks_visitors_to_sign_in(client):
    response = client.get(PLEIN_SEARCH, {"q": "iets"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_script_in_a_title_and_in_the_query_renders_inert(client, trainer, category):
    forum.start_thread(
        trainer, category=category, title="<script>alert(1)</script> plan", body="<b>plan</b>"
    )
    client.force_login(trainer)
    found = client.get(PLEIN_SEARCH, {"q": "plan"}).content.decode()
    echoed = client.get(PLEIN_SEARCH, {"q": "<script>alert(2)</script>"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; plan" in found
    assert "<b>" not in found
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in echoed
    assert "<script>alert(" not in found + echoed


def test_an_empty_query_shows_the_box_and_no_results(client, trainer):
    client.force_login(trainer)
    response = client.get(PLEIN_SEARCH)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="search"' in html
    assert 'name="q"' in html
    assert response.context["hits"] == []


# --- @mention suggestions ------------------------------------------------------------------


def suggestions(client, thread, q: str):
    return client.get(f"/forum/{thread.pk}/vermelden/", {"q": q})


def test_mention_suggestions_list_readers_by_handle_or_name(
    client, make_journey, reisbegeleider, professional, inwoner
):
    journey = make_journey(visibility=BESLOTEN)
    thread = forum.start_thread(reisbegeleider, journey=journey, title="Hallo", body="Hoi.")
    client.force_login(professional)

    by_handle = suggestions(client, thread, "ro").json()
    by_name = suggestions(client, thread, "ILSE").json()
    by_last_name = suggestions(client, thread, "bakk").json()

    assert by_handle == [{"handle": "rosa-verhoeven", "name": "Rosa Verhoeven"}]
    assert by_name == [{"handle": "ilse-bakker", "name": "Ilse Bakker"}]
    assert by_last_name == by_name


def test_mention_suggestions_leave_out_who_cannot_read_a_besloten_thread(
    client, make_journey, reisbegeleider, professional, trainer
):
    journey = make_journey(visibility=BESLOTEN)
    thread = forum.start_thread(reisbegeleider, journey=journey, title="Hallo", body="Hoi.")
    client.force_login(professional)
    handles = [person["handle"] for person in suggestions(client, thread, "").json()]
    assert "tessa-jansen" not in handles  # the trainer is not a member
    assert "rosa-verhoeven" in handles
    assert "pieter-de-wit" not in handles  # not yourself
    assert suggestions(client, thread, "tes").json() == []


def test_mention_suggestions_are_404_for_a_thread_you_cannot_read(
    client, make_journey, reisbegeleider, trainer, beheerder, category
):
    journey = make_journey(visibility=BESLOTEN)
    thread = forum.start_thread(reisbegeleider, journey=journey, title="Hallo", body="Hoi.")
    client.force_login(trainer)
    assert suggestions(client, thread, "ro").status_code == 404
    hidden = forum.start_thread(trainer, category=category, title="Weg", body="Straks verborgen.")
    forum.set_thread_flag(beheerder, hidden, flag="hidden", value=True)
    assert suggestions(client, hidden, "ro").status_code == 404
    client.logout()
    assert suggestions(client, thread, "ro").status_code == 404


def test_mention_suggestions_are_at_most_eight(client, trainer, make_member, category):
    for number in range(12):
        make_member(f"lid{number}@example.org", first_name="Anna", last_name=f"Lid {number}")
    thread = forum.start_thread(trainer, category=category, title="Plein", body="Hoi.")
    client.force_login(trainer)
    found = suggestions(client, thread, "anna").json()
    assert len(found) == 8
    assert all(person["name"].startswith("Anna") for person in found)


def test_mention_suggestions_for_a_new_thread_follow_the_space(
    client, make_journey, professional, trainer
):
    journey = make_journey(visibility=BESLOTEN)
    client.force_login(professional)
    in_journey = client.get("/forum/vermelden/", {"reis": journey.slug, "q": "t"}).json()
    on_plein = client.get("/forum/vermelden/", {"q": "t"}).json()
    assert "tessa-jansen" not in [person["handle"] for person in in_journey]
    assert "tessa-jansen" in [person["handle"] for person in on_plein]
    client.force_login(trainer)
    assert client.get("/forum/vermelden/", {"reis": journey.slug, "q": "r"}).status_code == 404
    client.logout()
    assert client.get("/forum/vermelden/", {"q": "t"}).status_code == 404


@pytest.mark.parametrize("term", ['"', "*", "AND", "-", "(", "NOT OR", "x" * 300, "é€😀"])
def test_odd_queries_answer_without_error(client, trainer, category, term):
    forum.start_thread(trainer, category=category, title="Gewoon", body="Tekst.")
    client.force_login(trainer)
    assert client.get(PLEIN_SEARCH, {"q": term}).status_code == 200
