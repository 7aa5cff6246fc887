"""Composing the foto and the reisverslag: picking the journey's material into sections,
ordering and commenting, the rules for tellers (withdrawal, anonymity, visibility), and
vaststellen of the reisverslag starting the next cycle with its "vervolg" carried over."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from journeys import method, services
from journeys.models import Journey, PhaseResult, Story
from journeys.reports import compose
from journeys.reports import services as reports
from journeys.reports.models import ReportItem
from journeys.stories import services as stories
from journeys.stories.services import StoryDetails
from tests.journeys.conftest import fill_and_approve

pytestmark = pytest.mark.django_db

Kind = ReportItem.Kind
Phase = Journey.Phase
Visibility = Story.Visibility


def tell(person, journey, title, *, visibility=Visibility.NETWERK, display=None, text=None):
    details = StoryDetails(
        title=title,
        text=text or f"{title}: wat er gebeurde en wat het voor mij betekende.",
        perspective=Story.Perspective.INWONER,
        visibility=visibility,
        journey=journey,
        quote=f"Citaat uit {title}",
    )
    if display:
        details.display = display
    return stories.tell_story(person, details)


def reisverslag(journey) -> PhaseResult:
    return services.result_for(journey, PhaseResult.Kind.REISVERSLAG)


def add(actor, result, kind, key, **kwargs) -> ReportItem:
    return reports.add_item(actor, result, kind=kind, key=str(key), **kwargs)


def figure(actor, journey, indicator="Gebruik meedoenregeling", value="48", when=date(2025, 1, 1)):
    return services.add_data_point(
        actor,
        journey,
        lens="data",
        indicator=indicator,
        value=Decimal(value),
        unit="%",
        source="Monitor",
        measured_on=when,
    )


def order(result, section) -> list[str]:
    return [
        item.story.title if item.story else item.indicator
        for item in result.items.filter(section=section).order_by("position")
    ]


# --- Composition ------------------------------------------------------------------------


def test_items_go_to_the_section_that_fits_unless_the_composer_chooses(personas, make_journey):
    journey = make_journey()
    pieter = personas["professional"]
    story = tell(pieter, journey, "De brief")
    figure(pieter, journey)
    verslag = reisverslag(journey)

    add(pieter, verslag, Kind.STORY, story.pk)
    add(pieter, verslag, Kind.INDICATOR, "Gebruik meedoenregeling", section="opbrengst")

    assert order(verslag, "verhalen") == ["De brief"]
    assert order(verslag, "opbrengst") == ["Gebruik meedoenregeling"]


def test_items_keep_the_order_the_composers_give_them(personas, make_journey):
    journey = make_journey()
    pieter, rosa = personas["professional"], personas["reisbegeleider"]
    first, second, third = (tell(pieter, journey, t) for t in ("Een", "Twee", "Drie"))
    verslag = reisverslag(journey)
    items = [add(pieter, verslag, Kind.STORY, s.pk) for s in (first, second, third)]
    assert order(verslag, "verhalen") == ["Een", "Twee", "Drie"]

    reports.move_item(rosa, items[2], direction="up")
    assert order(verslag, "verhalen") == ["Een", "Drie", "Twee"]
    reports.move_item(rosa, items[0], direction="up")  # already first: stays
    assert order(verslag, "verhalen") == ["Een", "Drie", "Twee"]
    reports.move_item(rosa, items[0], section="opbrengst")
    assert order(verslag, "verhalen") == ["Drie", "Twee"]
    assert order(verslag, "opbrengst") == ["Een"]
    positions = list(verslag.items.filter(section="verhalen").values_list("position", flat=True))
    assert positions == [1, 2]

    reports.remove_item(rosa, items[2])
    assert order(verslag, "verhalen") == ["Twee"]


def test_a_comment_says_why_an_item_matters_and_has_a_limit(personas, make_journey):
    journey = make_journey()
    pieter = personas["professional"]
    item = add(pieter, reisverslag(journey), Kind.STORY, tell(pieter, journey, "Brief").pk)

    reports.comment_item(pieter, item, "  Kwam op de netwerkdag steeds terug.  ")
    item.refresh_from_db()
    assert item.comment == "Kwam op de netwerkdag steeds terug."
    with pytest.raises(services.RuleViolation):
        reports.comment_item(pieter, item, "x" * 2001)
    item.refresh_from_db()
    assert item.comment == "Kwam op de netwerkdag steeds terug."


def test_the_same_item_goes_in_once_and_only_material_of_this_journey(personas, make_journey):
    journey, other = make_journey(), make_journey("Andere reis")
    pieter = personas["professional"]
    story = tell(pieter, journey, "Eén keer")
    elsewhere = tell(pieter, other, "Van elders")
    verslag = reisverslag(journey)
    add(pieter, verslag, Kind.STORY, story.pk)

    for kind, key, section in (
        (Kind.STORY, story.pk, ""),  # already in
        (Kind.STORY, elsewhere.pk, ""),  # another journey's
        (Kind.STORY, "geen-getal", ""),
        (Kind.INDICATOR, "Bestaat niet", ""),
        ("onzin", story.pk, ""),
        (Kind.STORY, story.pk, "geen_sectie"),
    ):
        with pytest.raises(services.RuleViolation):
            add(pieter, verslag, kind, key, section=section)
    assert verslag.items.count() == 1


def test_only_contributors_compose(personas, make_journey):
    journey = make_journey()
    story = tell(personas["professional"], journey, "Brief")
    verslag = reisverslag(journey)
    for who in ("inwoner", "trainer"):  # meelezer, non-member
        with pytest.raises(PermissionDenied):
            add(personas[who], verslag, Kind.STORY, story.pk)
    assert not verslag.items.exists()


def test_a_report_before_the_opdrachtgever_keeps_its_items_until_a_new_version(
    personas, make_journey
):
    journey = make_journey()
    pieter, rosa = personas["professional"], personas["reisbegeleider"]
    verslag = reisverslag(journey)
    item = add(pieter, verslag, Kind.STORY, tell(pieter, journey, "Brief").pk)
    services.save_result(rosa, verslag, content={"samenvatting": "Kort"}, base_revision_id=None)
    services.submit_result(rosa, verslag)
    verslag.refresh_from_db()

    later = tell(pieter, journey, "Later")
    with pytest.raises(services.RuleViolation, match="ter vaststelling"):
        add(pieter, verslag, Kind.STORY, later.pk)
    with pytest.raises(services.RuleViolation):
        reports.remove_item(rosa, item)
    assert verslag.items.count() == 1


# --- Respect for tellers ------------------------------------------------------------------


def test_a_withdrawn_story_leaves_the_report_which_says_a_story_was_withdrawn(
    client, personas, make_journey
):
    journey = make_journey()
    ilse = personas["inwoner"]
    story = tell(ilse, journey, "Mijn verhaal", text="Wat ik nooit eerder vertelde.")
    add(personas["professional"], reisverslag(journey), Kind.STORY, story.pk)
    page = reverse("journeys:result", args=[journey.slug, "reisverslag"])
    client.force_login(personas["opdrachtgever"])
    assert "Wat ik nooit eerder vertelde." in client.get(page).content.decode()

    stories.withdraw_story(ilse, story)

    html = client.get(page).content.decode()
    assert "Wat ik nooit eerder vertelde." not in html
    assert "Mijn verhaal" not in html
    assert "ingetrokken" in html
    report = compose.build(reisverslag(journey))
    section = next(s for s in report.sections if s.key == "verhalen")
    assert (section.entries, section.withdrawn) == ([], 1)


def test_an_anonymous_story_stays_anonymous_in_the_report(client, personas, make_journey):
    journey = make_journey()
    ilse = personas["inwoner"]
    story = tell(ilse, journey, "Zonder naam", display=Story.Display.ANONYMOUS)
    add(personas["professional"], reisverslag(journey), Kind.STORY, story.pk)
    client.force_login(personas["reisbegeleider"])

    html = client.get(reverse("journeys:result", args=[journey.slug, "reisverslag"])).content
    html = html.decode()
    assert "Zonder naam" in html
    assert "anoniem" in html
    assert ilse.first_name not in html and ilse.last_name not in html


def test_a_story_narrower_than_the_report_is_left_out_with_a_note_to_the_composer(
    client, personas, make_journey
):
    journey = make_journey(visibility=Journey.Visibility.NETWERK)
    ilse, pieter = personas["inwoner"], personas["professional"]
    closed = tell(ilse, journey, "Alleen voor de reis", visibility=Visibility.BESLOTEN)
    shared = tell(ilse, journey, "Voor het netwerk")
    verslag = reisverslag(journey)

    # A story shared with fewer people than can read the report cannot go in...
    with pytest.raises(services.RuleViolation, match=r"fewer people|minder mensen"):
        add(pieter, verslag, Kind.STORY, closed.pk)
    # ...and one whose teller narrows it later leaves the report, with a note.
    add(pieter, verslag, Kind.STORY, shared.pk)
    Story.objects.filter(pk=shared.pk).update(visibility=Visibility.BESLOTEN)

    report = compose.build(reisverslag(journey))
    assert report.item_count == 0
    assert [entry.obj.title for entry in report.notes] == ["Voor het netwerk"]
    client.force_login(personas["trainer"])  # signed in, not a member: may read the report
    page = client.get(reverse("journeys:result", args=[journey.slug, "reisverslag"]))
    assert "Voor het netwerk" not in page.content.decode()
    client.force_login(pieter)
    composer = client.get(reverse("journeys:report_compose", args=[journey.slug, "reisverslag"]))
    html = composer.content.decode()
    assert "Voor het netwerk" in html and "Niet zichtbaar voor lezers" in html


# --- The next cycle -----------------------------------------------------------------------


def to_doen_en_leren(journey, lead):
    for phase in (Phase.VERKENNEN, Phase.INRICHTEN, Phase.DOEN_EN_LEREN):
        fill_and_approve(journey, text=f"Afgesproken in {journey.phase}")
        services.move_phase(lead, journey, to_phase=phase)
        journey.refresh_from_db()


def test_vaststellen_of_the_reisverslag_starts_the_next_cycle_carrying_the_vervolg_over(
    personas, make_journey
):
    journey = make_journey()
    rosa, marieke = personas["reisbegeleider"], personas["opdrachtgever"]
    to_doen_en_leren(journey, rosa)
    verslag = reisverslag(journey)
    revision = services.save_result(
        rosa,
        verslag,
        content={"samenvatting": "Een jaar", "vervolg": "Meer aandacht voor werkende ouders."},
        base_revision_id=verslag.latest_revision_id,
    )
    services.submit_result(rosa, verslag)

    services.approve_result(marieke, verslag, revision_id=revision.pk)

    journey.refresh_from_db()
    assert (journey.phase, journey.cycle) == (Phase.INRICHTEN, 2)
    moved = journey.transitions.last()
    assert (moved.from_phase, moved.to_phase, moved.cycle, moved.actor) == (
        Phase.DOEN_EN_LEREN,
        Phase.INRICHTEN,
        2,
        marieke,
    )
    programme = PhaseResult.objects.get(journey=journey, kind="programma_aanpak", cycle=2)
    assert programme.status == PhaseResult.Status.CONCEPT
    assert programme.content[method.CARRIED_OVER_SECTION] == "Meer aandacht voor werkende ouders."
    # What the network agreed in cycle 1 is where cycle 2 starts from.
    assert programme.content["focus_groepen"] == "Afgesproken in inrichten"


def test_a_reisverslag_prepared_early_does_not_move_the_journey(personas, make_journey):
    journey = make_journey()
    verslag = reisverslag(journey)  # the journey is still at its reiswens
    rosa, marieke = personas["reisbegeleider"], personas["opdrachtgever"]
    revision = services.save_result(
        rosa, verslag, content={"vervolg": "Later"}, base_revision_id=None
    )
    services.submit_result(rosa, verslag)
    services.approve_result(marieke, verslag, revision_id=revision.pk)
    journey.refresh_from_db()
    assert (journey.phase, journey.cycle) == (Phase.REISWENS, 1)


# --- Pages --------------------------------------------------------------------------------


def test_the_composer_offers_this_cycles_material_and_adds_by_form(client, personas, make_journey):
    journey = make_journey()
    pieter = personas["professional"]
    tell(pieter, journey, "Aan de keukentafel")
    client.force_login(pieter)
    url = reverse("journeys:report_compose", args=[journey.slug, "reisverslag"])

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Aan de keukentafel" in html and "deze cyclus" in html

    story = Story.objects.get(title="Aan de keukentafel")
    response = client.post(
        reverse("journeys:report_add", args=[journey.slug, "reisverslag"]),
        {"kind": "verhaal", "key": story.pk, "section": "samenvatting"},
    )
    assert response.status_code == 302
    assert order(reisverslag(journey), "samenvatting") == ["Aan de keukentafel"]
    # Bad input: a message, nothing changes, no error page.
    response = client.post(
        reverse("journeys:report_add", args=[journey.slug, "reisverslag"]),
        {"kind": "verhaal", "key": story.pk, "section": "samenvatting"},
        follow=True,
    )
    assert response.status_code == 200
    assert "staat al in" in response.content.decode()
    assert reisverslag(journey).items.count() == 1


def test_an_empty_report_says_so_on_every_section(client, personas, make_journey):
    journey = make_journey()
    client.force_login(personas["reisbegeleider"])
    reisverslag(journey)
    html = client.get(reverse("journeys:result", args=[journey.slug, "reisverslag"])).content
    assert html.decode().count("Nog niet ingevuld") == len(
        method.RESULT_SECTIONS[PhaseResult.Kind.REISVERSLAG]
    )


def _fill(journey, personas, n):
    pieter = personas["professional"]
    verslag = reisverslag(journey)
    for i in range(n):
        story = tell(pieter, journey, f"Verhaal {journey.pk}-{i}")
        add(pieter, verslag, Kind.STORY, story.pk, comment="Waarom")
        figure(pieter, journey, indicator=f"Indicator {i}")
        add(pieter, verslag, Kind.INDICATOR, f"Indicator {i}")


@pytest.mark.parametrize("name", ["journeys:result", "journeys:report_compose"])
def test_report_pages_take_the_same_queries_at_3_and_30_items(
    client, personas, make_journey, django_assert_num_queries, name
):
    client.force_login(personas["professional"])
    counts = []
    for n in (3, 30):
        journey = make_journey(f"Reis met {n}")
        _fill(journey, personas, n)
        url = reverse(name, args=[journey.slug, "reisverslag"])
        client.get(url)  # warm caches (site root paths, content types)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 40
