"""Who may see and do what in a journey. Views, services and templates ask here.

openbaar: anyone sees it; netwerk: everyone signed in; besloten: members only, and to
anyone else it does not exist (404). Staff see every journey, read-only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.http import Http404
from taggit.models import TaggedItem

from journeys.models import Journey, Membership

Role = Membership.Role
Visibility = Journey.Visibility


def visible_to(user) -> QuerySet[Journey]:
    journeys = Journey.objects.all()
    if not user.is_authenticated:
        return journeys.filter(visibility=Visibility.OPENBAAR)
    if user.is_staff:
        return journeys
    # A subquery, not a join: counts annotated on the result stay right.
    return journeys.filter(
        Q(visibility__in=[Visibility.OPENBAAR, Visibility.NETWERK])
        | Q(pk__in=Membership.objects.filter(user=user).values("journey"))
    )


def for_list(user) -> QuerySet[Journey]:
    """The journeys list: visible journeys with what each card shows, in a fixed number of
    queries however many journeys and members there are."""
    return (
        visible_to(user)
        .annotate(member_count=Count("memberships", distinct=True))
        .prefetch_related("organisations", "themes")
    )


@dataclass(frozen=True)
class Access:
    """What one user may do in one journey."""

    role: str | None
    is_staff: bool = False

    @property
    def is_member(self) -> bool:
        return self.role is not None

    @property
    def can_contribute(self) -> bool:
        """Edit results, add data, documents and canvas entries."""
        return self.role in (Role.REISBEGELEIDER, Role.OPDRACHTGEVER, Role.REIZIGER)

    @property
    def can_facilitate(self) -> bool:
        """Edit the journey, invite, decide on join requests, change roles, move phases."""
        return self.role == Role.REISBEGELEIDER

    @property
    def can_approve(self) -> bool:
        """Vaststellen of results: the opdrachtgever's own decision."""
        return self.role == Role.OPDRACHTGEVER

    @property
    def can_see_members(self) -> bool:
        return self.is_member or self.is_staff


def role_of(user, journey: Journey) -> str | None:
    if not user.is_authenticated:
        return None
    # Without the members' order (by journey and name), which would join both tables.
    return (
        Membership.objects.filter(journey=journey, user=user)
        .order_by()
        .values_list("role", flat=True)
        .first()
    )


def may_view(user, journey: Journey, role: str | None) -> bool:
    if role is not None or journey.visibility == Visibility.OPENBAAR:
        return True
    if not user.is_authenticated:
        return False
    return user.is_staff or journey.visibility == Visibility.NETWERK


def access_for(user, journey: Journey) -> Access:
    return Access(
        role=role_of(user, journey), is_staff=bool(user.is_authenticated and user.is_staff)
    )


def journey_for(user, slug: str) -> tuple[Journey, Access]:
    """The journey at `slug` with the user's access, or 404 when they may not see it:
    the same answer as for a journey that does not exist."""
    journey = Journey.objects.filter(slug=slug).first()
    if journey is None:
        raise Http404
    access = access_for(user, journey)
    if not may_view(user, journey, access.role):
        raise Http404
    return journey, access


# Members are listed by role: who guides first, who reads along last.
ROLE_ORDER = Case(
    *(When(role=role, then=Value(rank)) for rank, role in enumerate(Role.values)),
    output_field=IntegerField(),
)


def members_of(journey: Journey) -> QuerySet[Membership]:
    return journey.memberships.select_related("user", "user__organisation").order_by(
        ROLE_ORDER, "user__first_name", "user__last_name"
    )


def first_members(journey: Journey, limit: int) -> tuple[list[Membership], dict[str, int]]:
    """The first `limit` members in the members page's order, and how many members each
    role has (every role, 0 when none), in one query however many members there are."""
    counts = {f"count_{role}": Window(Count("pk", filter=Q(role=role))) for role in Role.values}
    members = list(
        journey.memberships.select_related("user")
        .annotate(**counts)
        .order_by(ROLE_ORDER, "user__first_name", "user__last_name")[:limit]
    )
    first = members[0] if members else None
    return members, {role: getattr(first, f"count_{role}", 0) for role in Role.values}


def role_counts(journey: Journey) -> dict[str, int]:
    """How many members each role has (every role, 0 when none)."""
    counted = dict(journey.memberships.order_by().values_list("role").annotate(n=Count("pk")))
    return {role: counted.get(role, 0) for role in Role.values}


def organisation_and_theme_names(journey: Journey) -> tuple[list[str], list[str]]:
    """The names of the journey's organisations (by name) and themes (in the order they
    were given), in one query."""
    organisations = (
        journey.organisations.order_by()
        .annotate(part=Value(0), rank=Value(0))
        .values_list("part", "rank", "name")
    )
    themes = (
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Journey), object_id=journey.pk
        )
        .order_by()
        .annotate(part=Value(1), rank=F("pk"))
        .values_list("part", "rank", "tag__name")
    )
    names: tuple[list[str], list[str]] = ([], [])
    for part, _rank, name in organisations.union(themes, all=True).order_by("part", "rank", "name"):
        names[part].append(name)
    return names
