"""The rules of the leervragen tracker. Every write goes through here: permission check,
transaction, audit entry, live event and notifications after commit.

The workflow (docs/leervragen.md):

    ingediend -> geprioriteerd -> in onderzoek -> beantwoord -> geduid -> afgesloten

| move                          | who                | needs                              |
| ----------------------------- | ------------------ | ---------------------------------- |
| ingediend -> geprioriteerd    | the reisbegeleider |                                    |
| geprioriteerd -> in onderzoek | an owner           | an approach, a due date not passed |
| in onderzoek -> beantwoord    | an owner           | an answer with a confidence        |
| beantwoord -> geduid          | the reisbegeleider | a duiding with its date            |
| geduid -> afgesloten          | the reisbegeleider |                                    |
| open state -> geparkeerd      | the reisbegeleider | a note saying why                  |
| geparkeerd -> where it was    | the reisbegeleider |                                    |

A parked question goes back to the state it was parked from: its owners, answer and
duiding are still there, so nothing has to be done twice. Afgesloten is final; a new
question (a follow-up) carries the work on.

"The reisbegeleider" of a journey's question is the journey's reisbegeleider; of a
network-wide question, staff and the plein moderators (learning/leervragen/queries.py).
Functions take the acting user first. A broken rule raises RuleViolation with a message
the view shows as it is; a missing right raises PermissionDenied with one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from community import audit
from community.models import Card, Event, ForumCategory, Post, Thread, User
from community.queries.boards import board_access, card_is_shown
from community.queries.events import event_access
from community.queries.forum import thread_access
from community.realtime import group_name, publish_on_commit
from journeys.models import Journey, Story
from journeys.services import RuleViolation
from learning.leervragen import notify
from learning.leervragen.queries import (
    QuestionAccess,
    may_see,
    people_who_may_help,
    people_who_may_own,
    question_access,
    scope_access,
)
from learning.models import (
    LearningQuestion,
    LearningQuestionFollower,
    LearningQuestionMove,
    LearningQuestionVote,
    WorkingElementPage,
)

Status = LearningQuestion.Status

MAX_QUESTION = 300
MAX_TEXT = 20_000
MAX_THEMES = 6
MAX_THEME_LENGTH = 40
MAX_SOURCES = 20
PLEIN_CATEGORY_SLUG = "leervragen"

FACILITATOR = "reisbegeleider"
OWNER = "owner"

# The forward moves: from -> {to: who may make it}.
WORKFLOW: dict[str, dict[str, str]] = {
    Status.INGEDIEND: {Status.GEPRIORITEERD: FACILITATOR},
    Status.GEPRIORITEERD: {Status.IN_ONDERZOEK: OWNER},
    Status.IN_ONDERZOEK: {Status.BEANTWOORD: OWNER},
    Status.BEANTWOORD: {Status.GEDUID: FACILITATOR},
    Status.GEDUID: {Status.AFGESLOTEN: FACILITATOR},
}
# Parking is possible from every open state, by the reisbegeleider.
PARKABLE = (
    Status.INGEDIEND,
    Status.GEPRIORITEERD,
    Status.IN_ONDERZOEK,
    Status.BEANTWOORD,
    Status.GEDUID,
)
# Members vote while the network is still choosing what to research.
VOTABLE = (Status.INGEDIEND, Status.GEPRIORITEERD)
# Owners, approach and due date can change until the answer is there.
PLANNABLE = (Status.INGEDIEND, Status.GEPRIORITEERD, Status.IN_ONDERZOEK, Status.GEPARKEERD)


def _refused_right(to_status: str) -> str:
    return {
        Status.GEPRIORITEERD: _("Only the reisbegeleider prioritises learning questions."),
        Status.IN_ONDERZOEK: _("Only an owner of this learning question starts the research."),
        Status.BEANTWOORD: _("Only an owner of this learning question marks it as answered."),
        Status.GEDUID: _("Only the reisbegeleider records the duiding."),
        Status.AFGESLOTEN: _("Only the reisbegeleider closes a learning question."),
        Status.GEPARKEERD: _("Only the reisbegeleider parks a learning question."),
    }.get(to_status, _("Only the reisbegeleider takes a parked learning question up again."))


def label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


# --- Helpers ----------------------------------------------------------------------------------


def _signed_in(actor: User) -> None:
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in first."))


def _access(actor: User, question: LearningQuestion) -> QuestionAccess:
    _signed_in(actor)
    access = question_access(actor, question)
    if not access.can_see:
        raise PermissionDenied(_("You may not see this learning question."))
    return access


def _locked(question: LearningQuestion) -> LearningQuestion:
    return (
        LearningQuestion.objects.select_for_update(of=("self",))
        .select_related("journey", "discussion_thread")
        .get(pk=question.pk)
    )


def _clean_question(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise RuleViolation(_("Write the question."))
    if len(text) > MAX_QUESTION:
        raise RuleViolation(
            _("A question can be at most %(max)s characters; this one has %(length)s.")
            % {"max": MAX_QUESTION, "length": len(text)}
        )
    return text


def _clean_text(text: str, *, required_message: str | None = None) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text and required_message:
        raise RuleViolation(required_message)
    if len(text) > MAX_TEXT:
        raise RuleViolation(
            _("A text can be at most %(max)s characters.")
            % {"max": f"{MAX_TEXT:,}".replace(",", ".")}
        )
    return text


def clean_themes(themes: Iterable[str]) -> list[str]:
    cleaned = sorted({" ".join(t.split()).lower() for t in themes if t and t.strip()})
    if len(cleaned) > MAX_THEMES:
        raise RuleViolation(_("Use at most %(max)s themes.") % {"max": MAX_THEMES})
    if any(len(t) > MAX_THEME_LENGTH for t in cleaned):
        raise RuleViolation(
            _("A theme can be at most %(max)s characters.") % {"max": MAX_THEME_LENGTH}
        )
    return cleaned


def check_due_date(due_date: date | None) -> None:
    if due_date is not None and due_date < timezone.localdate():
        raise RuleViolation(
            _("The due date %(date)s is in the past: choose today or a later day.")
            % {"date": due_date.strftime("%d-%m-%Y")}
        )


def parse_sources(text: str) -> list[dict[str, str]]:
    """Sources and links, one per line: a title, a link, or "title | link"."""
    sources = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        title, _sep, url = line.rpartition("|") if "|" in line else ("", "", line)
        title, url = title.strip(), url.strip()
        if not url.lower().startswith(("http://", "https://")):
            if "://" in url or url.lower().startswith("www."):
                raise RuleViolation(
                    _("“%(link)s” is not a web address we accept: start it with https://.")
                    % {"link": url}
                )
            title, url = line, ""
        if url and not urlsplit(url).netloc:
            raise RuleViolation(_("“%(link)s” is not a complete web address.") % {"link": url})
        sources.append({"title": title[:300], "url": url[:500]})
    if len(sources) > MAX_SOURCES:
        raise RuleViolation(_("Give at most %(max)s sources.") % {"max": MAX_SOURCES})
    return sources


def sources_as_text(sources: list[dict[str, str]]) -> str:
    lines = []
    for source in sources or []:
        title, url = source.get("title", ""), source.get("url", "")
        lines.append(f"{title} | {url}" if title and url else title or url)
    return "\n".join(lines)


def _record(actor: User | None, action: str, target: LearningQuestion, **data) -> None:
    audit.record(actor, action, target, journey=target.journey_id, **data)


def _publish(question: LearningQuestion, op: str, **data) -> None:
    group = (
        group_name("leervragen", "journey", question.journey_id)
        if question.journey_id
        else group_name("leervragen", "network")
    )
    publish_on_commit(
        group,
        {"type": "leervraag", "op": op, "question": question.pk, "status": question.status, **data},
    )


def _follow(question: LearningQuestion, users: Iterable[User]) -> None:
    LearningQuestionFollower.objects.bulk_create(
        [LearningQuestionFollower(question=question, user=user) for user in users],
        ignore_conflicts=True,
    )


def _add_move(
    actor: User | None, question: LearningQuestion, from_status: str, to_status: str, note: str
) -> LearningQuestionMove:
    return LearningQuestionMove.objects.create(
        question=question, from_status=from_status, to_status=to_status, actor=actor, note=note
    )


# --- Raising and editing ----------------------------------------------------------------------


def _check_source(
    actor: User,
    journey: Journey | None,
    *,
    event: Event | None,
    thread: Thread | None,
    card: Card | None,
    follows_up: LearningQuestion | None,
) -> None:
    """Where the question came from must be something the actor may see, in the same
    journey (a network-wide meeting or plein thread may lead to any question)."""
    wrong_journey = _("A question raised there belongs to that journey: choose it.")
    if event is not None:
        if not event_access(actor, event).can_see:
            raise PermissionDenied(_("You may not see that meeting."))
        if event.journey_id and event.journey_id != (journey.pk if journey else None):
            raise RuleViolation(wrong_journey)
    if thread is not None:
        if not thread_access(actor, thread).can_read:
            raise PermissionDenied(_("You may not read that thread."))
        if thread.journey_id and thread.journey_id != (journey.pk if journey else None):
            raise RuleViolation(wrong_journey)
    if card is not None:
        if not card_is_shown(card, board_access(actor, card.board)):
            raise PermissionDenied(_("You may not see that card."))
        if card.board.journey_id != (journey.pk if journey else None):
            raise RuleViolation(wrong_journey)
    if follows_up is not None and not may_see(actor, follows_up):
        raise PermissionDenied(_("You may not see that learning question."))


@transaction.atomic
def raise_question(
    actor: User,
    *,
    question: str,
    context: str = "",
    journey: Journey | None = None,
    themes: Iterable[str] = (),
    event: Event | None = None,
    thread: Thread | None = None,
    card: Card | None = None,
    follows_up: LearningQuestion | None = None,
) -> LearningQuestion:
    """A member raises a question in a journey (or network-wide) and follows it."""
    _signed_in(actor)
    if not scope_access(actor, journey).can_raise:
        raise PermissionDenied(_("You may read the learning questions here, but not raise one."))
    text = _clean_question(question)
    context = _clean_text(context)
    themes = clean_themes(themes)
    _check_source(actor, journey, event=event, thread=thread, card=card, follows_up=follows_up)
    created = LearningQuestion.objects.create(
        question=text,
        context=context,
        journey=journey,
        raised_by=actor,
        raised_at_event=event,
        raised_in_thread=thread,
        raised_from_card=card,
        follows_up=follows_up,
    )
    if themes:
        created.themes.set(themes)
    _follow(created, [actor])
    _add_move(actor, created, "", Status.INGEDIEND, "")
    _record(actor, "leervraag.raised", created, question=text)
    _publish(created, "raised")
    return created


@transaction.atomic
def edit_question(
    actor: User,
    question: LearningQuestion,
    *,
    text: str,
    context: str = "",
    themes: Iterable[str] = (),
) -> LearningQuestion:
    access = _access(actor, question)
    if not access.can_edit:
        raise PermissionDenied(
            _("Only who raised the question and the reisbegeleider change its words.")
        )
    question = _locked(question)
    if question.status == Status.AFGESLOTEN:
        raise RuleViolation(_("This learning question is closed: it no longer changes."))
    question.question = _clean_question(text)
    question.context = _clean_text(context)
    question.save(update_fields=["question", "context", "updated_at"])
    question.themes.set(clean_themes(themes))
    _record(actor, "leervraag.edited", question)
    _publish(question, "changed")
    return question


# --- The workflow -----------------------------------------------------------------------------


def target_of(question: LearningQuestion, to_status: str) -> str | None:
    """Who may make this move (FACILITATOR or OWNER), or None when there is no such move."""
    if question.status == Status.GEPARKEERD:
        return FACILITATOR if to_status == question.parked_from else None
    if to_status == Status.GEPARKEERD:
        return FACILITATOR if question.status in PARKABLE else None
    return WORKFLOW.get(question.status, {}).get(to_status)


def moves_for(access: QuestionAccess, question: LearningQuestion) -> list[str]:
    """The states this user may move the question to from here (what the page offers;
    the service still checks what each move needs)."""
    if not access.scope.signed_in:
        return []
    targets = [*WORKFLOW.get(question.status, {})]
    if question.status in PARKABLE:
        targets.append(Status.GEPARKEERD)
    if question.status == Status.GEPARKEERD and question.parked_from:
        targets.append(question.parked_from)
    allowed = []
    for to_status in targets:
        who = target_of(question, to_status)
        if (who == FACILITATOR and access.can_facilitate) or (who == OWNER and access.is_owner):
            allowed.append(to_status)
    return allowed


def _check_needs(question: LearningQuestion, to_status: str, note: str) -> None:
    if to_status == Status.IN_ONDERZOEK:
        if not question.approaches:
            raise RuleViolation(_("Choose at least one approach before the research starts."))
        if question.due_date is None:
            raise RuleViolation(_("Set a due date before the research starts."))
        check_due_date(question.due_date)
        if not question.owners.exists():
            raise RuleViolation(_("A learning question under research needs an owner."))
    elif to_status == Status.BEANTWOORD:
        if not question.answer.strip():
            raise RuleViolation(
                _("Write the answer first: a learning question is only answered with an answer.")
            )
        if question.answer_confidence not in LearningQuestion.Confidence.values:
            raise RuleViolation(_("Say how sure the answer is: low, medium or high."))
    elif to_status == Status.GEDUID:
        if not question.duiding.strip():
            raise RuleViolation(
                _("Write the duiding first: what does the answer mean for the journey?")
            )
        if question.duiding_date is None:
            raise RuleViolation(_("Give the date of the duiding."))
    elif to_status == Status.GEPARKEERD and not note:
        raise RuleViolation(_("Say why the learning question is parked."))


def _apply_move(
    actor: User, question: LearningQuestion, to_status: str, note: str
) -> LearningQuestionMove:
    from_status = question.status
    fields = ["status", "updated_at"]
    if to_status == Status.GEPARKEERD:
        question.parked_from = from_status
        fields.append("parked_from")
    elif from_status == Status.GEPARKEERD:
        question.parked_from = ""
        fields.append("parked_from")
    if to_status == Status.BEANTWOORD and question.answered_at is None:
        question.answered_at = timezone.now()
        question.answered_by = question.answered_by or actor
        fields += ["answered_at", "answered_by"]
    if to_status == Status.GEPRIORITEERD and question.position is None:
        question.position = _next_position(question)
        fields.append("position")
    question.status = to_status
    question.save(update_fields=fields)
    move = _add_move(actor, question, from_status, to_status, note)
    _record(actor, "leervraag.moved", question, old=from_status, new=to_status)
    _publish(question, "moved", old=from_status)
    notify.question_moved(question, actor, move)
    return move


@transaction.atomic
def move(
    actor: User, question: LearningQuestion, to_status: str, *, note: str = ""
) -> LearningQuestion:
    """Move a question to another state, if this actor may and the state's needs are met."""
    access = _access(actor, question)
    question = _locked(question)
    note = _clean_text(note)
    if to_status not in Status.values:
        raise RuleViolation(_("Choose a state to move the learning question to."))
    if question.status == Status.AFGESLOTEN:
        raise RuleViolation(_("This learning question is closed: it no longer moves."))
    if to_status == question.status:
        raise RuleViolation(
            _("The learning question is already %(state)s.") % {"state": label(to_status)}
        )
    who = target_of(question, to_status)
    if who is None:
        raise RuleViolation(
            _("A learning question cannot go from %(from)s to %(to)s.")
            % {"from": label(question.status), "to": label(to_status)}
        )
    if (who == FACILITATOR and not access.can_facilitate) or (who == OWNER and not access.is_owner):
        raise PermissionDenied(_refused_right(to_status))
    _check_needs(question, to_status, note)
    _apply_move(actor, question, to_status, note)
    return question


# --- Priority -----------------------------------------------------------------------------


def _scope(question: LearningQuestion):
    return LearningQuestion.objects.filter(journey_id=question.journey_id)


def _next_position(question: LearningQuestion) -> int:
    last = (
        (_scope(question).exclude(pk=question.pk).order_by(F("position").desc(nulls_last=True)))
        .values_list("position", flat=True)
        .first()
    )
    return (last or 0) + 1


@transaction.atomic
def vote(actor: User, question: LearningQuestion) -> LearningQuestion:
    """One vote per member per question."""
    access = _access(actor, question)
    if not access.can_vote:
        raise PermissionDenied(_("Only members of the journey vote on its learning questions."))
    question = _locked(question)
    if question.status not in VOTABLE:
        raise RuleViolation(
            _(
                "Votes count while a learning question is submitted or prioritised; "
                "this one is %(state)s."
            )
            % {"state": label(question.status)}
        )
    try:
        with transaction.atomic():
            LearningQuestionVote.objects.create(question=question, user=actor)
    except IntegrityError:
        raise RuleViolation(_("You have already voted for this learning question.")) from None
    LearningQuestion.objects.filter(pk=question.pk).update(vote_count=F("vote_count") + 1)
    question.refresh_from_db(fields=["vote_count"])
    _publish(question, "voted", votes=question.vote_count)
    return question


@transaction.atomic
def withdraw_vote(actor: User, question: LearningQuestion) -> LearningQuestion:
    _access(actor, question)
    question = _locked(question)
    if question.status not in VOTABLE:
        raise RuleViolation(
            _(
                "Votes count while a learning question is submitted or prioritised; "
                "this one is %(state)s."
            )
            % {"state": label(question.status)}
        )
    deleted, _rows = LearningQuestionVote.objects.filter(question=question, user=actor).delete()
    if not deleted:
        raise RuleViolation(_("You had not voted for this learning question."))
    LearningQuestion.objects.filter(pk=question.pk).update(vote_count=F("vote_count") - 1)
    question.refresh_from_db(fields=["vote_count"])
    _publish(question, "voted", votes=question.vote_count)
    return question


def ordered_in_scope(question: LearningQuestion) -> list[int]:
    """The question ids of a journey (or the network) in the reisbegeleider's order;
    questions not placed yet follow by votes, oldest first."""
    return list(
        _scope(question)
        .order_by(F("position").asc(nulls_last=True), "-vote_count", "created_at", "pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def set_position(actor: User, question: LearningQuestion, position: int) -> LearningQuestion:
    """The reisbegeleider puts a question at a place (1 = first) in the journey's order."""
    access = _access(actor, question)
    if not access.can_facilitate:
        raise PermissionDenied(
            _("Only the reisbegeleider sets the order of the learning questions.")
        )
    if not isinstance(position, int) or position < 1:
        raise RuleViolation(_("A place in the order is a whole number from 1."))
    # Lock the whole scope so two reorders cannot interleave.
    list(_scope(question).select_for_update().values_list("pk", flat=True))
    order = [pk for pk in ordered_in_scope(question) if pk != question.pk]
    order.insert(min(position, len(order) + 1) - 1, question.pk)
    current = dict(_scope(question).values_list("pk", "position"))
    changed = [
        LearningQuestion(pk=pk, position=place)
        for place, pk in enumerate(order, start=1)
        if current.get(pk) != place
    ]
    LearningQuestion.objects.bulk_update(changed, ["position"])
    question.position = order.index(question.pk) + 1
    _record(actor, "leervraag.position", question, position=question.position)
    _publish(question, "ordered")
    return question


# --- Following ----------------------------------------------------------------------------


@transaction.atomic
def follow(actor: User, question: LearningQuestion) -> None:
    _access(actor, question)
    _follow(question, [actor])


@transaction.atomic
def unfollow(actor: User, question: LearningQuestion) -> None:
    _signed_in(actor)
    LearningQuestionFollower.objects.filter(question=question, user=actor).delete()


# --- Owners, helpers, approach and due date ------------------------------------------------


def _check_plannable(question: LearningQuestion) -> None:
    if question.status not in PLANNABLE:
        raise RuleViolation(
            _("The research is done: owners, approach and due date no longer change.")
        )


@transaction.atomic
def take_ownership(actor: User, question: LearningQuestion) -> LearningQuestion:
    """A researcher (or a contributing member of the journey) takes the question on."""
    access = _access(actor, question)
    if access.is_owner:
        raise RuleViolation(_("You already own this learning question."))
    if not access.scope.may_own:
        raise PermissionDenied(
            _("Researchers and the journey's contributing members can own a learning question.")
        )
    question = _locked(question)
    _check_plannable(question)
    question.owners.add(actor)
    question.helpers.remove(actor)
    _follow(question, [actor])
    _record(actor, "leervraag.owner_added", question, member=actor.display_name)
    _publish(question, "changed")
    return question


@transaction.atomic
def give_up_ownership(actor: User, question: LearningQuestion) -> LearningQuestion:
    access = _access(actor, question)
    if not access.is_owner:
        raise RuleViolation(_("You do not own this learning question."))
    question = _locked(question)
    _check_plannable(question)
    if question.status == Status.IN_ONDERZOEK and question.owners.count() == 1:
        raise RuleViolation(
            _("You are the last owner of research in progress: let someone else take it on first.")
        )
    question.owners.remove(actor)
    _record(actor, "leervraag.owner_left", question, member=actor.display_name)
    _publish(question, "changed")
    return question


@dataclass(frozen=True)
class Plan:
    approaches: list[str]
    due_date: date | None
    owners: list[User] | None = None  # None: leave as they are (only the reisbegeleider sets them)
    helpers: list[User] | None = None


@transaction.atomic
def set_plan(actor: User, question: LearningQuestion, plan: Plan) -> LearningQuestion:
    """The approach, due date, owners and helpers: the reisbegeleider or an owner (only the
    reisbegeleider assigns owners). Nothing changes when one part is refused."""
    access = _access(actor, question)
    if not access.can_plan:
        raise PermissionDenied(
            _("Only the reisbegeleider and the owners plan the research of this question.")
        )
    if plan.owners is not None and not access.can_facilitate:
        raise PermissionDenied(_("Only the reisbegeleider assigns owners."))
    question = _locked(question)
    _check_plannable(question)
    unknown = [a for a in plan.approaches if a not in LearningQuestion.Approach.values]
    if unknown:
        raise RuleViolation(_("Choose approaches from the list."))
    approaches = [a for a in LearningQuestion.Approach.values if a in plan.approaches]
    if question.status == Status.IN_ONDERZOEK:
        if not approaches:
            raise RuleViolation(_("Research in progress needs at least one approach."))
        if plan.due_date is None:
            raise RuleViolation(_("Research in progress needs a due date."))
    if plan.due_date != question.due_date:
        check_due_date(plan.due_date)
    owners = helpers = None
    if plan.owners is not None:
        owners = {user.pk: user for user in plan.owners}
        allowed = set(
            people_who_may_own(question).filter(pk__in=owners).values_list("pk", flat=True)
        )
        if set(owners) - allowed:
            raise RuleViolation(_("Owners are researchers or contributing members of the journey."))
        if question.status == Status.IN_ONDERZOEK and not owners:
            raise RuleViolation(_("A learning question under research needs an owner."))
    if plan.helpers is not None:
        helpers = {user.pk: user for user in plan.helpers}
        allowed = set(
            people_who_may_help(question).filter(pk__in=helpers).values_list("pk", flat=True)
        )
        if set(helpers) - allowed:
            raise RuleViolation(_("Helpers are people who may see this learning question."))
    question.approaches = approaches
    question.due_date = plan.due_date
    question.save(update_fields=["approaches", "due_date", "updated_at"])
    if owners is not None:
        question.owners.set(owners.values())
        _follow(question, owners.values())
    if helpers is not None:
        owner_ids = set(question.owners.values_list("pk", flat=True))
        question.helpers.set([u for pk, u in helpers.items() if pk not in owner_ids])
        _follow(question, helpers.values())
    _record(
        actor,
        "leervraag.planned",
        question,
        approaches=approaches,
        due_date=plan.due_date.isoformat() if plan.due_date else None,
    )
    _publish(question, "changed")
    return question


# --- Answer and duiding -------------------------------------------------------------------


@transaction.atomic
def save_answer(
    actor: User,
    question: LearningQuestion,
    *,
    text: str,
    sources: list[dict[str, str]] | None = None,
    confidence: str,
    mark_answered: bool = True,
) -> LearningQuestion:
    """An owner writes the answer. Under research it is saved (and, with mark_answered,
    the question moves to beantwoord); a beantwoord question's answer can be revised."""
    access = _access(actor, question)
    if not access.is_owner:
        raise PermissionDenied(_("Only an owner of this learning question writes its answer."))
    question = _locked(question)
    if question.status not in (Status.IN_ONDERZOEK, Status.BEANTWOORD):
        raise RuleViolation(
            _("An answer is written while the question is being researched; this one is %(state)s.")
            % {"state": label(question.status)}
        )
    text = _clean_text(
        text,
        required_message=_(
            "Write the answer first: a learning question is only answered with an answer."
        ),
    )
    if confidence not in LearningQuestion.Confidence.values:
        raise RuleViolation(_("Say how sure the answer is: low, medium or high."))
    sources = list(sources or [])
    if len(sources) > MAX_SOURCES:
        raise RuleViolation(_("Give at most %(max)s sources.") % {"max": MAX_SOURCES})
    revising = question.status == Status.BEANTWOORD
    question.answer = text
    question.answer_sources = sources
    question.answer_confidence = confidence
    question.answered_by = actor
    fields = ["answer", "answer_sources", "answer_confidence", "answered_by", "updated_at"]
    if revising:
        question.answered_at = timezone.now()
        fields.append("answered_at")
    question.save(update_fields=fields)
    if question.status == Status.IN_ONDERZOEK and mark_answered:
        _apply_move(actor, question, Status.BEANTWOORD, "")
    else:
        _record(actor, "leervraag.answer_saved", question)
        _publish(question, "answered")
        if revising:
            notify.answer_revised(question, actor)
    return question


@transaction.atomic
def save_duiding(
    actor: User,
    question: LearningQuestion,
    *,
    text: str,
    on: date | None,
    participants: str = "",
    mark_interpreted: bool = True,
) -> LearningQuestion:
    """The reisbegeleider records what the answer means for the journey, when, and who
    took part; a beantwoord question then moves to geduid."""
    access = _access(actor, question)
    if not access.can_facilitate:
        raise PermissionDenied(_refused_right(Status.GEDUID))
    question = _locked(question)
    if question.status not in (Status.BEANTWOORD, Status.GEDUID):
        raise RuleViolation(
            _("The duiding follows the answer; this learning question is %(state)s.")
            % {"state": label(question.status)}
        )
    text = _clean_text(
        text,
        required_message=_("Write the duiding first: what does the answer mean for the journey?"),
    )
    if on is None:
        raise RuleViolation(_("Give the date of the duiding."))
    if on > timezone.localdate():
        raise RuleViolation(_("The duiding took place already: its date cannot be in the future."))
    question.duiding = text
    question.duiding_date = on
    question.duiding_participants = _clean_text(participants)
    question.duiding_by = actor
    question.save(
        update_fields=[
            "duiding",
            "duiding_date",
            "duiding_participants",
            "duiding_by",
            "updated_at",
        ]
    )
    _follow(question, [actor])
    if question.status == Status.BEANTWOORD and mark_interpreted:
        _apply_move(actor, question, Status.GEDUID, "")
    else:
        _record(actor, "leervraag.duiding_saved", question)
        _publish(question, "changed")
    return question


# --- Evidence -----------------------------------------------------------------------------


@transaction.atomic
def link_evidence(
    actor: User,
    question: LearningQuestion,
    *,
    working_elements: Iterable[WorkingElementPage] = (),
    stories: Iterable[Story] = (),
) -> LearningQuestion:
    """The werkzame elementen and stories the answer rests on or speaks to. Stories the
    actor may not see cannot be linked; links to stories others may not see stay hidden
    from them on the page."""
    from journeys.stories.queries import visible_stories

    access = _access(actor, question)
    if not access.can_link_evidence:
        raise PermissionDenied(_("Only the reisbegeleider and the owners link evidence."))
    elements = {page.pk: page for page in working_elements}
    live = set(
        WorkingElementPage.objects.live().filter(pk__in=elements).values_list("pk", flat=True)
    )
    if set(elements) - live:
        raise RuleViolation(_("Choose werkzame elementen from the kennisbank."))
    chosen = {story.pk: story for story in stories}
    seen = set(visible_stories(actor).filter(pk__in=chosen).values_list("pk", flat=True))
    if set(chosen) - seen:
        raise RuleViolation(_("Choose stories you may read."))
    question = _locked(question)
    question.working_elements.set(elements.values())
    # Stories linked earlier that this actor cannot see stay linked.
    hidden = set(
        question.stories.exclude(pk__in=visible_stories(actor)).values_list("pk", flat=True)
    )
    question.stories.set([*chosen.values(), *Story.objects.filter(pk__in=hidden)])
    _record(
        actor,
        "leervraag.evidence",
        question,
        working_elements=sorted(elements),
        stories=sorted(chosen),
    )
    _publish(question, "changed")
    return question


# --- The discussion -----------------------------------------------------------------------


def plein_category() -> ForumCategory:
    """The plein category for network-wide questions' discussions, made when first needed."""
    with translation.override(settings.LANGUAGE_CODE):
        category, _created = ForumCategory.objects.get_or_create(
            slug=PLEIN_CATEGORY_SLUG,
            defaults={
                "name": _("Learning questions"),
                "description": _("Discussions of the network-wide learning questions."),
                "position": 50,
            },
        )
    return category


def _markdown_text(text: str) -> str:
    return "".join(f"\\{c}" if c in "[]()*_`\\<>#" else c for c in text)


@transaction.atomic
def comment(actor: User, question: LearningQuestion, body: str) -> Post:
    """A comment on a question is a post in its discussion thread: in the journey's forum,
    or on the plein for a network-wide question. The thread is made on the first comment
    and links to the question; the question links to the thread."""
    from community.services import forum

    _access(actor, question)
    question = _locked(question)
    thread = question.discussion_thread
    if thread is not None:
        return forum.reply(actor, thread, body=body)
    intro = _("About the learning question [%(question)s](%(url)s):") % {
        "question": _markdown_text(question.question),
        "url": question.get_absolute_url(),
    }
    title = (_("Learning question: %(question)s") % {"question": question.question})[:200]
    body_text = (body or "").strip()
    thread = forum.start_thread(
        actor,
        title=title,
        body=f"{intro}\n\n{body_text}" if body_text else "",
        journey=question.journey,
        category=None if question.journey_id else plein_category(),
    )
    question.discussion_thread = thread
    question.save(update_fields=["discussion_thread", "updated_at"])
    _record(actor, "leervraag.discussion_started", question, thread=thread.pk)
    return thread.posts.get(number=1)
