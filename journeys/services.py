"""The rules of a journey. Every write goes through here: permission check, transaction,
audit entry (shown as the journey's activity), mail after commit.

Functions take the acting user first. A broken rule raises RuleViolation with a Dutch
message that the view shows as it is; a missing right raises PermissionDenied.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community import audit
from community.models import Organisation, User
from journeys import method
from journeys.models import (
    BuildingBlock,
    CanvasEntry,
    CanvasPhase,
    CanvasPhaseTemplate,
    DataPoint,
    IntendedDoublure,
    Invitation,
    JoinRequest,
    Journey,
    LensDocument,
    Membership,
    PhaseResult,
    PhaseTransition,
    ResultRevision,
)
from journeys.queries import Access, access_for, may_view

Role = Membership.Role
Status = PhaseResult.Status
INVITATION_VALID_DAYS = 14


class RuleViolation(Exception):  # noqa: N818 - a refusal, not an error of the platform
    """A request the rules refuse; the message says why, in the user's language."""


class ResultChanged(RuleViolation):
    """Someone else saved the result after this edit started. Nothing was saved."""

    def __init__(self, message: str, current: ResultRevision | None):
        super().__init__(message)
        self.current = current


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _access(actor: User, journey: Journey) -> Access:
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in first."))
    return access_for(actor, journey)


def _record(actor: User | None, action: str, journey: Journey, **data) -> None:
    # Everything about a journey is filed under the journey: that is its activity.
    audit.record(actor, action, journey, **data)
    Journey.objects.filter(pk=journey.pk).update(updated_at=timezone.now())


# Addresses under /reizen/ that are not journeys.
RESERVED_SLUGS = {"nieuw", "uitnodiging"}


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "reis"
    if base in RESERVED_SLUGS:
        base = f"{base}-reis"
    slug, n = base, 2
    while Journey.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- Journey ------------------------------------------------------------------------------


@transaction.atomic
def create_journey(
    actor: User,
    *,
    title: str,
    challenge: str,
    summary: str = "",
    visibility: str = Journey.Visibility.NETWERK,
    scenario: str = "",
    organisations: Iterable[Organisation] = (),
    themes: Iterable[str] = (),
    slug: str | None = None,
) -> Journey:
    """A signed-in member starts a journey and becomes its reisbegeleider."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in first."))
    journey = Journey.objects.create(
        title=title.strip(),
        slug=slug or _unique_slug(title),
        challenge=challenge.strip(),
        summary=summary.strip(),
        visibility=visibility,
        scenario=scenario,
    )
    journey.organisations.set(list(organisations))
    if themes:
        journey.themes.set(list(themes))
    Membership.objects.create(journey=journey, user=actor, role=Role.REISBEGELEIDER)
    PhaseTransition.objects.create(
        journey=journey, to_phase=journey.phase, cycle=journey.cycle, actor=actor
    )
    CanvasPhase.objects.bulk_create(
        CanvasPhase(journey=journey, name=t.name, description=t.description, position=t.position)
        for t in CanvasPhaseTemplate.objects.all()
    )
    _ensure_result(journey, method.Kind.OPDRACHT, journey.cycle)
    _record(actor, "journey.created", journey, title=journey.title)
    return journey


@transaction.atomic
def update_journey(actor: User, journey: Journey, **fields) -> Journey:
    """The reisbegeleider edits title, challenge, summary, visibility, scenario,
    organisations and themes."""
    _require(
        _access(actor, journey).can_facilitate, _("Only the reisbegeleider edits the journey.")
    )
    organisations = fields.pop("organisations", None)
    themes = fields.pop("themes", None)
    changed = sorted(k for k, v in fields.items() if getattr(journey, k) != v)
    for key, value in fields.items():
        setattr(journey, key, value.strip() if isinstance(value, str) else value)
    journey.save()
    if organisations is not None:
        journey.organisations.set(list(organisations))
    if themes is not None:
        journey.themes.set(list(themes))
    _record(actor, "journey.updated", journey, fields=changed)
    return journey


# --- Membership ---------------------------------------------------------------------------


def _reisbegeleiders(journey: Journey) -> int:
    return journey.memberships.filter(role=Role.REISBEGELEIDER).count()


def _keep_a_reisbegeleider(membership: Membership, new_role: str | None) -> None:
    if (
        membership.role == Role.REISBEGELEIDER
        and new_role != Role.REISBEGELEIDER
        and _reisbegeleiders(membership.journey) <= 1
    ):
        raise RuleViolation(
            _(
                "A journey always keeps at least one reisbegeleider. Make someone else "
                "reisbegeleider first."
            )
        )


def _verified_emails(user: User) -> set[str]:
    return {
        e.lower()
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }


@transaction.atomic
def invite(
    actor: User,
    journey: Journey,
    *,
    email: str,
    role: str,
    message: str = "",
    send_email: bool = True,
) -> Invitation:
    """The reisbegeleider invites someone by email, with or without an account.
    Demo data passes send_email=False: nobody reads mail to example.org."""
    _require(_access(actor, journey).can_facilitate, _("Only the reisbegeleider invites people."))
    email = email.strip().lower()
    if role not in Role.values:
        raise RuleViolation(_("Choose one of the roles."))
    if journey.memberships.filter(user__emailaddress__email__iexact=email).exists() or (
        journey.memberships.filter(user__email__iexact=email).exists()
    ):
        raise RuleViolation(_("%(email)s is already a member of this journey.") % {"email": email})
    now = timezone.now()
    if journey.invitations.filter(
        email__iexact=email, status=Invitation.Status.OPEN, expires_at__gt=now
    ).exists():
        raise RuleViolation(
            _("%(email)s already has an open invitation. Withdraw it to send a new one.")
            % {"email": email}
        )
    invitation = Invitation.objects.create(
        journey=journey,
        email=email,
        role=role,
        message=message.strip(),
        token=secrets.token_urlsafe(32),
        invited_by=actor,
        expires_at=now + timedelta(days=INVITATION_VALID_DAYS),
    )
    _record(actor, "journey.invited", journey, email=email, role=role)
    if send_email:
        transaction.on_commit(lambda: _send_invitation(invitation))
    return invitation


def _send_invitation(invitation: Invitation) -> None:
    context = {
        "invitation": invitation,
        "journey": invitation.journey,
        "url": settings.BASE_URL.rstrip("/") + invitation.get_absolute_url(),
        "platform_name": settings.PLATFORM_NAME,
    }
    subject = render_to_string("journeys/email/invitation_subject.txt", context).strip()
    body = render_to_string("journeys/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


def _open_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update().select_related("journey").filter(token=token).first()
    )
    if invitation is None:
        raise RuleViolation(_("This invitation does not exist. Check the link in your email."))
    if invitation.status != Invitation.Status.OPEN:
        raise RuleViolation(
            _(
                "This invitation has already been used or withdrawn. "
                "Ask the reisbegeleider for a new one."
            )
        )
    if invitation.expires_at <= timezone.now():
        raise RuleViolation(_("This invitation has expired. Ask the reisbegeleider for a new one."))
    return invitation


@transaction.atomic
def accept_invitation(actor: User, token: str) -> Membership:
    """Accept with an account whose verified email address is the one invited."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in first."))
    invitation = _open_invitation(token)
    if invitation.email.lower() not in _verified_emails(actor):
        raise RuleViolation(
            _(
                "This invitation was sent to %(email)s. Sign in with that address, or add and "
                "verify it on your account page."
            )
            % {"email": invitation.email}
        )
    journey = invitation.journey
    if journey.memberships.filter(user=actor).exists():
        raise RuleViolation(_("You are already a member of this journey."))
    membership = Membership.objects.create(journey=journey, user=actor, role=invitation.role)
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_by = actor
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_by", "responded_at"])
    journey.join_requests.filter(user=actor, status=JoinRequest.Status.OPEN).update(
        status=JoinRequest.Status.WITHDRAWN
    )
    _record(actor, "journey.joined", journey, role=invitation.role, via="invitation")
    return membership


@transaction.atomic
def decline_invitation(actor: User | None, token: str) -> Invitation:
    """Whoever holds the link may decline, signed in or not."""
    invitation = _open_invitation(token)
    invitation.status = Invitation.Status.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    actor = actor if actor is not None and actor.is_authenticated else None
    _record(actor, "journey.invitation_declined", invitation.journey, email=invitation.email)
    return invitation


@transaction.atomic
def revoke_invitation(actor: User, invitation: Invitation) -> None:
    journey = invitation.journey
    _require(
        _access(actor, journey).can_facilitate, _("Only the reisbegeleider withdraws invitations.")
    )
    if invitation.status != Invitation.Status.OPEN:
        raise RuleViolation(_("This invitation is no longer open."))
    invitation.status = Invitation.Status.REVOKED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    _record(actor, "journey.invitation_revoked", journey, email=invitation.email)


@transaction.atomic
def request_to_join(actor: User, journey: Journey, *, message: str = "") -> JoinRequest:
    """Ask to join a journey that is open to the network; besloten journeys invite."""
    access = _access(actor, journey)
    if not may_view(actor, journey, access.role):
        raise PermissionDenied
    if journey.visibility == Journey.Visibility.BESLOTEN:
        raise RuleViolation(_("This journey is closed: members join by invitation only."))
    if access.is_member:
        raise RuleViolation(_("You are already a member of this journey."))
    if journey.join_requests.filter(user=actor, status=JoinRequest.Status.OPEN).exists():
        raise RuleViolation(_("You have already asked to join. The reisbegeleider will decide."))
    request = JoinRequest.objects.create(journey=journey, user=actor, message=message.strip())
    _record(actor, "journey.join_requested", journey)
    return request


@transaction.atomic
def decide_join_request(
    actor: User, join_request: JoinRequest, *, approve: bool, role: str = Role.REIZIGER
) -> JoinRequest:
    journey = join_request.journey
    _require(
        _access(actor, journey).can_facilitate, _("Only the reisbegeleider decides on requests.")
    )
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.OPEN:
        raise RuleViolation(_("This request has already been decided."))
    if role not in Role.values:
        raise RuleViolation(_("Choose one of the roles."))
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    member = join_request.user
    if approve:
        Membership.objects.get_or_create(journey=journey, user=member, defaults={"role": role})
        _record(actor, "journey.join_approved", journey, member=member.display_name, role=role)
    else:
        _record(actor, "journey.join_declined", journey, member=member.display_name)
    return join_request


@transaction.atomic
def change_role(actor: User, membership: Membership, role: str) -> Membership:
    journey = membership.journey
    _require(_access(actor, journey).can_facilitate, _("Only the reisbegeleider changes roles."))
    if role not in Role.values:
        raise RuleViolation(_("Choose one of the roles."))
    membership = (
        Membership.objects.select_for_update()
        .select_related("journey", "user")
        .get(pk=membership.pk)
    )
    if membership.role == role:
        return membership
    _keep_a_reisbegeleider(membership, role)
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    _record(
        actor,
        "journey.role_changed",
        journey,
        member=membership.user.display_name,
        old=old,
        new=role,
    )
    return membership


@transaction.atomic
def remove_member(actor: User, membership: Membership) -> None:
    journey = membership.journey
    leaving = actor.pk == membership.user_id
    if not leaving:
        _require(
            _access(actor, journey).can_facilitate, _("Only the reisbegeleider removes members.")
        )
    membership = (
        Membership.objects.select_for_update()
        .select_related("journey", "user")
        .get(pk=membership.pk)
    )
    _keep_a_reisbegeleider(membership, None)
    membership.delete()
    if leaving:
        _record(actor, "journey.left", journey, role=membership.role)
    else:
        _record(actor, "journey.member_removed", journey, member=membership.user.display_name)


def leave(actor: User, journey: Journey) -> None:
    membership = journey.memberships.filter(user=actor).first()
    if membership is None:
        raise RuleViolation(_("You are not a member of this journey."))
    remove_member(actor, membership)


# --- Phases -------------------------------------------------------------------------------


@transaction.atomic
def move_phase(actor: User, journey: Journey, *, to_phase: str, note: str = "") -> PhaseTransition:
    """The reisbegeleider moves the journey on, one phase at a time, once the current
    phase's result is vastgesteld. After doen en leren a new cycle starts at (in)richten."""
    _require(
        _access(actor, journey).can_facilitate, _("Only the reisbegeleider moves the journey on.")
    )
    journey = Journey.objects.select_for_update().get(pk=journey.pk)
    expected = method.next_phase(journey.phase)
    if to_phase != expected:
        raise RuleViolation(
            _("A journey moves one phase at a time: from %(current)s the next phase is %(next)s.")
            % {
                "current": Journey.Phase(journey.phase).label,
                "next": Journey.Phase(expected).label,
            }
        )
    result = _ensure_result(journey, journey.result_kind, journey.cycle)
    if result.approved_revision_id is None:
        raise RuleViolation(
            _(
                "The %(result)s must be vastgesteld by the opdrachtgever "
                "before the journey moves on."
            )
            % {"result": result.get_kind_display()}
        )
    return _enter_phase(actor, journey, to_phase, note=note)


def _enter_phase(
    actor: User, journey: Journey, to_phase: str, *, note: str = ""
) -> PhaseTransition:
    """Move the (locked) journey into `to_phase`; after doen en leren a new cycle starts,
    and its programma-aanpak is drafted from what the network agreed before."""
    from_phase = journey.phase
    if from_phase == Journey.Phase.DOEN_EN_LEREN:
        journey.cycle += 1
    journey.phase = to_phase
    journey.save(update_fields=["phase", "cycle", "updated_at"])
    transition = PhaseTransition.objects.create(
        journey=journey,
        from_phase=from_phase,
        to_phase=to_phase,
        cycle=journey.cycle,
        note=note.strip(),
        actor=actor,
    )
    _ensure_result(journey, journey.result_kind, journey.cycle)
    _record(
        actor, "journey.phase_moved", journey, old=from_phase, new=to_phase, cycle=journey.cycle
    )
    return transition


def _ensure_result(journey: Journey, kind: str, cycle: int) -> PhaseResult:
    result, created = PhaseResult.objects.get_or_create(journey=journey, kind=kind, cycle=cycle)
    if created and kind == method.Kind.PROGRAMMA_AANPAK and cycle > 1:
        _draft_next_programme(journey, result)
    return result


def _draft_next_programme(journey: Journey, result: PhaseResult) -> None:
    """A new cycle's programma-aanpak starts from the one the network last agreed on, with
    what the last vastgesteld reisverslag said about the next cycle carried over."""
    agreed = (
        PhaseResult.objects.filter(journey=journey, cycle__lt=result.cycle)
        .exclude(approved_revision=None)
        .select_related("approved_revision")
        .order_by("-cycle")
    )
    programme = agreed.filter(kind=method.Kind.PROGRAMMA_AANPAK).first()
    reisverslag = agreed.filter(kind=method.Kind.REISVERSLAG).first()
    content = dict(programme.approved_revision.content) if programme else {}
    carried = reisverslag.approved_revision.content.get("vervolg", "") if reisverslag else ""
    content[method.CARRIED_OVER_SECTION] = carried
    if not any(content.values()):
        return
    # Stored text: in the platform's language, not in whoever's session did this.
    with translation.override(settings.LANGUAGE_CODE):
        parts = []
        if programme:
            parts.append(_("Taken over from cycle %(cycle)s") % {"cycle": programme.cycle})
        if carried:
            parts.append(
                _("what comes next from the reisverslag of cycle %(cycle)s")
                % {"cycle": reisverslag.cycle}
            )
        note = "; ".join(parts)
    revision = ResultRevision.objects.create(
        result=result,
        number=1,
        version=1,
        content=content,
        author=None,
        note=note[:1].upper() + note[1:],
    )
    result.latest_revision = revision
    result.save(update_fields=["latest_revision"])


def result_for(journey: Journey, kind: str, cycle: int | None = None) -> PhaseResult:
    """The result of `kind` in `cycle` (the current one by default), made when missing."""
    with transaction.atomic():
        return _ensure_result(journey, kind, cycle or journey.cycle)


# --- Results ------------------------------------------------------------------------------


@transaction.atomic
def save_result(
    actor: User,
    result: PhaseResult,
    *,
    content: dict[str, str],
    base_revision_id: int | None,
    note: str = "",
) -> ResultRevision:
    """Save a new revision. `base_revision_id` is the revision the edit started from: when
    someone saved in between, nothing is saved and ResultChanged carries their text."""
    journey = result.journey
    _require(
        _access(actor, journey).can_contribute,
        _("Only reisbegeleiders, opdrachtgevers and reizigers edit results."),
    )
    result = (
        PhaseResult.objects.select_for_update(of=("self",))
        .select_related("latest_revision")
        .get(pk=result.pk)
    )
    current = result.latest_revision
    if (current.pk if current else None) != base_revision_id:
        raise ResultChanged(
            _(
                "Someone else saved this document after you started editing. Your text has not "
                "been saved yet: compare it with the current version below, combine them and "
                "save again."
            ),
            current,
        )
    keys = method.section_keys(result.kind)
    cleaned = {key: str(content.get(key, "")).replace("\r\n", "\n").strip() for key in keys}
    if current is not None and cleaned == {k: current.content.get(k, "") for k in keys}:
        return current
    if result.status == Status.VASTGESTELD:
        # The vastgesteld version stays as it was; this edit opens the next version.
        result.version += 1
    if result.status != Status.CONCEPT:
        result.status = Status.CONCEPT
    revision = ResultRevision.objects.create(
        result=result,
        number=(current.number + 1) if current else 1,
        version=result.version,
        content=cleaned,
        author=actor,
        note=note.strip()[:200],
    )
    result.latest_revision = revision
    result.save(update_fields=["latest_revision", "version", "status"])
    _record(
        actor,
        "journey.result_saved",
        journey,
        kind=result.kind,
        cycle=result.cycle,
        version=result.version,
        revision=revision.number,
    )
    return revision


@transaction.atomic
def submit_result(actor: User, result: PhaseResult) -> PhaseResult:
    """The reisbegeleider puts the current text before the opdrachtgever."""
    journey = result.journey
    _require(
        _access(actor, journey).can_facilitate,
        _("Only the reisbegeleider submits a result for approval."),
    )
    result = PhaseResult.objects.select_for_update().get(pk=result.pk)
    if result.status != Status.CONCEPT:
        raise RuleViolation(_("Only a concept can be submitted for approval."))
    if result.latest_revision_id is None:
        raise RuleViolation(_("Write the document before submitting it for approval."))
    result.status = Status.TER_VASTSTELLING
    result.save(update_fields=["status"])
    _record(
        actor,
        "journey.result_submitted",
        journey,
        kind=result.kind,
        cycle=result.cycle,
        version=result.version,
    )
    return result


@transaction.atomic
def approve_result(actor: User, result: PhaseResult, *, revision_id: int) -> PhaseResult:
    """The opdrachtgever sets the revision they read (vaststellen)."""
    journey = result.journey
    _require(
        _access(actor, journey).can_approve,
        _("Only the opdrachtgever approves (vaststellen) a result."),
    )
    result = PhaseResult.objects.select_for_update().get(pk=result.pk)
    if result.status != Status.TER_VASTSTELLING:
        raise RuleViolation(_("Only a result that is ter vaststelling can be approved."))
    if result.latest_revision_id != revision_id:
        raise RuleViolation(
            _(
                "The document changed after you opened it. "
                "Read the current version and approve again."
            )
        )
    result.status = Status.VASTGESTELD
    result.approved_revision_id = revision_id
    result.approved_by = actor
    result.approved_at = timezone.now()
    result.save(update_fields=["status", "approved_revision", "approved_by", "approved_at"])
    _record(
        actor,
        "journey.result_approved",
        journey,
        kind=result.kind,
        cycle=result.cycle,
        version=result.version,
    )
    journey = Journey.objects.select_for_update().get(pk=journey.pk)
    if (
        result.kind == method.Kind.REISVERSLAG
        and result.cycle == journey.cycle
        and journey.phase == Journey.Phase.DOEN_EN_LEREN
    ):
        # Vaststellen of the reisverslag closes the cycle: the journey goes back to
        # (in)richten and the next programma-aanpak starts from what it says.
        with translation.override(settings.LANGUAGE_CODE):
            note = _("The reisverslag was vastgesteld: cycle %(cycle)s starts.") % {
                "cycle": journey.cycle + 1
            }
        _enter_phase(actor, journey, method.next_phase(journey.phase), note=note)
    return result


@transaction.atomic
def return_result(actor: User, result: PhaseResult, *, note: str = "") -> PhaseResult:
    """The opdrachtgever sends a result back to concept, saying what is missing."""
    journey = result.journey
    _require(_access(actor, journey).can_approve, _("Only the opdrachtgever sends a result back."))
    result = PhaseResult.objects.select_for_update().get(pk=result.pk)
    if result.status != Status.TER_VASTSTELLING:
        raise RuleViolation(_("Only a result that is ter vaststelling can be sent back."))
    result.status = Status.CONCEPT
    result.save(update_fields=["status"])
    _record(
        actor,
        "journey.result_returned",
        journey,
        kind=result.kind,
        cycle=result.cycle,
        note=note.strip(),
    )
    return result


# --- The foto's linked items --------------------------------------------------------------


def _check_lens(lens: str) -> None:
    if lens not in method.lens_keys():
        raise RuleViolation(_("Choose one of the foto's lenses."))


@transaction.atomic
def add_data_point(
    actor: User,
    journey: Journey,
    *,
    lens: str,
    indicator: str,
    value: Decimal,
    unit: str,
    source: str,
    measured_on: date,
    cycle: int | None = None,
) -> DataPoint:
    _require(_access(actor, journey).can_contribute, _("Only contributing members add data."))
    _check_lens(lens)
    point = DataPoint.objects.create(
        journey=journey,
        cycle=cycle or journey.cycle,
        lens=lens,
        indicator=indicator.strip(),
        value=value,
        unit=unit.strip(),
        source=source.strip(),
        measured_on=measured_on,
        added_by=actor,
    )
    _record(actor, "journey.data_added", journey, indicator=point.indicator, lens=lens)
    return point


@transaction.atomic
def add_document(
    actor: User, journey: Journey, *, lens: str, title: str, url: str, cycle: int | None = None
) -> LensDocument:
    _require(_access(actor, journey).can_contribute, _("Only contributing members add documents."))
    _check_lens(lens)
    document = LensDocument.objects.create(
        journey=journey,
        cycle=cycle or journey.cycle,
        lens=lens,
        title=title.strip(),
        url=url,
        added_by=actor,
    )
    _record(actor, "journey.document_added", journey, title=document.title, lens=lens)
    return document


@transaction.atomic
def remove_linked_item(actor: User, item: DataPoint | LensDocument) -> None:
    journey = item.journey
    access = _access(actor, journey)
    _require(
        access.can_facilitate or (access.can_contribute and item.added_by_id == actor.pk),
        _("Only the person who added it, or the reisbegeleider, removes it."),
    )
    label = item.indicator if isinstance(item, DataPoint) else item.title
    item.delete()
    _record(actor, "journey.item_removed", journey, item=label)


# --- Impact Canvas ------------------------------------------------------------------------


@transaction.atomic
def add_canvas_entry(
    actor: User,
    journey: Journey,
    *,
    phase: CanvasPhase,
    block: str,
    actor_name: str,
    contribution: str = "",
    status: str = CanvasEntry.Status.ACTIEF,
) -> CanvasEntry:
    _require(
        _access(actor, journey).can_contribute, _("Only contributing members fill the canvas.")
    )
    if phase.journey_id != journey.pk:
        raise RuleViolation(_("That phase is not part of this journey's canvas."))
    if block not in BuildingBlock.values:
        raise RuleViolation(_("Choose one of the four building blocks."))
    if status not in CanvasEntry.Status.values:
        raise RuleViolation(_("Choose one of the statuses."))
    if not actor_name.strip():
        raise RuleViolation(_("Name the actor or organisation that brings something."))
    entry = CanvasEntry.objects.create(
        journey=journey,
        phase=phase,
        block=block,
        actor=actor_name.strip(),
        contribution=contribution.strip(),
        status=status,
        added_by=actor,
    )
    _record(
        actor, "journey.canvas_entry_added", journey, phase=phase.name, block=block, who=entry.actor
    )
    return entry


@transaction.atomic
def remove_canvas_entry(actor: User, entry: CanvasEntry) -> None:
    journey = entry.journey
    access = _access(actor, journey)
    _require(
        access.can_facilitate or (access.can_contribute and entry.added_by_id == actor.pk),
        _("Only the person who added it, or the reisbegeleider, removes it."),
    )
    entry.delete()
    # An intended mark judged these actors together; once the cell is no longer a
    # doublure it goes, so a new overlap there is looked at afresh.
    if CanvasEntry.objects.filter(phase_id=entry.phase_id, block=entry.block).count() < 2:
        IntendedDoublure.objects.filter(phase_id=entry.phase_id, block=entry.block).delete()
    _record(actor, "journey.canvas_entry_removed", journey, who=entry.actor)


@transaction.atomic
def mark_doublure(
    actor: User, journey: Journey, *, phase: CanvasPhase, block: str, intended: bool, note: str = ""
) -> None:
    """The reisbegeleider says whether several actors in one cell is on purpose."""
    _require(
        _access(actor, journey).can_facilitate,
        _("Only the reisbegeleider marks a doublure as intended."),
    )
    if phase.journey_id != journey.pk or block not in BuildingBlock.values:
        raise RuleViolation(_("That cell is not part of this journey's canvas."))
    if intended:
        if phase.entries.filter(block=block).count() < 2:
            raise RuleViolation(_("A cell with fewer than two actors is not a doublure."))
        IntendedDoublure.objects.update_or_create(
            journey=journey,
            phase=phase,
            block=block,
            defaults={"note": note.strip(), "marked_by": actor},
        )
    else:
        IntendedDoublure.objects.filter(phase=phase, block=block).delete()
    _record(
        actor, "journey.doublure_marked", journey, phase=phase.name, block=block, intended=intended
    )


@transaction.atomic
def add_canvas_phase(
    actor: User, journey: Journey, *, name: str, description: str = ""
) -> CanvasPhase:
    _require(
        _access(actor, journey).can_facilitate,
        _("Only the reisbegeleider changes the canvas phases."),
    )
    name = name.strip()
    if not name:
        raise RuleViolation(_("Give the phase a name."))
    position = (
        journey.canvas_phases.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    try:
        with transaction.atomic():
            phase = CanvasPhase.objects.create(
                journey=journey, name=name, description=description.strip(), position=position
            )
    except IntegrityError:
        raise RuleViolation(
            _("The canvas already has a phase called %(name)s.") % {"name": name}
        ) from None
    _record(actor, "journey.canvas_phase_added", journey, phase=name)
    return phase


@transaction.atomic
def remove_canvas_phase(actor: User, phase: CanvasPhase) -> None:
    journey = phase.journey
    _require(
        _access(actor, journey).can_facilitate,
        _("Only the reisbegeleider changes the canvas phases."),
    )
    if phase.entries.exists():
        raise RuleViolation(_("Remove the entries in this phase first."))
    phase.delete()
    _record(actor, "journey.canvas_phase_removed", journey, phase=phase.name)
