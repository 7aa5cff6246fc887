"""The rules of a journey, at the service level: phases, approval, versions, invitations,
join requests and roles. Every refusal leaves the data as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from journeys import activity, services
from journeys.models import Invitation, JoinRequest, Journey, Membership, PhaseResult
from tests.journeys.conftest import add_member, fill_and_approve

Phase = Journey.Phase
Role = Membership.Role
Status = PhaseResult.Status

pytestmark = pytest.mark.django_db


# --- Phases -------------------------------------------------------------------------------


def test_journey_moves_on_once_the_opdracht_is_vastgesteld(make_journey, reisbegeleider):
    journey = make_journey()
    fill_and_approve(journey)

    services.move_phase(reisbegeleider, journey, to_phase=Phase.VERKENNEN, note="Op verkenning")

    journey.refresh_from_db()
    assert journey.phase == Phase.VERKENNEN
    moves = list(journey.transitions.values_list("from_phase", "to_phase", "note"))
    assert moves == [("", Phase.REISWENS, ""), (Phase.REISWENS, Phase.VERKENNEN, "Op verkenning")]
    assert PhaseResult.objects.filter(journey=journey, kind=PhaseResult.Kind.FOTO).exists()


def test_moving_on_before_the_result_is_vastgesteld_is_refused(make_journey, reisbegeleider):
    journey = make_journey()

    with pytest.raises(services.RuleViolation, match=r"vastgesteld|vaststellen"):
        services.move_phase(reisbegeleider, journey, to_phase=Phase.VERKENNEN)

    journey.refresh_from_db()
    assert journey.phase == Phase.REISWENS
    assert journey.transitions.count() == 1


def test_skipping_a_phase_is_refused(make_journey, reisbegeleider):
    journey = make_journey()
    fill_and_approve(journey)

    with pytest.raises(services.RuleViolation, match=r"one phase at a time|fase tegelijk"):
        services.move_phase(reisbegeleider, journey, to_phase=Phase.INRICHTEN)

    journey.refresh_from_db()
    assert journey.phase == Phase.REISWENS


@pytest.mark.parametrize("role", ["opdrachtgever", "professional", "inwoner", "trainer"])
def test_only_the_reisbegeleider_moves_the_journey(make_journey, personas, role):
    journey = make_journey()
    fill_and_approve(journey)

    with pytest.raises(PermissionDenied):
        services.move_phase(personas[role], journey, to_phase=Phase.VERKENNEN)

    journey.refresh_from_db()
    assert journey.phase == Phase.REISWENS


def test_after_doen_en_leren_a_new_cycle_starts_at_inrichten_from_the_agreed_programme(
    make_journey, reisbegeleider
):
    journey = make_journey()
    for phase in (Phase.VERKENNEN, Phase.INRICHTEN, Phase.DOEN_EN_LEREN):
        fill_and_approve(journey, text=f"Afgesproken in {journey.phase}")
        services.move_phase(reisbegeleider, journey, to_phase=phase)
        journey.refresh_from_db()

    # Vaststellen of the reisverslag closes the cycle by itself.
    fill_and_approve(journey, text="Wat het opleverde")

    journey.refresh_from_db()
    assert (journey.phase, journey.cycle) == (Phase.INRICHTEN, 2)
    programme = PhaseResult.objects.get(
        journey=journey, kind=PhaseResult.Kind.PROGRAMMA_AANPAK, cycle=2
    )
    assert programme.status == Status.CONCEPT
    assert programme.content["focus_groepen"] == "Afgesproken in inrichten"
    assert journey.transitions.count() == 5
    assert journey.transitions.last().cycle == 2
    # Moving on again needs cycle 2's own programma-aanpak to be vastgesteld.
    with pytest.raises(services.RuleViolation):
        services.move_phase(reisbegeleider, journey, to_phase=Phase.DOEN_EN_LEREN)


# --- Approval -----------------------------------------------------------------------------


def _written(journey, author, text="Eerste tekst"):
    result = services.result_for(journey, journey.result_kind)
    revision = services.save_result(
        author, result, content={"vraag": text}, base_revision_id=result.latest_revision_id
    )
    return result, revision


def test_only_the_opdrachtgever_approves(make_journey, reisbegeleider, professional, beheerder):
    journey = make_journey()
    result, revision = _written(journey, reisbegeleider)
    services.submit_result(reisbegeleider, result)

    for someone in (reisbegeleider, professional, beheerder):
        with pytest.raises(PermissionDenied):
            services.approve_result(someone, result, revision_id=revision.pk)

    result.refresh_from_db()
    assert result.status == Status.TER_VASTSTELLING
    assert result.approved_revision is None


def test_approving_a_concept_is_refused(make_journey, reisbegeleider, opdrachtgever):
    journey = make_journey()
    result, revision = _written(journey, reisbegeleider)

    with pytest.raises(services.RuleViolation):
        services.approve_result(opdrachtgever, result, revision_id=revision.pk)

    result.refresh_from_db()
    assert result.status == Status.CONCEPT


def test_approval_of_a_text_that_changed_meanwhile_is_refused(
    make_journey, reisbegeleider, opdrachtgever
):
    journey = make_journey()
    result, first = _written(journey, reisbegeleider)
    services.submit_result(reisbegeleider, result)

    with pytest.raises(services.RuleViolation):
        services.approve_result(opdrachtgever, result, revision_id=first.pk - 1)

    result.refresh_from_db()
    assert result.status == Status.TER_VASTSTELLING


def test_the_opdrachtgever_can_send_a_result_back_to_concept(
    make_journey, reisbegeleider, opdrachtgever
):
    journey = make_journey()
    result, _ = _written(journey, reisbegeleider)
    services.submit_result(reisbegeleider, result)

    services.return_result(opdrachtgever, result, note="De ambitie ontbreekt")

    result.refresh_from_db()
    assert result.status == Status.CONCEPT


# --- Versions -----------------------------------------------------------------------------


def test_every_save_is_a_revision_with_author_and_time(make_journey, reisbegeleider, professional):
    journey = make_journey()
    result, first = _written(journey, reisbegeleider, "Eerste tekst")
    second = services.save_result(
        professional, result, content={"vraag": "Tweede tekst"}, base_revision_id=first.pk
    )

    revisions = list(result.revisions.order_by("number"))
    assert [(r.number, r.author, r.content["vraag"]) for r in revisions] == [
        (1, reisbegeleider, "Eerste tekst"),
        (2, professional, "Tweede tekst"),
    ]
    assert all(r.created_at for r in revisions)
    result.refresh_from_db()
    assert result.latest_revision == second


def test_saving_the_same_text_makes_no_new_revision(make_journey, reisbegeleider):
    journey = make_journey()
    result, first = _written(journey, reisbegeleider, "Tekst")

    again = services.save_result(
        reisbegeleider, result, content={"vraag": "Tekst\r\n"}, base_revision_id=first.pk
    )

    assert again == first
    assert result.revisions.count() == 1


def test_a_vastgesteld_version_stays_and_the_next_edit_opens_a_new_version(
    make_journey, reisbegeleider, professional
):
    journey = make_journey()
    result = fill_and_approve(journey, text="Vastgestelde vraag")
    result.refresh_from_db()
    approved = result.approved_revision

    services.save_result(
        professional,
        result,
        content={**approved.content, "ambitie": "Nieuwe ambitie"},
        base_revision_id=approved.pk,
    )

    result.refresh_from_db()
    assert (result.version, result.status) == (2, Status.CONCEPT)
    assert result.approved_revision == approved
    assert result.latest_revision.content["vraag"] == "Vastgestelde vraag"
    assert approved.content.get("ambitie", "") == ""


def test_editing_a_result_ter_vaststelling_takes_it_back_to_concept(make_journey, reisbegeleider):
    journey = make_journey()
    result, first = _written(journey, reisbegeleider)
    services.submit_result(reisbegeleider, result)

    services.save_result(
        reisbegeleider, result, content={"vraag": "Beter"}, base_revision_id=first.pk
    )

    result.refresh_from_db()
    assert result.status == Status.CONCEPT


def test_second_save_on_an_outdated_revision_is_refused_and_keeps_both_texts(
    make_journey, reisbegeleider, professional
):
    journey = make_journey()
    result, first = _written(journey, reisbegeleider, "Begin")
    services.save_result(
        reisbegeleider, result, content={"vraag": "Tekst van Rosa"}, base_revision_id=first.pk
    )

    with pytest.raises(services.ResultChanged) as refused:
        services.save_result(
            professional, result, content={"vraag": "Tekst van Pieter"}, base_revision_id=first.pk
        )

    assert refused.value.current.content["vraag"] == "Tekst van Rosa"
    assert result.revisions.count() == 2


def test_meelezer_cannot_edit_results(make_journey, inwoner):
    journey = make_journey()
    result = services.result_for(journey, journey.result_kind)

    with pytest.raises(PermissionDenied):
        services.save_result(inwoner, result, content={"vraag": "x"}, base_revision_id=None)

    assert result.revisions.count() == 0


# --- Invitations --------------------------------------------------------------------------


def test_invitation_mail_carries_a_link_that_makes_the_invitee_a_member(
    make_journey, reisbegeleider, make_member, django_capture_on_commit_callbacks, settings
):
    journey = make_journey()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(
            reisbegeleider, journey, email="Nieuw@Example.org", role=Role.REIZIGER
        )

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nieuw@example.org"]
    assert invitation.get_absolute_url() in mail.outbox[0].body
    newcomer = make_member("nieuw@example.org")
    membership = services.accept_invitation(newcomer, invitation.token)
    assert membership.role == Role.REIZIGER
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


def test_a_used_invitation_cannot_be_used_again(make_journey, reisbegeleider, trainer):
    journey = make_journey()
    invitation = services.invite(reisbegeleider, journey, email=trainer.email, role=Role.REIZIGER)
    services.accept_invitation(trainer, invitation.token)
    services.leave(trainer, journey)

    with pytest.raises(services.RuleViolation, match=r"used|gebruikt"):
        services.accept_invitation(trainer, invitation.token)

    assert not journey.memberships.filter(user=trainer).exists()


def test_an_expired_invitation_is_refused(make_journey, reisbegeleider, trainer):
    journey = make_journey()
    invitation = services.invite(reisbegeleider, journey, email=trainer.email, role=Role.REIZIGER)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    with pytest.raises(services.RuleViolation, match=r"expired|verlopen"):
        services.accept_invitation(trainer, invitation.token)

    assert not journey.memberships.filter(user=trainer).exists()


def test_an_invitation_is_accepted_only_by_its_address(
    make_journey, reisbegeleider, trainer, onderzoeker
):
    journey = make_journey()
    invitation = services.invite(reisbegeleider, journey, email=trainer.email, role=Role.REIZIGER)

    with pytest.raises(services.RuleViolation):
        services.accept_invitation(onderzoeker, invitation.token)

    assert not journey.memberships.filter(user=onderzoeker).exists()


def test_an_unverified_address_cannot_accept(make_journey, reisbegeleider, make_member):
    journey = make_journey()
    unverified = make_member("nog.niet@example.org", verified=False)
    invitation = services.invite(
        reisbegeleider, journey, email=unverified.email, role=Role.REIZIGER
    )

    with pytest.raises(services.RuleViolation):
        services.accept_invitation(unverified, invitation.token)


def test_declined_invitation_is_closed(make_journey, reisbegeleider, trainer):
    journey = make_journey()
    invitation = services.invite(reisbegeleider, journey, email=trainer.email, role=Role.REIZIGER)

    services.decline_invitation(None, invitation.token)

    with pytest.raises(services.RuleViolation):
        services.accept_invitation(trainer, invitation.token)


def test_inviting_a_member_or_twice_is_refused(make_journey, reisbegeleider, professional, trainer):
    journey = make_journey()
    with pytest.raises(services.RuleViolation):
        services.invite(reisbegeleider, journey, email=professional.email, role=Role.REIZIGER)
    services.invite(reisbegeleider, journey, email=trainer.email, role=Role.REIZIGER)
    with pytest.raises(services.RuleViolation):
        services.invite(reisbegeleider, journey, email=trainer.email, role=Role.MEELEZER)

    assert journey.invitations.filter(email=trainer.email).count() == 1


def test_only_the_reisbegeleider_invites(make_journey, professional):
    journey = make_journey()
    with pytest.raises(PermissionDenied):
        services.invite(professional, journey, email="x@example.org", role=Role.REIZIGER)


# --- Join requests, roles, leaving --------------------------------------------------------


def test_join_request_on_a_network_journey_is_approved_by_the_reisbegeleider(
    make_journey, reisbegeleider, trainer
):
    journey = make_journey(visibility=Journey.Visibility.NETWERK)
    request = services.request_to_join(trainer, journey, message="Ik train professionals")

    with pytest.raises(services.RuleViolation):
        services.request_to_join(trainer, journey)
    services.decide_join_request(reisbegeleider, request, approve=True, role=Role.MEELEZER)

    assert journey.memberships.get(user=trainer).role == Role.MEELEZER
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.APPROVED


def test_closed_journeys_take_no_join_requests(make_journey, trainer):
    journey = make_journey(visibility=Journey.Visibility.BESLOTEN)
    with pytest.raises(PermissionDenied):
        services.request_to_join(trainer, journey)
    assert journey.join_requests.count() == 0


def test_a_journey_always_keeps_a_reisbegeleider(make_journey, reisbegeleider, professional):
    journey = make_journey()
    own = journey.memberships.get(user=reisbegeleider)

    with pytest.raises(services.RuleViolation):
        services.leave(reisbegeleider, journey)
    with pytest.raises(services.RuleViolation):
        services.change_role(reisbegeleider, own, Role.REIZIGER)

    services.change_role(
        reisbegeleider, journey.memberships.get(user=professional), Role.REISBEGELEIDER
    )
    services.leave(reisbegeleider, journey)
    assert list(
        journey.memberships.filter(role=Role.REISBEGELEIDER).values_list("user", flat=True)
    ) == [professional.pk]


def test_every_membership_change_and_move_shows_in_the_activity(
    make_journey, reisbegeleider, trainer
):
    journey = make_journey()
    add_member(journey, trainer, Role.MEELEZER)
    services.change_role(reisbegeleider, journey.memberships.get(user=trainer), Role.REIZIGER)
    fill_and_approve(journey)
    services.move_phase(reisbegeleider, journey, to_phase=Phase.VERKENNEN)

    actions = [item.action for item in activity.recent(journey, limit=100)]
    for action in (
        "journey.created",
        "journey.invited",
        "journey.joined",
        "journey.role_changed",
        "journey.result_saved",
        "journey.result_submitted",
        "journey.result_approved",
        "journey.phase_moved",
    ):
        assert action in actions
    assert all(
        item.text and not item.text.startswith("journey.") for item in activity.recent(journey, 100)
    )
