"""Site-wide search at /zoeken/: one box across pages, journeys, forum threads and posts
and events; only what the asker may see, in the hits and in the counts; highlighted,
filtered by type, paginated, and calm about odd input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Page, PageViewRestriction

from community.models import Event, ForumCategory
from community.services import events, forum
from community.services.events import EventDetails
from journeys.models import Journey
from learning.models import HomePage, KnowledgeIndexPage, WorkingElementPage

pytestmark = pytest.mark.django_db

URL = "/zoeken/"
WORD = "buurtkamer"
# The types this module builds; other providers (stories, board cards) may exist beside them.
BUILT_IN = ("paginas", "reizen", "onderwerpen", "berichten", "bijeenkomsten")
Visibility = Journey.Visibility
Restriction = PageViewRestriction


# --- Building a small world -----------------------------------------------------------------


def publish(page: Page) -> Page:
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def add_element(parent: Page, title: str, *, summary: str, live: bool = True) -> Page:
    element = parent.add_child(
        instance=WorkingElementPage(
            title=title, summary=summary, mechanism="<p>Buren zien elkaar.</p>", live=False
        )
    )
    if not live:
        element.save_revision()
        return element
    return publish(element)


def restrict(page: Page, kind: str, *, groups=(), password: str = "") -> None:
    restriction = Restriction.objects.create(page=page, restriction_type=kind, password=password)
    restriction.groups.set(groups)


def event_details(title: str, **fields) -> EventDetails:
    start = timezone.now() + timedelta(days=7)
    return EventDetails(
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        form=Event.Form.FYSIEK,
        address="Wijkcentrum De Linde",
        **fields,
    )


@dataclass
class World:
    kennisbank: Page
    element: Page
    open_journey: Journey
    secret: Journey
    category: ForumCategory


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.FORUM_POSTS_PER_MINUTE = 10_000


@pytest.fixture
def kennisbank(db) -> KnowledgeIndexPage:
    home = HomePage.objects.get()
    return publish(
        home.add_child(
            instance=KnowledgeIndexPage(title="Kennisbank", slug="kennisbank", live=False)
        )
    )


@pytest.fixture
def category(db) -> ForumCategory:
    return ForumCategory.objects.create(name="Vragen aan elkaar", slug="vragen-aan-elkaar")


@pytest.fixture
def world(personas, make_journey, kennisbank, category) -> World:
    """One of each type with the word "buurtkamer", in public and in a besloten journey."""
    rosa, bas = personas["reisbegeleider"], personas["beheerder"]
    element = add_element(
        kennisbank, "Een buurtkamer in elke wijk", summary="Een vaste plek waar buren binnenlopen."
    )
    add_element(kennisbank, "Buurtkamer in concept", summary="Nog niet af.", live=False)
    open_journey = make_journey(
        "Samen in Oosterwaard",
        visibility=Visibility.OPENBAAR,
        challenge="Een buurtkamer voor ouderen",
    )
    secret = make_journey(
        "Geheime werkgroep",
        visibility=Visibility.BESLOTEN,
        challenge="Een buurtkamer voor jongeren",
    )
    forum.start_thread(
        rosa, journey=secret, title="Huur van de buurtkamer", body="Wie betaalt de buurtkamer?"
    )
    events.create_event(rosa, event_details("Buurtkamer inrichten"), journey=secret)
    forum.start_thread(
        personas["professional"],
        category=category,
        title="Ervaringen met een buurtkamer",
        body="Wie heeft er al een buurtkamer geopend?",
    )
    events.create_event(bas, event_details("Buurtkamer-avond voor het netwerk"))
    return World(kennisbank, element, open_journey, secret, category)


def found(response) -> dict[str, list[str]]:
    """Type -> titles (without the marks) of the hits on the page."""
    titles: dict[str, list[str]] = {}
    for hit in response.context["hits"]:
        titles.setdefault(hit.kind, []).append(strip_tags(hit.title))
    return titles


def counts(response) -> dict[str, int]:
    return {kind["key"]: kind["count"] for kind in response.context["kinds"]}


# --- Finding, and only what you may see ----------------------------------------------------


def test_a_member_finds_every_type_of_their_besloten_journey(client, world, professional):
    client.force_login(professional)
    response = client.get(URL, {"q": WORD})

    assert response.status_code == 200
    assert not response.context["search_failed"]
    hits = found(response)
    assert hits["paginas"] == ["Een buurtkamer in elke wijk"]
    assert sorted(hits["reizen"]) == ["Geheime werkgroep", "Samen in Oosterwaard"]
    assert sorted(hits["onderwerpen"]) == [
        "Ervaringen met een buurtkamer",
        "Huur van de buurtkamer",
    ]
    assert sorted(hits["berichten"]) == ["Ervaringen met een buurtkamer", "Huur van de buurtkamer"]
    assert sorted(hits["bijeenkomsten"]) == [
        "Buurtkamer inrichten",
        "Buurtkamer-avond voor het netwerk",
    ]
    assert {key: counts(response)[key] for key in BUILT_IN} == {
        "paginas": 1,
        "reizen": 2,
        "onderwerpen": 2,
        "berichten": 2,
        "bijeenkomsten": 2,
    }


def test_a_besloten_journey_stays_out_of_hits_counts_and_page_for_outsiders(client, world, trainer):
    client.force_login(trainer)  # signed in, not a member
    response = client.get(URL, {"q": WORD})
    html = response.content.decode()

    hits = found(response)
    assert hits["reizen"] == ["Samen in Oosterwaard"]
    assert hits["onderwerpen"] == ["Ervaringen met een buurtkamer"]
    assert hits["berichten"] == ["Ervaringen met een buurtkamer"]
    assert hits["bijeenkomsten"] == ["Buurtkamer-avond voor het netwerk"]
    assert {key: counts(response)[key] for key in BUILT_IN} == {
        "paginas": 1,
        "reizen": 1,
        "onderwerpen": 1,
        "berichten": 1,
        "bijeenkomsten": 1,
    }
    for secret in ("Geheime werkgroep", "Huur van de", "Buurtkamer inrichten", "voor jongeren"):
        assert secret not in html
    # Asking for the type directly changes nothing.
    only_threads = client.get(URL, {"q": "huur", "soort": "onderwerpen"})
    assert found(only_threads) == {}
    assert counts(only_threads)["onderwerpen"] == 0


def test_a_visitor_finds_public_pages_and_journeys_only(client, world):
    response = client.get(URL, {"q": WORD})

    assert response.status_code == 200
    hits = found(response)
    assert hits == {"paginas": ["Een buurtkamer in elke wijk"], "reizen": ["Samen in Oosterwaard"]}
    # The plein and network-wide events are for members of the network.
    assert response.context["total"] == 2


def test_staff_find_besloten_journeys_too(client, world, beheerder):
    client.force_login(beheerder)
    hits = found(client.get(URL, {"q": WORD}))
    assert "Geheime werkgroep" in hits["reizen"]
    assert "Huur van de buurtkamer" in hits["onderwerpen"]


def test_drafts_and_restricted_pages_stay_hidden_from_who_may_not_see_them(
    client, kennisbank, personas, trainer, professional
):
    add_element(kennisbank, "Wijkkompas in concept", summary="Een concept.", live=False)
    members_only = add_element(kennisbank, "Wijkkompas voor leden", summary="Alleen met account.")
    trainers_only = add_element(kennisbank, "Wijkkompas voor trainers", summary="Trainers.")
    secret = add_element(kennisbank, "Wijkkompas met wachtwoord", summary="Geheim.")
    add_element(kennisbank, "Wijkkompas voor iedereen", summary="Openbaar.")
    restrict(members_only, Restriction.LOGIN)
    restrict(trainers_only, Restriction.GROUPS, groups=[Group.objects.get(name="Trainers")])
    restrict(secret, Restriction.PASSWORD, password="geheim")

    def pages(user=None) -> list[str]:
        client.logout()
        if user is not None:
            client.force_login(user)
        return sorted(found(client.get(URL, {"q": "wijkkompas"})).get("paginas", []))

    assert pages() == ["Wijkkompas voor iedereen"]
    assert pages(professional) == ["Wijkkompas voor iedereen", "Wijkkompas voor leden"]
    assert pages(trainer) == [
        "Wijkkompas voor iedereen",
        "Wijkkompas voor leden",
        "Wijkkompas voor trainers",
    ]


def test_hidden_threads_reach_moderators_only_and_deleted_posts_nobody(
    client, personas, category, professional, beheerder
):
    hidden = forum.start_thread(
        professional, category=category, title="Ruzie over de kantine", body="Boos."
    )
    forum.set_thread_flag(beheerder, hidden, flag="hidden", value=True)
    shown = forum.start_thread(professional, category=category, title="Kantine open", body="Ja.")
    gone = forum.reply(professional, shown, body="De kantine sluit vroeg, schreef ik.")
    forum.delete_post(professional, gone)

    client.force_login(professional)
    as_member = client.get(URL, {"q": "kantine"})
    assert found(as_member)["onderwerpen"] == ["Kantine open"]
    assert "berichten" not in found(as_member)

    client.force_login(beheerder)
    as_moderator = found(client.get(URL, {"q": "kantine"}))
    assert sorted(as_moderator["onderwerpen"]) == ["Kantine open", "Ruzie over de kantine"]
    assert "berichten" not in as_moderator  # deleted is deleted, for moderators too


# --- The page ------------------------------------------------------------------------------


def test_the_type_filter_shows_one_type_and_keeps_every_count(client, world, professional):
    client.force_login(professional)
    everything = client.get(URL, {"q": WORD})
    only_events = client.get(URL, {"q": WORD, "soort": "bijeenkomsten"})
    html = only_events.content.decode()

    assert set(found(only_events)) == {"bijeenkomsten"}
    assert counts(only_events) == counts(everything)
    assert 'aria-current="page">Bijeenkomsten' in html
    assert f'href="?q={WORD}&amp;soort=reizen"' in html
    assert '<input type="hidden" name="soort" value="bijeenkomsten">' in html
    # An unknown type (an old or edited link) searches everything.
    unknown = client.get(URL, {"q": WORD, "soort": "onbekend"})
    assert unknown.status_code == 200
    assert found(unknown) == found(everything)


def test_hits_show_a_highlighted_snippet_a_link_and_a_date(client, world, professional):
    client.force_login(professional)
    response = client.get(URL, {"q": WORD, "soort": "berichten"})
    html = response.content.decode()
    hit = next(hit for hit in response.context["hits"] if "Ervaringen" in hit.title)

    assert str(hit.snippet) == "Wie heeft er al een <mark>buurtkamer</mark> geopend?"
    assert hit.url.endswith("#bericht-1")
    assert f'href="{hit.url}"' in html
    assert "<time datetime=" in html
    assert "Bericht 1 · Plein · Vragen aan elkaar" in html


def test_script_in_content_and_in_the_query_renders_inert(client, category, trainer):
    forum.start_thread(
        trainer,
        category=category,
        title="<script>alert(1)</script> buurtkamer & co",
        body="<b>vet</b> buurtkamer",
    )
    client.force_login(trainer)
    found_page = client.get(URL, {"q": WORD}).content.decode()
    echoed = client.get(URL, {"q": "<script>alert(2)</script>"}).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>buurtkamer</mark> &amp; co" in found_page
    assert "<b>vet</b>" not in found_page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in echoed
    assert "<script>alert(" not in found_page + echoed


def test_results_are_paginated_and_keep_the_query(client, category, professional):
    thread = forum.start_thread(professional, category=category, title="Lange draad", body="Start.")
    for number in range(25):
        forum.reply(professional, thread, body=f"Bericht {number} over het wijkbudget.")
    client.force_login(professional)

    first = client.get(URL, {"q": "wijkbudget", "soort": "berichten"})
    second = client.get(URL, {"q": "wijkbudget", "soort": "berichten", "pagina": 2})

    assert first.context["page"].paginator.count == 25
    assert len(first.context["hits"]) == 20
    assert len(second.context["hits"]) == 5
    assert 'href="?q=wijkbudget&amp;soort=berichten&amp;pagina=2"' in first.content.decode()
    assert client.get(URL, {"q": "wijkbudget", "pagina": "zes"}).status_code == 200


def _build(personas, category, journey, kennisbank, number: int, start: int = 0) -> None:
    rosa = personas["reisbegeleider"]
    for n in range(start, start + number):
        add_element(kennisbank, f"Wijkbudget {n}", summary="Over het wijkbudget.")
        thread = forum.start_thread(
            rosa, category=category, title=f"Wijkbudget {n}", body="Het wijkbudget."
        )
        forum.reply(rosa, thread, body="Nog iets over het wijkbudget.")
        events.create_event(rosa, event_details(f"Wijkbudget {n}"), journey=journey)


def test_the_query_count_is_the_same_for_few_and_many_matches(
    client, personas, make_journey, kennisbank, category, professional
):
    journey = make_journey("Wijkbudget in Lindendal", visibility=Visibility.BESLOTEN)
    _build(personas, category, journey, kennisbank, 2)
    client.force_login(professional)
    client.get(URL, {"q": "wijkbudget"})  # warm-up: the site's root paths are cached

    with CaptureQueriesContext(connection) as few:
        small = client.get(URL, {"q": "wijkbudget"})
    _build(personas, category, journey, kennisbank, 28, start=2)
    client.get(URL, {"q": "wijkbudget"})  # publishing emptied the header's section cache
    with CaptureQueriesContext(connection) as many:
        large = client.get(URL, {"q": "wijkbudget"})

    assert small.context["total"] == 2 + 2 + 4 + 2 + 1  # pages, threads, posts, events, journey
    assert large.context["total"] == 30 + 30 + 60 + 30 + 1
    assert len(large.context["hits"]) == 20
    assert len(many) == len(few), "\n".join(query["sql"][:120] for query in many.captured_queries)


# --- Odd input -----------------------------------------------------------------------------


def test_a_query_of_a_thousand_characters_is_refused_with_a_dutch_message(client, world):
    response = client.get(URL, {"q": "buurtkamer " * 91})

    assert response.status_code == 400
    assert "Je zoekopdracht is te lang" in response.content.decode()
    assert response.context["hits"] == []


def test_operators_only_find_nothing_and_say_what_to_do(client, world):
    response = client.get(URL, {"q": 'AND OR NOT ( ) * " -'})

    assert response.status_code == 200
    assert "Typ een of meer woorden" in response.content.decode()
    assert response.context["hits"] == []


def test_an_empty_query_shows_the_box_and_no_results(client, world):
    for params in ({}, {"q": ""}, {"q": "   "}, {"soort": "reizen"}):
        response = client.get(URL, params)
        html = response.content.decode()
        assert response.status_code == 200
        assert 'role="search"' in html
        assert 'name="q"' in html
        assert response.context["hits"] == []


def test_nul_bytes_and_control_characters_are_dropped(client, world):
    response = client.get(URL, {"q": "buurt\x00kamer\x07"})
    assert response.status_code == 200
    assert found(response)["reizen"] == ["Samen in Oosterwaard"]
    assert "\x00" not in response.content.decode()


@pytest.mark.parametrize(
    "term",
    ['"', "*", "-", "(", ")", "NOT OR", "buurtkamer*", '"buurtkamer', "é€😀", "x" * 200, "'; --"],
)
def test_odd_queries_answer_without_error(client, world, term):
    assert client.get(URL, {"q": term}).status_code == 200


def test_the_page_only_answers_get(client):
    assert client.post(URL, {"q": WORD}).status_code == 405


# --- The header's search box ---------------------------------------------------------------


def test_every_page_has_a_search_box_in_the_header_but_the_search_page(client, world):
    html = client.get("/reizen/").content.decode()
    assert 'action="/zoeken/"' in html
    assert 'role="search" aria-label="Zoeken op het platform"' in html
    assert '<label class="platform-visually-hidden" for="platform-zoekterm">' in html
    # The search page has its own box, not a second one.
    search_page = client.get(URL).content.decode()
    assert 'id="platform-zoekterm"' not in search_page
    assert search_page.count('role="search"') == 1
