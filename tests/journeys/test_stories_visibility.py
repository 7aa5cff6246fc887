"""Who sees which story, through every door: the archive, its search, the facet counts,
the charts, the CSV, the story page and its image, and a journey's Verhalen tab.

A story of a besloten journey or a privé story never reaches someone outside it; an
anonymous story reveals its teller nowhere.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from journeys.models import Journey, Story
from journeys.stories import services
from tests.journeys.test_stories import consent, details, jpeg_with_exif, upload

pytestmark = pytest.mark.django_db

V = Story.Visibility
J = Journey.Visibility

# key -> (story visibility, journey key or None); each story's title and text carry its key
# as a word of its own ("sleutelA", ...), so a search finds exactly that story.
STORIES = {
    "A": (V.OPENBAAR, None),
    "B": (V.NETWERK, None),
    "C": (V.OPENBAAR, "open"),
    "D": (V.NETWERK, "netwerk"),
    "E": (V.BESLOTEN, "besloten"),
    "F": (V.PRIVE, None),
    "G": (V.BESLOTEN, "open"),
    "H": (V.OPENBAAR, None),  # withdrawn
}
SEEN_BY = {
    "anonymous": {"A", "C"},
    "trainer": {"A", "B", "C", "D"},  # signed in, member of nothing
    "professional": {"A", "B", "C", "D", "E", "G"},  # member (reiziger) of every journey
    "beheerder": {"A", "B", "C", "D", "E", "G"},  # staff: every journey, no privé story
    "inwoner": {"A", "B", "C", "D", "E", "F", "G"},  # the teller: all their own
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(make_journey, inwoner):
    journeys = {
        "open": make_journey("Open reis", visibility=J.OPENBAAR),
        "netwerk": make_journey("Netwerkreis", visibility=J.NETWERK),
        "besloten": make_journey("Besloten reis", visibility=J.BESLOTEN),
    }
    stories = {}
    for key, (visibility, journey) in STORIES.items():
        stories[key] = services.tell_story(
            inwoner,
            details(
                title=f"Verhaal sleutel{key}",
                text=f"Een verhaal met het woord sleutel{key} erin.",
                visibility=visibility,
                journey=journeys[journey] if journey else None,
                perspective=Story.Perspective.INWONER
                if key < "E"
                else Story.Perspective.BELEIDSMAKER,
                themes=[f"thema{key.lower()}"],
                image=upload("a.jpg", jpeg_with_exif()),
                image_description="Een foto",
            ),
        )
    services.withdraw_story(inwoner, stories["H"])
    return journeys, stories


def viewers(client, personas):
    """Each viewer in turn, with the client signed in as them (or signed out)."""
    for viewer in SEEN_BY:
        client.logout()
        if viewer != "anonymous":
            client.force_login(personas[viewer])
        yield viewer


def keys_in(response) -> set[str]:
    return {story.title.removeprefix("Verhaal sleutel") for story in response.context["stories"]}


def test_the_archive_shows_only_what_the_viewer_may_see(client, world, personas):
    for viewer in viewers(client, personas):
        response = client.get("/verhalen/")
        assert response.status_code == 200
        assert keys_in(response) == SEEN_BY[viewer]
        assert response.context["total"] == len(SEEN_BY[viewer])
        hidden = set(STORIES) - SEEN_BY[viewer]
        html = response.content.decode()
        for key in hidden:
            assert f"sleutel{key}" not in html
            assert f"thema{key.lower()}" not in html


def test_facet_counts_and_charts_count_only_visible_stories(client, world, personas):
    for viewer in viewers(client, personas):
        response = client.get("/verhalen/")
        facets = {facet.key: facet for facet in response.context["facets"]}
        assert sum(c.count for c in facets["perspectief"].choices) == len(SEEN_BY[viewer])
        assert {c.value for c in facets["thema"].choices} == {
            f"thema{k.lower()}" for k in SEEN_BY[viewer]
        }
        journeys_counted = {c.label: c.count for c in facets["reis"].choices}
        if viewer in ("anonymous", "trainer"):
            assert "Besloten reis" not in journeys_counted
        charts = {chart.key: chart for chart in response.context["charts"]}
        assert charts["perspectief"].total == len(SEEN_BY[viewer])
        assert charts["jaar"].total == len(SEEN_BY[viewer])


def test_the_csv_counts_only_visible_stories(client, world, personas):
    for viewer in viewers(client, personas):
        response = client.get("/verhalen/tellen.csv")
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == ["onderdeel", "categorie", "aantal verhalen"]
        assert rows[1] == ["alle verhalen", "", str(len(SEEN_BY[viewer]))]
        by_perspective = {
            row[1]: int(row[2]) for row in rows if row[0] == "Verhalen per perspectief"
        }
        assert by_perspective["inwoner"] == len(SEEN_BY[viewer] & {"A", "B", "C", "D"})
        body = response.content.decode()
        assert "sleutel" not in body and "Ilse" not in body


def test_search_finds_only_visible_stories(client, world, personas):
    for viewer in viewers(client, personas):
        for key in STORIES:
            response = client.get("/verhalen/", {"q": f"sleutel{key}"})
            assert response.status_code == 200
            assert keys_in(response) == ({key} & SEEN_BY[viewer]), key
            assert response.context["total"] == len({key} & SEEN_BY[viewer])


def test_story_pages_and_images_are_a_404_for_who_may_not_see_them(client, world, personas):
    _journeys, stories = world
    for viewer in viewers(client, personas):
        for key, story in stories.items():
            page = client.get(f"/verhalen/{story.pk}/")
            image = client.get(f"/verhalen/{story.pk}/beeld/")
            expected = 200 if key in SEEN_BY[viewer] else 404
            assert (viewer, key, page.status_code, image.status_code) == (
                viewer,
                key,
                expected,
                expected,
            )


def test_a_closed_journeys_tab_and_csv_do_not_exist_for_outsiders(client, world, personas):
    for viewer in viewers(client, personas):
        tab = client.get("/reizen/besloten-reis/verhalen/")
        csv_response = client.get("/reizen/besloten-reis/verhalen/tellen.csv")
        if viewer in ("anonymous", "trainer"):
            assert tab.status_code == csv_response.status_code == 404
        else:
            assert tab.status_code == 200
            assert keys_in(tab) == {"E"}


def test_a_public_journeys_tab_still_hides_its_members_only_story(client, world, personas):
    for viewer in viewers(client, personas):
        response = client.get("/reizen/open-reis/verhalen/")
        assert response.status_code == 200
        assert keys_in(response) == {"C", "G"} & SEEN_BY[viewer]
        assert response.context["tab"] == "verhalen"


def test_a_journey_made_closed_later_takes_its_stories_with_it(client, world, trainer):
    journeys, _stories = world
    Journey.objects.filter(pk=journeys["open"].pk).update(visibility=J.BESLOTEN)
    client.force_login(trainer)
    assert keys_in(client.get("/verhalen/")) == {"A", "B", "D"}


# --- Anonymity ------------------------------------------------------------------------------


def test_an_anonymous_story_reveals_no_teller_anywhere(client, professional, inwoner, trainer):
    mine = services.tell_story(
        inwoner,
        details(
            title="Anoniem verhaal",
            text="Het woord anoniemwoord staat hier.",
            display=Story.Display.ANONYMOUS,
            image=upload("ilse-bakker.jpg", jpeg_with_exif("Ilse Bakker")),
            image_description="Een bankje in het park",
        ),
    )
    recorded, _code = services.record_story(
        professional,
        details(
            title="Vastgelegd anoniem",
            text="Ook anoniemwoord.",
            teller_name="Gerda Visser",
            display=Story.Display.ANONYMOUS,
        ),
        consent(),
    )
    client.force_login(trainer)
    pages = [
        client.get(f"/verhalen/{mine.pk}/"),
        client.get(f"/verhalen/{recorded.pk}/"),
        client.get("/verhalen/", {"q": "anoniemwoord"}),
        client.get("/verhalen/"),
        client.get("/verhalen/tellen.csv"),
    ]
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        for secret in (
            "Ilse",
            "Bakker",
            "Gerda",
            "Visser",
            "Pieter",
            "de Wit",
            "inwoner@",
            "professional@",
        ):
            assert secret not in body, secret
        for person in (inwoner, professional):
            assert not re.search(rf'data-[a-z-]*="{person.pk}"', body)
            assert f"/leden/{person.pk}" not in body
            assert person.handle not in body
    assert "Anonieme verteller" in pages[0].content.decode()
    image = client.get(f"/verhalen/{mine.pk}/beeld/")
    data = b"".join(image.streaming_content)
    assert b"Ilse" not in data and b"Bakker" not in data
    assert "ilse" not in image["Content-Disposition"].lower()
