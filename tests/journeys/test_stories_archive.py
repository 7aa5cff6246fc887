"""The archive at /verhalen/: facets whose counts match what choosing them shows,
search (with Dutch stemming on PostgreSQL and a fallback when the engine fails),
sorting, pagination, shareable addresses, bad input, and a query count that does not
grow with the number of stories."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag, TaggedItem
from wagtail.search import index

from community.models import Organisation
from journeys.models import Journey, Story, StorySignifier, StorySlider, StorySliderValue
from journeys.stories import services, tally
from tests.journeys.test_stories import details

pytestmark = pytest.mark.django_db

V = Story.Visibility
P = Story.Perspective


@pytest.fixture
def gemeenten(db):
    return [
        Organisation.objects.create(name=name, kind=Organisation.Kind.GEMEENTE)
        for name in ("Gemeente Oosterwaard", "Gemeente Lindendal")
    ]


@pytest.fixture
def varied(make_journey, inwoner, professional, gemeenten):
    """A dozen stories that differ in every facet."""
    journey = make_journey("Samen minder eenzaam", visibility=Journey.Visibility.OPENBAAR)
    signifiers = list(StorySignifier.objects.order_by("position"))
    slider = StorySlider.objects.get()
    perspectives = [P.INWONER, P.PROFESSIONAL, P.VRIJWILLIGER, P.BELEIDSMAKER]
    themes = [["eenzaamheid"], ["armoede", "schulden"], ["eenzaamheid", "buurt"]]
    made = []
    for i in range(12):
        teller = inwoner if i % 2 else professional
        made.append(
            services.tell_story(
                teller,
                details(
                    title=f"Verhaal {chr(ord('A') + i)} over de buurt",
                    text=f"Nummer {i}: we dronken koffie in het buurthuis."
                    + (" De wijken waren stil." if i % 4 == 0 else ""),
                    perspective=perspectives[i % 4],
                    themes=themes[i % 3],
                    signifiers=signifiers[i % 3 : i % 3 + 2],
                    sliders={slider.pk: (i * 10) % 101},
                    gemeente=gemeenten[i % 2] if i % 5 else None,
                    journey=journey if i % 3 == 0 else None,
                    happened_on=date(2022 + i % 3, 5, 1),
                ),
            )
        )
    return made


def titles(response) -> list[str]:
    return [story.title for story in response.context["stories"]]


# --- Facets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"perspectief": "inwoner"},
        {"thema": "eenzaamheid", "jaar": "2022"},
        {"q": "koffie", "betekenis": "erkenning"},
        {"q": "wijken"},
    ],
)
def test_each_facet_count_equals_what_choosing_it_shows(client, varied, params):
    response = client.get("/verhalen/", params)
    assert response.status_code == 200
    checked = 0
    for facet in response.context["facets"]:
        for choice in facet.choices:
            chosen = client.get("/verhalen/" + choice.url)
            assert chosen.context["total"] == choice.count, (facet.key, choice.label)
            checked += 1
    assert checked


def test_the_facets_show_every_dimension_with_labels(client, varied):
    response = client.get("/verhalen/")
    facets = {facet.key: facet for facet in response.context["facets"]}
    assert list(facets) == ["perspectief", "thema", "gemeente", "reis", "betekenis", "jaar"]
    assert {c.label for c in facets["perspectief"].choices} == {
        "inwoner",
        "professional",
        "vrijwilliger",
        "beleidsmaker",
    }
    assert {c.label: c.count for c in facets["thema"].choices}["eenzaamheid"] == 8
    assert {c.label for c in facets["gemeente"].choices} == {
        "Gemeente Oosterwaard",
        "Gemeente Lindendal",
    }
    assert [c.label for c in facets["reis"].choices] == ["Samen minder eenzaam"]
    assert [c.label for c in facets["jaar"].choices] == ["2024", "2023", "2022"]
    html = response.content.decode()
    assert "Tellen en vertellen" in html and "Toon als tabel" in html


def test_a_filtered_view_is_shared_by_its_address(client, varied):
    address = "/verhalen/?perspectief=inwoner&thema=eenzaamheid&sortering=titel"
    first = client.get(address)
    again = client.get(address)
    assert titles(first) == titles(again) == sorted(titles(first))
    assert all(s.perspective == P.INWONER for s in first.context["stories"])
    # Every link on the page keeps the filter.
    facet = next(f for f in first.context["facets"] if f.key == "jaar")
    assert all(
        "perspectief=inwoner" in c.url and "thema=eenzaamheid" in c.url for c in facet.choices
    )
    assert "perspectief=inwoner" in first.context["csv_url"]


def test_the_charts_follow_the_filter(client, varied):
    response = client.get("/verhalen/", {"perspectief": "inwoner"})
    charts = {chart.key: chart for chart in response.context["charts"]}
    perspective = {bar.label: bar.count for bar in charts["perspectief"].bars}
    assert perspective["inwoner"] == 3 and perspective["professional"] == 0
    assert charts["jaar"].total == 3
    (scale,) = [chart for chart in charts.values() if chart.key.startswith("schaal-")]
    assert scale.total == 3
    assert len(scale.bars) == 5


def test_the_csv_holds_the_counts_of_the_filter_and_no_personal_data(client, varied):
    response = client.get("/verhalen/tellen.csv", {"thema": "armoede"})
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "alle verhalen,,4" in body
    for personal in ("Ilse", "Pieter", "Verhaal", "koffie", "@example.org"):
        assert personal not in body


# --- Sorting and pages ----------------------------------------------------------------------


def test_sorting_by_title_oldest_and_newest(client, varied):
    by_title = titles(client.get("/verhalen/", {"sortering": "titel"}))
    assert by_title == sorted(by_title)
    newest = titles(client.get("/verhalen/"))
    oldest = titles(client.get("/verhalen/", {"sortering": "oud"}))
    assert newest == list(reversed(oldest))
    happened = client.get("/verhalen/", {"sortering": "gebeurd"}).context["stories"]
    assert [s.year for s in happened] == sorted((s.year for s in happened), reverse=True)


def test_pages_of_twenty_keep_the_filter(client, inwoner):
    for i in range(25):
        services.tell_story(inwoner, details(title=f"Buurtverhaal {i:02}"))
    first = client.get("/verhalen/", {"sortering": "titel"})
    second = client.get("/verhalen/", {"sortering": "titel", "pagina": 2})
    assert len(titles(first)) == 20 and len(titles(second)) == 5
    assert 'href="?sortering=titel&amp;pagina=2"' in first.content.decode()


# --- Search ---------------------------------------------------------------------------------


def test_search_finds_words_in_title_text_and_quote_most_relevant_first(client, inwoner):
    services.tell_story(inwoner, details(title="Over de bibliotheek", text="Lezen en koffie."))
    services.tell_story(inwoner, details(title="Anders", text="Ik ging naar de bibliotheek."))
    services.tell_story(inwoner, details(title="Niets", text="Niets hier.", quote="bibliotheek!"))
    response = client.get("/verhalen/", {"q": "bibliotheek"})
    assert set(titles(response)) == {"Over de bibliotheek", "Anders", "Niets"}
    assert response.context["sort"] == "relevantie"
    assert not response.context["search_failed"]


def test_when_the_engine_fails_the_database_answers_and_the_page_says_so(
    client, inwoner, monkeypatch
):
    services.tell_story(inwoner, details(title="Buurtkamer", text="Een plek om binnen te lopen."))
    services.tell_story(inwoner, details(title="Anders", text="Niets."))
    monkeypatch.setattr("journeys.stories.facets.engine_ids", lambda *args, **kwargs: None)
    response = client.get("/verhalen/", {"q": "binnen"})
    assert response.status_code == 200
    assert titles(response) == ["Buurtkamer"]
    assert response.context["search_failed"]
    assert "misschien minder volledig" in response.content.decode()


def test_dutch_stemming_on_postgresql(client, inwoner):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's full-text search (FTS5) has no Dutch stemming; this runs on PostgreSQL"
        )
    services.tell_story(
        inwoner, details(title="Avond in de wijken", text="Eenzame ouderen in de buurthuizen.")
    )
    for term in ("wijk", "eenzaam", "ouder"):
        assert titles(client.get("/verhalen/", {"q": term})) == ["Avond in de wijken"], term


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("koffie " * 143, "Zoek met hooguit 200 tekens"),  # about 1,000 characters
        ("a" * 1000, "Zoek met hooguit 200 tekens"),
        ('"" AND OR NOT * - + ( ) : ^ ~ " \' ', "Zoek op een woord"),
        ("***", "Zoek op een woord"),
    ],
)
def test_a_search_that_is_too_long_or_only_signs_says_so_and_finds_nothing(
    client, inwoner, term, message
):
    services.tell_story(inwoner, details())
    response = client.get("/verhalen/", {"q": term})
    assert response.status_code == 200
    assert response.context["total"] == 0
    assert message in response.content.decode()
    assert client.get("/verhalen/tellen.csv", {"q": term}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"q": 'koffie AND "buurt'},
        {"q": "koffie)(*"},
        {"q": "NEAR(koffie buurt)"},
        {"jaar": "abcd", "perspectief": "koning", "gemeente": "x'--", "sortering": "; drop"},
        {"pagina": "9999"},
        {"pagina": "-1"},
        {"reis": "bestaat-niet", "betekenis": "x" * 500, "thema": "y" * 500},
    ],
)
def test_odd_input_never_breaks_the_archive(client, inwoner, params):
    services.tell_story(inwoner, details(text="We dronken koffie in de buurt."))
    assert client.get("/verhalen/", params).status_code == 200
    assert client.get("/verhalen/tellen.csv", params).status_code == 200


# --- The query count does not grow -----------------------------------------------------------


def bulk_stories(count: int, author, journey: Journey, gemeente: Organisation, start: int = 0):
    """`count` stories straight into the database (no services, no index): for the query
    count only."""
    signifiers = list(StorySignifier.objects.all())
    slider = StorySlider.objects.get()
    perspectives = P.values
    visibilities = [V.OPENBAAR, V.NETWERK, V.OPENBAAR, V.BESLOTEN, V.PRIVE]
    stories = Story.objects.bulk_create(
        Story(
            title=f"Verhaal {start + i}",
            text="Een verhaal over de buurt en de koffie.",
            perspective=perspectives[i % len(perspectives)],
            author=author,
            shown_name="Ilse",
            visibility=visibilities[i % len(visibilities)],
            journey=journey if i % 2 else None,
            gemeente=gemeente if i % 3 else None,
            year=2020 + i % 6,
        )
        for i in range(count)
    )
    tags = [Tag.objects.get_or_create(name=f"thema{n}", slug=f"thema{n}")[0] for n in range(6)]
    story_type = ContentType.objects.get_for_model(Story)
    TaggedItem.objects.bulk_create(
        TaggedItem(tag=tags[i % 6], content_type=story_type, object_id=story.pk)
        for i, story in enumerate(stories)
    )
    Story.signifiers.through.objects.bulk_create(
        Story.signifiers.through(story_id=story.pk, storysignifier_id=signifiers[i % 8].pk)
        for i, story in enumerate(stories)
    )
    StorySliderValue.objects.bulk_create(
        StorySliderValue(story=story, slider=slider, value=(i * 7) % 101)
        for i, story in enumerate(stories)
    )
    tally.forget()  # bulk writes send no signals: retire the kept counts, as any bulk writer must


ADDRESSES = [
    "/verhalen/",
    "/verhalen/?perspectief=inwoner&thema=thema1&sortering=titel&pagina=2",
    "/verhalen/?q=koffie",
    "/reizen/samen-tegen-eenzaamheid/verhalen/",
]
# (first visit, next visit) per address. Anonymous, first visit: the page and its themes
# and signifiers (3); the total and the six facets (7); the charts reuse a facet's counts
# where it has no filter (perspective: 1 more with its filter set), the scale values (1);
# the names of the meanings and the scales (2). Next visit: the site-wide counts are kept
# (journeys.stories.tally); a search and a journey's archive are counted again. A search
# adds the engine's query; the journey tab looks up its journey and has no journey facet.
# Signed in adds the session, the user and the notification badge, and counts the
# member's own part (five queries) each visit.
PINNED = {
    "anonymous": [(13, 5), (14, 5), (15, 15), (13, 13)],
    "member": [(21, 13), (22, 13), (18, 18), (17, 17)],
}


def test_the_archive_query_count_is_the_same_for_40_and_4000_stories(
    client, make_journey, inwoner, professional, gemeenten
):
    journey = make_journey(visibility=Journey.Visibility.OPENBAAR)
    bulk_stories(40, inwoner, journey, gemeenten[0])
    # A few in the search index, so the search path loads a real page of hits.
    for story in Story.objects.filter(visibility=V.OPENBAAR)[:5]:
        index.insert_or_update_object(story)
    client.get("/")  # the header's section addresses are cached after the first page

    def pinned_counts():
        counted = {}
        for who in PINNED:
            client.logout()
            if who == "member":
                client.force_login(professional)
            counted[who] = []
            for address in ADDRESSES:
                tally.forget()
                visits = []
                for _visit in range(2):
                    with CaptureQueriesContext(connection) as queries:
                        response = client.get(address)
                    assert response.status_code == 200
                    visits.append(len(queries))
                counted[who].append(tuple(visits))
        assert counted == PINNED

    pinned_counts()
    bulk_stories(3960, inwoner, journey, gemeenten[0], start=40)
    assert Story.objects.count() == 4000
    pinned_counts()
