"""Who may see and do what with which learning question. Views, services, the gap map
and the notifications ask here.

- A journey's question is seen by whoever may see the journey (journeys.queries): a
  besloten journey's questions reach its members (and staff, read-only) only; to anyone
  else they do not exist (404). A network-wide question is for everyone signed in.
- Raising: members who contribute to the journey (reisbegeleider, opdrachtgever,
  reiziger); network-wide: everyone signed in.
- Voting: every member of the journey, meelezers too; network-wide: everyone signed in.
- The reisbegeleider of a question (prioritises, orders, parks, records the duiding,
  closes): the journey's reisbegeleider; network-wide: staff and the plein moderators,
  who also organise the network-wide meetings.
- Owners (they start the research and answer): researchers (the "Onderzoekers" group)
  who may see the question, and in a journey its contributing members. Helpers: anyone
  who may be an owner, and any member of the journey.
- Staff see every journey's questions, read-only (as in the journeys themselves).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from community.models import User
from community.queries.forum import is_plein_moderator
from journeys.models import Journey, Membership
from journeys.queries import Access, access_for, may_view
from journeys.queries import visible_to as journeys_visible_to
from learning.editorial import ONDERZOEKERS
from learning.models import LearningQuestion, LearningQuestionVote

Status = LearningQuestion.Status
Role = Membership.Role
CONTRIBUTING_ROLES = (Role.REISBEGELEIDER, Role.OPDRACHTGEVER, Role.REIZIGER)

# Open: no answer yet. Answered: an answer was given (beantwoord and later).
ANSWERED_STATES = (Status.BEANTWOORD, Status.GEDUID, Status.AFGESLOTEN)


def is_researcher(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.groups.filter(name=ONDERZOEKERS).exists()


@dataclass(frozen=True)
class ScopeAccess:
    """What one user may do with the questions of one journey (or the whole network)."""

    can_see: bool
    can_raise: bool
    can_vote: bool
    can_facilitate: bool
    may_own: bool  # may become an owner
    may_help: bool  # may become a helper
    signed_in: bool = False
    journey_role: str | None = None


def scope_access(
    user,
    journey: Journey | None,
    access: Access | None = None,
    *,
    researcher: bool | None = None,
    plein_moderator: bool | None = None,
) -> ScopeAccess:
    """The caller may pass what it already knows (the journey access, whether the user is
    a researcher or moderates the plein) to save queries on list pages."""
    signed_in = bool(user.is_authenticated)
    if journey is None:
        if researcher is None:
            researcher = is_researcher(user)
        if plein_moderator is None:
            plein_moderator = is_plein_moderator(user)
        return ScopeAccess(
            can_see=signed_in,
            can_raise=signed_in,
            can_vote=signed_in,
            can_facilitate=signed_in and plein_moderator,
            may_own=signed_in and researcher,
            may_help=signed_in,
            signed_in=signed_in,
        )
    access = access or access_for(user, journey)
    can_see = may_view(user, journey, access.role)
    if not can_see:
        return ScopeAccess(False, False, False, False, False, False, signed_in, access.role)
    if researcher is None:
        researcher = is_researcher(user)
    contributes = access.role in CONTRIBUTING_ROLES
    return ScopeAccess(
        can_see=True,
        can_raise=contributes,
        can_vote=access.is_member,
        can_facilitate=access.role == Role.REISBEGELEIDER,
        may_own=signed_in and (contributes or researcher),
        may_help=signed_in and (access.is_member or researcher),
        signed_in=signed_in,
        journey_role=access.role,
    )


@dataclass(frozen=True)
class QuestionAccess:
    """What one user may do with one question they can see."""

    scope: ScopeAccess
    is_owner: bool
    is_raiser: bool

    @property
    def can_see(self) -> bool:
        return self.scope.can_see

    @property
    def can_facilitate(self) -> bool:
        return self.scope.can_facilitate

    @property
    def can_vote(self) -> bool:
        return self.scope.can_vote

    @property
    def can_follow(self) -> bool:
        return self.scope.can_see and self.scope.signed_in

    @property
    def can_plan(self) -> bool:
        """Set the approach, the due date and the helpers."""
        return self.scope.can_facilitate or self.is_owner

    @property
    def can_take_ownership(self) -> bool:
        return self.scope.may_own and not self.is_owner

    @property
    def can_edit(self) -> bool:
        """Change the question's own words: who raised it, or the reisbegeleider."""
        return self.scope.can_facilitate or (self.is_raiser and self.scope.can_raise)

    @property
    def can_link_evidence(self) -> bool:
        return self.scope.can_facilitate or self.is_owner

    @property
    def can_raise_follow_up(self) -> bool:
        return self.scope.can_raise


def question_access(
    user, question: LearningQuestion, scope: ScopeAccess | None = None, owner_ids=None
) -> QuestionAccess:
    scope = scope or scope_access(user, question.journey)
    if owner_ids is None:
        is_owner = bool(user.is_authenticated and question.owners.filter(pk=user.pk).exists())
    else:
        is_owner = user.is_authenticated and user.pk in owner_ids
    return QuestionAccess(
        scope=scope,
        is_owner=is_owner,
        is_raiser=bool(user.is_authenticated and question.raised_by_id == user.pk),
    )


# --- Reads ----------------------------------------------------------------------------------


def visible_questions(user) -> QuerySet[LearningQuestion]:
    """Every question the user may see: lists, the kanban, the gap map, search."""
    questions = LearningQuestion.objects.all()
    # A subquery, not a join: counts over the result stay right.
    in_journeys = Q(journey__in=journeys_visible_to(user).values("pk"))
    if not user.is_authenticated:
        return questions.filter(in_journeys)
    return questions.filter(in_journeys | Q(journey__isnull=True))


def journey_questions(
    user, journey: Journey, access: Access | None = None
) -> QuerySet[LearningQuestion]:
    """The questions of one journey as the user may see them: all of them when they may
    see the journey, none otherwise. The same as visible_questions(user) filtered on the
    journey, decided from the access the journey's page already read (no subquery over
    every journey the user may see)."""
    access = access or access_for(user, journey)
    if not may_view(user, journey, access.role):
        return LearningQuestion.objects.none()
    return LearningQuestion.objects.filter(journey=journey)


def for_list(user) -> QuerySet[LearningQuestion]:
    """What a row of a list shows, in a fixed number of queries however many there are."""
    questions = (
        visible_questions(user)
        .select_related("journey", "raised_by")
        .prefetch_related("themes", "owners")
    )
    if user.is_authenticated:
        questions = questions.annotate(
            voted=Exists(LearningQuestionVote.objects.filter(question=OuterRef("pk"), user=user))
        )
    return questions


def question_for(user, pk: int) -> tuple[LearningQuestion, QuestionAccess]:
    """The question with the user's access, or 404 when they may not see it (the same
    answer as for a question that does not exist). A network-wide question asks a visitor
    to sign in: the view sees `can_see` False with a None journey."""
    question = (
        LearningQuestion.objects.select_related(
            "journey", "raised_by", "answered_by", "duiding_by", "follows_up"
        )
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    access = question_access(user, question)
    if not access.can_see and question.journey_id is not None:
        raise Http404
    return question, access


def journey_roles(user) -> dict[int, str]:
    """journey id -> the user's role, for every journey they are a member of (one query)."""
    if not user.is_authenticated:
        return {}
    return dict(Membership.objects.filter(user=user).values_list("journey_id", "role"))


def people_who_may_own(question: LearningQuestion) -> QuerySet[User]:
    """Who may become an owner of this question (the facilitator's choice list)."""
    users = User.objects.filter(is_active=True)
    researchers = Q(groups__name=ONDERZOEKERS)
    if question.journey_id is None:
        return users.filter(researchers).distinct().order_by("first_name", "last_name")
    journey = question.journey
    contributors = Q(
        pk__in=Membership.objects.filter(journey=journey, role__in=CONTRIBUTING_ROLES).values(
            "user"
        )
    )
    if journey.visibility == Journey.Visibility.BESLOTEN:
        researchers &= Q(pk__in=Membership.objects.filter(journey=journey).values("user"))
    return users.filter(contributors | researchers).distinct().order_by("first_name", "last_name")


def people_who_may_help(question: LearningQuestion) -> QuerySet[User]:
    users = User.objects.filter(is_active=True)
    researchers = Q(groups__name=ONDERZOEKERS)
    if question.journey_id is None:
        return users.distinct().order_by("first_name", "last_name")
    journey = question.journey
    members = Q(pk__in=Membership.objects.filter(journey=journey).values("user"))
    if journey.visibility == Journey.Visibility.BESLOTEN:
        return users.filter(members).order_by("first_name", "last_name")
    return users.filter(members | researchers).distinct().order_by("first_name", "last_name")


def may_see(user, question: LearningQuestion) -> bool:
    if question.journey_id is None:
        return bool(user.is_authenticated)
    return may_view(user, question.journey, access_for(user, question.journey).role)


def viewers_among(question: LearningQuestion, user_ids) -> set[int]:
    """Which of these users may see the question, in one query (for notifications)."""
    users = User.objects.filter(pk__in=list(user_ids), is_active=True)
    journey = question.journey
    if journey is not None and journey.visibility == Journey.Visibility.BESLOTEN:
        users = users.filter(
            Q(pk__in=Membership.objects.filter(journey=journey).values("user")) | Q(is_staff=True)
        )
    return set(users.values_list("pk", flat=True))
