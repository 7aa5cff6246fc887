"""The Impact Canvas page of a journey: the grid with witte vlekken and doublures, the
forms to fill it, who may do what, and a fixed number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journeys import services
from journeys.canvas import grid_for
from journeys.models import (
    BuildingBlock,
    CanvasEntry,
    CanvasPhase,
    IntendedDoublure,
    Journey,
    Membership,
)

pytestmark = pytest.mark.django_db

Role = Membership.Role
Block = BuildingBlock


@pytest.fixture
def journey(reisbegeleider) -> Journey:
    return services.create_journey(
        reisbegeleider,
        title="Samen tegen eenzaamheid",
        challenge="Eenzaamheid onder ouderen",
        visibility=Journey.Visibility.NETWERK,
    )


@pytest.fixture
def reiziger(journey, professional):
    Membership.objects.create(journey=journey, user=professional, role=Role.REIZIGER)
    return professional


@pytest.fixture
def meelezer(journey, inwoner):
    Membership.objects.create(journey=journey, user=inwoner, role=Role.MEELEZER)
    return inwoner


def url(journey: Journey, name: str = "canvas", **kwargs) -> str:
    return reverse(f"journeys:{name}", kwargs={"slug": journey.slug, **kwargs})


def first_phase(journey: Journey) -> CanvasPhase:
    return journey.canvas_phases.first()


def entry_data(phase: CanvasPhase, block: str = Block.FINANCIERING, **fields) -> dict:
    data = {
        "entry-phase": phase.pk,
        "entry-block": block,
        "entry-actor": "Gemeente Zwolle",
        "entry-contribution": "Budget voor twee jaar",
        "entry-status": CanvasEntry.Status.ACTIEF,
    }
    data.update({f"entry-{key}": value for key, value in fields.items()})
    return data


def add(actor, journey, phase, block, name) -> CanvasEntry:
    return services.add_canvas_entry(actor, journey, phase=phase, block=block, actor_name=name)


def count_in(html: str, css_class: str) -> int:
    return len(re.findall(rf'class="[^"]*\b{css_class}\b', html))


# --- What the page shows ------------------------------------------------------------------


def test_canvas_is_a_real_table_with_column_and_row_headers(client, journey, reisbegeleider):
    client.force_login(reisbegeleider)
    html = client.get(url(journey)).content.decode()
    assert "<caption" in html
    assert html.count('scope="col"') == 1 + len(BuildingBlock.values)
    assert html.count('scope="row"') == journey.canvas_phases.count() == 6
    for phase in journey.canvas_phases.all():
        assert phase.description in html
    assert 'role="region"' in html and 'aria-labelledby="canvas-caption"' in html


def test_empty_cells_are_counted_as_witte_vlekken(client, journey, reisbegeleider):
    add(reisbegeleider, journey, first_phase(journey), Block.PROBLEEMEIGENAAR, "Wijkteam Noord")
    grid = grid_for(journey)
    assert grid.gap_count == 6 * 4 - 1

    client.force_login(reisbegeleider)
    response = client.get(url(journey))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["grid"].gap_count == 23
    assert count_in(html, "canvas-cell--gap") == 23
    assert count_in(html, "canvas-flag--gap") == 23  # said in words in every empty cell
    assert "Wijkteam Noord" in html


def test_two_actors_in_a_cell_make_a_doublure_the_reisbegeleider_can_mark_intended(
    client, journey, reisbegeleider
):
    phase = first_phase(journey)
    add(reisbegeleider, journey, phase, Block.FINANCIERING, "Gemeente")
    add(reisbegeleider, journey, phase, Block.FINANCIERING, "Fonds Samen")
    client.force_login(reisbegeleider)

    html = client.get(url(journey)).content.decode()
    assert count_in(html, "canvas-cell--doublure") == 1
    assert count_in(html, "canvas-flag--doublure") == 1

    response = client.post(
        url(journey, "canvas_mark_doublure"),
        {"phase": phase.pk, "block": Block.FINANCIERING, "intended": "1", "note": "Cofinanciering"},
    )
    assert response.status_code == 302
    mark = IntendedDoublure.objects.get(phase=phase, block=Block.FINANCIERING)
    assert mark.note == "Cofinanciering"

    response = client.get(url(journey))
    grid = response.context["grid"]
    assert (grid.doublure_count, grid.intended_doublure_count) == (1, 1)
    html = response.content.decode()
    assert count_in(html, "canvas-cell--intended") == 1
    assert count_in(html, "canvas-cell--doublure") == 0
    assert "Cofinanciering" in html

    client.post(
        url(journey, "canvas_mark_doublure"),
        {"phase": phase.pk, "block": Block.FINANCIERING, "intended": "0"},
    )
    assert not IntendedDoublure.objects.filter(phase=phase).exists()


def test_removing_an_actor_from_an_intended_doublure_drops_the_mark(journey, reisbegeleider):
    phase = first_phase(journey)
    add(reisbegeleider, journey, phase, Block.FINANCIERING, "Gemeente")
    second = add(reisbegeleider, journey, phase, Block.FINANCIERING, "Fonds")
    services.mark_doublure(
        reisbegeleider, journey, phase=phase, block=Block.FINANCIERING, intended=True
    )
    services.remove_canvas_entry(reisbegeleider, second)
    assert not IntendedDoublure.objects.filter(phase=phase).exists()


def test_a_single_actor_cannot_be_marked_as_an_intended_doublure(client, journey, reisbegeleider):
    phase = first_phase(journey)
    add(reisbegeleider, journey, phase, Block.FINANCIERING, "Gemeente")
    client.force_login(reisbegeleider)
    response = client.post(
        url(journey, "canvas_mark_doublure"),
        {"phase": phase.pk, "block": Block.FINANCIERING, "intended": "1", "next": url(journey)},
    )
    assert response.status_code == 302 and response["Location"] == url(journey)
    assert not IntendedDoublure.objects.exists()


def test_marking_a_cell_of_another_journey_changes_nothing(client, journey, reisbegeleider):
    other = services.create_journey(reisbegeleider, title="Armoede", challenge="Armoede")
    phase = first_phase(other)
    add(reisbegeleider, other, phase, Block.FINANCIERING, "Gemeente")
    add(reisbegeleider, other, phase, Block.FINANCIERING, "Fonds")
    client.force_login(reisbegeleider)
    for data in (
        {"phase": phase.pk, "block": Block.FINANCIERING, "intended": "1"},
        {"phase": first_phase(journey).pk, "block": "geluk", "intended": "1"},
        {"phase": "", "block": Block.FINANCIERING, "intended": "1"},
    ):
        response = client.post(url(journey, "canvas_mark_doublure"), data)
        assert response.status_code == 400
        assert response.context["problem"]
    assert not IntendedDoublure.objects.exists()


# --- Filling the canvas -------------------------------------------------------------------


def test_reiziger_adds_an_entry_with_the_plain_form(client, journey, reiziger):
    client.force_login(reiziger)
    html = client.get(url(journey)).content.decode()
    assert f'action="{url(journey, "canvas_add_entry")}"' in html
    for field in ("phase", "block", "actor", "contribution", "status"):
        assert f'for="id_entry-{field}"' in html  # every input has a label

    phase = first_phase(journey)
    response = client.post(url(journey, "canvas_add_entry"), entry_data(phase))
    assert response.status_code == 302
    entry = CanvasEntry.objects.get()
    assert (entry.phase, entry.block, entry.actor, entry.added_by) == (
        phase,
        Block.FINANCIERING,
        "Gemeente Zwolle",
        reiziger,
    )
    assert entry.contribution == "Budget voor twee jaar"


def test_fill_in_link_preselects_the_empty_cell(client, journey, reiziger):
    phase = first_phase(journey)
    client.force_login(reiziger)
    response = client.get(url(journey), {"fase": phase.pk, "blok": Block.PLAN_RAPPORTAGE})
    form = response.context["entry_form"]
    assert form["phase"].value() == str(phase.pk)
    assert form["block"].value() == Block.PLAN_RAPPORTAGE


def test_entry_without_actor_is_refused_in_dutch_and_nothing_is_saved(client, journey, reiziger):
    client.force_login(reiziger)
    response = client.post(
        url(journey, "canvas_add_entry"), entry_data(first_phase(journey), actor="   ")
    )
    assert response.status_code == 400
    form = response.context["entry_form"]
    assert "actor" in form.errors
    assert response.context["LANGUAGE_CODE"] == "nl"
    assert not CanvasEntry.objects.exists()


@pytest.mark.parametrize("bad", ["999999", "geen-getal", ""])
def test_unknown_phase_is_refused_and_nothing_is_saved(client, journey, reiziger, bad):
    client.force_login(reiziger)
    data = entry_data(first_phase(journey))
    data["entry-phase"] = bad
    response = client.post(url(journey, "canvas_add_entry"), data)
    assert response.status_code == 400
    assert "phase" in response.context["entry_form"].errors
    assert not CanvasEntry.objects.exists()


def test_phase_of_another_journey_is_refused(client, journey, reiziger, reisbegeleider):
    other = services.create_journey(reisbegeleider, title="Armoede", challenge="Armoede")
    client.force_login(reiziger)
    response = client.post(url(journey, "canvas_add_entry"), entry_data(first_phase(other)))
    assert response.status_code == 400
    assert "phase" in response.context["entry_form"].errors
    assert not CanvasEntry.objects.exists()


def test_unknown_building_block_is_refused(client, journey, reiziger):
    client.force_login(reiziger)
    response = client.post(
        url(journey, "canvas_add_entry"), entry_data(first_phase(journey), block="geluk")
    )
    assert response.status_code == 400
    assert "block" in response.context["entry_form"].errors
    assert not CanvasEntry.objects.exists()


def test_service_refuses_a_blank_actor_name(journey, reisbegeleider):
    with pytest.raises(services.RuleViolation):
        add(reisbegeleider, journey, first_phase(journey), Block.FINANCIERING, "  ")
    assert not CanvasEntry.objects.exists()


def test_author_removes_own_entry_but_not_someone_elses(client, journey, reiziger, reisbegeleider):
    phase = first_phase(journey)
    own = add(reiziger, journey, phase, Block.FINANCIERING, "Eigen")
    theirs = add(reisbegeleider, journey, phase, Block.FINANCIERING, "Ander")
    client.force_login(reiziger)

    html = client.get(url(journey)).content.decode()
    assert url(journey, "canvas_remove_entry", pk=own.pk) in html
    assert url(journey, "canvas_remove_entry", pk=theirs.pk) not in html
    # The button's accessible name says which entry it removes.
    assert re.search(r"<button[^>]*>[^<]*<span[^>]*>: Eigen \(", html)

    assert client.post(url(journey, "canvas_remove_entry", pk=theirs.pk)).status_code == 403
    assert client.post(url(journey, "canvas_remove_entry", pk=own.pk)).status_code == 302
    assert list(CanvasEntry.objects.values_list("actor", flat=True)) == ["Ander"]


def test_reisbegeleider_removes_any_entry(client, journey, reiziger, reisbegeleider):
    entry = add(reiziger, journey, first_phase(journey), Block.FINANCIERING, "Iemand")
    client.force_login(reisbegeleider)
    assert client.post(url(journey, "canvas_remove_entry", pk=entry.pk)).status_code == 302
    assert not CanvasEntry.objects.exists()


def test_entry_of_another_journey_cannot_be_removed_through_this_one(
    client, journey, reisbegeleider
):
    other = services.create_journey(reisbegeleider, title="Armoede", challenge="Armoede")
    entry = add(reisbegeleider, other, first_phase(other), Block.FINANCIERING, "Elders")
    client.force_login(reisbegeleider)
    assert client.post(url(journey, "canvas_remove_entry", pk=entry.pk)).status_code == 404
    assert CanvasEntry.objects.filter(pk=entry.pk).exists()


# --- Phases -------------------------------------------------------------------------------


def test_reisbegeleider_adds_a_phase_and_removes_an_empty_one(client, journey, reisbegeleider):
    client.force_login(reisbegeleider)
    response = client.post(
        url(journey, "canvas_add_phase"),
        {"phase-name": "nazorg", "phase-description": "Wat blijft na afloop"},
    )
    assert response.status_code == 302
    phase = journey.canvas_phases.get(name="nazorg")
    assert journey.canvas_phases.last() == phase

    html = client.get(url(journey)).content.decode()
    assert "nazorg" in html and url(journey, "canvas_remove_phase", pk=phase.pk) in html

    assert client.post(url(journey, "canvas_remove_phase", pk=phase.pk)).status_code == 302
    assert not journey.canvas_phases.filter(name="nazorg").exists()


def test_phase_of_another_journey_cannot_be_removed_through_this_one(
    client, journey, reisbegeleider
):
    other = services.create_journey(reisbegeleider, title="Armoede", challenge="Armoede")
    phase = first_phase(other)
    client.force_login(reisbegeleider)
    assert client.post(url(journey, "canvas_remove_phase", pk=phase.pk)).status_code == 404
    assert CanvasPhase.objects.filter(pk=phase.pk).exists()


def test_phase_with_entries_is_not_removed(client, journey, reisbegeleider):
    phase = first_phase(journey)
    add(reisbegeleider, journey, phase, Block.FINANCIERING, "Gemeente")
    client.force_login(reisbegeleider)
    assert (
        url(journey, "canvas_remove_phase", pk=phase.pk)
        not in client.get(url(journey)).content.decode()
    )
    response = client.post(url(journey, "canvas_remove_phase", pk=phase.pk), {"next": url(journey)})
    assert response.status_code == 302
    assert CanvasPhase.objects.filter(pk=phase.pk).exists()


def test_phase_without_name_or_with_a_taken_name_is_refused(client, journey, reisbegeleider):
    client.force_login(reisbegeleider)
    before = journey.canvas_phases.count()
    for name in ("", "signalering"):
        response = client.post(url(journey, "canvas_add_phase"), {"phase-name": name})
        assert response.status_code == 400
        assert "name" in response.context["phase_form"].errors
    assert journey.canvas_phases.count() == before


# --- Who may do what ----------------------------------------------------------------------


def test_meelezer_sees_canvas_without_forms(client, journey, meelezer, reisbegeleider):
    phase = first_phase(journey)
    add(reisbegeleider, journey, phase, Block.FINANCIERING, "Gemeente")
    add(reisbegeleider, journey, phase, Block.FINANCIERING, "Fonds")
    client.force_login(meelezer)
    response = client.get(url(journey))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gemeente" in html and "<table" in html
    assert response.context["entry_form"] is None and response.context["phase_form"] is None
    main = html.split('id="inhoud"', 1)[1].split("</main>", 1)[0]
    assert "<form" not in main and "<button" not in main


def test_meelezer_cannot_add_an_entry(client, journey, meelezer):
    client.force_login(meelezer)
    response = client.post(url(journey, "canvas_add_entry"), entry_data(first_phase(journey)))
    assert response.status_code == 403
    assert not CanvasEntry.objects.exists()


def test_reiziger_cannot_mark_doublure(client, journey, reiziger, reisbegeleider):
    phase = first_phase(journey)
    add(reisbegeleider, journey, phase, Block.FINANCIERING, "Gemeente")
    add(reisbegeleider, journey, phase, Block.FINANCIERING, "Fonds")
    client.force_login(reiziger)
    assert "canvas-mark" not in client.get(url(journey)).content.decode()
    response = client.post(
        url(journey, "canvas_mark_doublure"),
        {"phase": phase.pk, "block": Block.FINANCIERING, "intended": "1"},
    )
    assert response.status_code == 403
    assert not IntendedDoublure.objects.exists()


def test_reiziger_cannot_change_phases(client, journey, reiziger):
    client.force_login(reiziger)
    phase = journey.canvas_phases.last()
    assert client.post(url(journey, "canvas_add_phase"), {"phase-name": "x"}).status_code == 403
    assert client.post(url(journey, "canvas_remove_phase", pk=phase.pk)).status_code == 403
    assert journey.canvas_phases.count() == 6


def test_signed_in_non_member_reads_a_network_canvas_but_cannot_post(
    client, journey, opdrachtgever
):
    client.force_login(opdrachtgever)
    response = client.get(url(journey))
    assert response.status_code == 200 and response.context["entry_form"] is None
    response = client.post(url(journey, "canvas_add_entry"), entry_data(first_phase(journey)))
    assert response.status_code == 403
    assert not CanvasEntry.objects.exists()


def test_anonymous_visitor_reads_a_public_canvas_without_forms_or_author_names(
    client, reisbegeleider
):
    journey = services.create_journey(
        reisbegeleider,
        title="Open reis",
        challenge="Armoede",
        visibility=Journey.Visibility.OPENBAAR,
    )
    add(reisbegeleider, journey, first_phase(journey), Block.FINANCIERING, "Gemeente")
    response = client.get(url(journey))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gemeente" in html
    assert reisbegeleider.last_name not in html.split('id="inhoud"', 1)[1]
    assert response.context["entry_form"] is None


def test_closed_journey_canvas_is_404_for_non_members(client, reisbegeleider, professional):
    journey = services.create_journey(
        reisbegeleider, title="Dicht", challenge="Armoede", visibility=Journey.Visibility.BESLOTEN
    )
    assert client.get(url(journey)).status_code == 404
    client.force_login(professional)
    assert client.get(url(journey)).status_code == 404
    response = client.post(url(journey, "canvas_add_entry"), entry_data(first_phase(journey)))
    assert response.status_code == 404
    assert not CanvasEntry.objects.exists()


def test_add_entry_needs_post(client, journey, reiziger):
    client.force_login(reiziger)
    assert client.get(url(journey, "canvas_add_entry")).status_code == 405


# --- Print and query count ----------------------------------------------------------------


def test_canvas_stylesheet_hides_forms_when_printing(client, journey, reisbegeleider):
    from django.contrib.staticfiles import finders

    client.force_login(reisbegeleider)
    assert "css/canvas.css" in client.get(url(journey)).content.decode()
    with open(finders.find("css/canvas.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    print_rules = css.split("@media print", 1)[1]
    for selector in (".platform-header", "form", "button", "break-inside: avoid"):
        assert selector in print_rules


def test_canvas_query_count_does_not_grow_with_entries(client, journey, reisbegeleider, reiziger):
    def fill(phases_to_add: int, entries_per_cell: int):
        for n in range(phases_to_add):
            services.add_canvas_phase(reisbegeleider, journey, name=f"extra {n}")
        for phase in journey.canvas_phases.all():
            for block in BuildingBlock.values:
                for n in range(entries_per_cell):
                    add(reiziger, journey, phase, block, f"Actor {phase.pk}-{block}-{n}")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(journey)).status_code == 200
        return len(captured)

    client.force_login(reisbegeleider)
    client.get(url(journey))  # the header caches the editorial section addresses once
    add(reiziger, journey, first_phase(journey), Block.FINANCIERING, "Een")
    small = queries()
    fill(phases_to_add=4, entries_per_cell=2)
    services.mark_doublure(
        reisbegeleider, journey, phase=first_phase(journey), block=Block.FINANCIERING, intended=True
    )
    assert CanvasEntry.objects.count() > 10 * 1
    large = queries()
    assert large == small
