"""`manage.py seed_demo` builds three demo journeys through the services, idempotently."""

from io import StringIO

import pytest
from django.core.management import call_command

from community.models import AuditEntry, Organisation, User
from journeys import method
from journeys.canvas import grid_for
from journeys.demo import LONELINESS_SLUG, NEIGHBOURHOOD_SLUG, POVERTY_SLUG, seed_journeys
from journeys.models import (
    CanvasPhaseTemplate,
    DataPoint,
    Invitation,
    JoinRequest,
    Journey,
    LensDocument,
    Membership,
    PhaseResult,
    PhaseTransition,
    ResultRevision,
)

pytestmark = pytest.mark.django_db

Role = Membership.Role
Status = PhaseResult.Status


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def journey(slug: str) -> Journey:
    return Journey.objects.get(slug=slug)


def test_demo_has_journeys_in_three_phases_and_three_visibilities():
    output = seed()
    journeys = {j.slug: j for j in Journey.objects.all()}
    assert len(journeys) >= 3
    assert (journeys[LONELINESS_SLUG].phase, journeys[LONELINESS_SLUG].visibility) == (
        Journey.Phase.VERKENNEN,
        Journey.Visibility.OPENBAAR,
    )
    assert (journeys[POVERTY_SLUG].phase, journeys[POVERTY_SLUG].visibility) == (
        Journey.Phase.INRICHTEN,
        Journey.Visibility.NETWERK,
    )
    assert (journeys[NEIGHBOURHOOD_SLUG].phase, journeys[NEIGHBOURHOOD_SLUG].visibility) == (
        Journey.Phase.REISWENS,
        Journey.Visibility.BESLOTEN,
    )
    for slug in (LONELINESS_SLUG, POVERTY_SLUG, NEIGHBOURHOOD_SLUG):
        assert f"/reizen/{slug}/" in output


def test_demo_journeys_have_every_role():
    seed()
    for slug in (LONELINESS_SLUG, POVERTY_SLUG, NEIGHBOURHOOD_SLUG):
        roles = set(journey(slug).memberships.values_list("role", flat=True))
        assert roles == set(Role.values), slug
    assert journey(LONELINESS_SLUG).memberships.get(role=Role.REISBEGELEIDER).user.email == (
        "reisbegeleider@example.org"
    )
    assert journey(LONELINESS_SLUG).memberships.get(role=Role.OPDRACHTGEVER).user.email == (
        "opdrachtgever@example.org"
    )
    assert set(
        journey(LONELINESS_SLUG)
        .memberships.filter(role=Role.REIZIGER)
        .values_list("user__email", flat=True)
    ) == {"professional@example.org", "onderzoeker@example.org"}


def test_demo_results_are_filled_and_the_opdracht_of_the_exploring_journey_is_vastgesteld():
    seed()
    exploring = journey(LONELINESS_SLUG)
    opdracht = exploring.results.get(kind=PhaseResult.Kind.OPDRACHT)
    assert opdracht.status == Status.VASTGESTELD
    assert opdracht.approved_by.email == "opdrachtgever@example.org"
    assert all(opdracht.approved_revision.content[key] for key in method.section_keys("opdracht"))
    foto = exploring.results.get(kind=PhaseResult.Kind.FOTO)
    written = [key for key in method.lens_keys() if foto.content.get(key)]
    assert 3 <= len(written) < len(method.lens_keys())  # partly written
    assert foto.revisions.values("author").distinct().count() >= 2
    assert DataPoint.objects.filter(journey=exploring).count() >= 2
    point = DataPoint.objects.filter(journey=exploring).first()
    assert point.indicator and point.unit and point.source and point.measured_on
    assert LensDocument.objects.filter(journey=exploring).exists()

    # The poverty journey went round one full cycle: every result it passed is vastgesteld.
    poverty = journey(POVERTY_SLUG)
    assert poverty.cycle == 2
    cycle_1 = poverty.results.filter(cycle=1)
    assert {r.kind for r in cycle_1} == set(PhaseResult.Kind.values)
    assert all(r.status == Status.VASTGESTELD for r in cycle_1)
    aanpak = poverty.results.get(kind=PhaseResult.Kind.PROGRAMMA_AANPAK, cycle=2)
    assert (
        aanpak.content["focus_groepen"]
        != (
            poverty.results.get(kind=PhaseResult.Kind.PROGRAMMA_AANPAK, cycle=1).content[
                "focus_groepen"
            ]
        )
    )
    assert [(t.from_phase, t.to_phase) for t in poverty.transitions.all()] == [
        ("", "reiswens"),
        ("reiswens", "verkennen"),
        ("verkennen", "inrichten"),
        ("inrichten", "doen_en_leren"),
        ("doen_en_leren", "inrichten"),
    ]
    assert all(t.note for t in PhaseTransition.objects.exclude(from_phase=""))

    # The neighbourhood journey's opdracht waits for the opdrachtgever.
    waiting = journey(NEIGHBOURHOOD_SLUG).results.get(kind=PhaseResult.Kind.OPDRACHT)
    assert waiting.status == Status.TER_VASTSTELLING
    assert waiting.approved_revision is None


def test_demo_canvas_shows_witte_vlekken_and_a_doublure():
    seed()
    grid = grid_for(journey(NEIGHBOURHOOD_SLUG))
    filled_phases = {row.phase.name for row in grid.rows if not all(c.is_gap for c in row.cells)}
    assert {"signalering", "articulatie", "organisatie"} <= filled_phases
    assert {cell.block for cell in grid.cells if not cell.is_gap} == {
        block for block, _ in grid.blocks
    }
    assert grid.gap_count > 0
    assert grid.doublure_count >= 2
    assert grid.unintended_doublure_count >= 1
    intended = [cell for cell in grid.cells if cell.is_doublure and cell.intended]
    assert intended
    assert intended[0].intended.marked_by.email == "reisbegeleider@example.org"


def test_demo_leaves_a_join_request_and_an_invitation_waiting():
    seed()
    request = JoinRequest.objects.get(status=JoinRequest.Status.OPEN)
    assert (request.journey.slug, request.user.email) == (POVERTY_SLUG, "trainer@example.org")
    invitation = Invitation.objects.get(status=Invitation.Status.OPEN)
    assert invitation.journey.slug == NEIGHBOURHOOD_SLUG
    assert (invitation.email, invitation.role) == ("nieuw.lid@example.org", Role.REIZIGER)
    assert not User.objects.filter(email="nieuw.lid@example.org").exists()


def test_demo_gives_personas_an_organisation_job_title_and_expertise():
    seed()
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {"gemeente", "welzijn", "zorg", "kennisinstelling", "bedrijf"} <= kinds
    assert Organisation.objects.filter(kind="gemeente").count() >= 2
    rosa = User.objects.get(email="reisbegeleider@example.org")
    assert rosa.organisation.kind == "gemeente"
    assert rosa.job_title
    assert rosa.expertise.exists()


def test_a_profile_someone_changed_survives_the_next_run():
    seed()
    pieter = User.objects.get(email="professional@example.org")
    pieter.job_title = "wijkcoach"
    pieter.save()
    seed()
    pieter.refresh_from_db()
    assert pieter.job_title == "wijkcoach"


def counts() -> tuple[int, ...]:
    return (
        Journey.objects.count(),
        Membership.objects.count(),
        ResultRevision.objects.count(),
        AuditEntry.objects.count(),
        PhaseTransition.objects.count(),
        Organisation.objects.count(),
        Invitation.objects.count(),
        JoinRequest.objects.count(),
    )


def test_demo_is_idempotent():
    seed()
    before = counts()
    output = seed()
    assert counts() == before
    assert "Demo journeys ready (0 new)" in output
    assert seed_journeys() == 0


def test_demo_builds_a_journey_again_when_only_that_one_is_missing():
    seed()
    journey(POVERTY_SLUG).delete()
    assert seed_journeys() == 1
    # The journey is rebuilt up to its reisverslag; the next full run composes and
    # vaststelt it, which starts cycle 2.
    assert journey(POVERTY_SLUG).phase == Journey.Phase.DOEN_EN_LEREN
    seed()
    assert journey(POVERTY_SLUG).cycle == 2


def test_demo_canvas_brings_its_own_phases_when_the_defaults_were_changed():
    CanvasPhaseTemplate.objects.all().delete()
    seed()
    grid = grid_for(journey(NEIGHBOURHOOD_SLUG))
    assert [row.phase.name for row in grid.rows][:3] == [
        "signalering",
        "articulatie",
        "organisatie",
    ]
    assert grid.unintended_doublure_count == 1


def test_demo_sends_no_invitation_mail(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    assert mailoutbox == []
