"""Who may see and change which story. Every read of stories goes through here: the
archive, its search, facet counts, charts, the CSV and the story page.

- openbaar: anyone; netwerk: everyone signed in. Both only as far as the story's
  journey (if any) reaches: a story of a besloten journey stays inside it, whatever
  the story says.
- besloten: the journey's members (and staff, who see every journey read-only).
- privé: only who wrote it in (the teller, or the professional who recorded it). Not
  staff: a privé story is the teller's own.
- A withdrawn story reaches no one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from journeys.models import Journey, Membership, Story
from journeys.queries import visible_to

Visibility = Story.Visibility


def live_stories() -> QuerySet[Story]:
    """Every story that has not been withdrawn, whoever asks."""
    return Story.objects.filter(withdrawn_at__isnull=True)


def visible_stories(user) -> QuerySet[Story]:
    stories = live_stories()
    # Subqueries, not joins: counts over the result stay right.
    in_reach = Q(journey__isnull=True) | Q(journey__in=visible_to(user).values("pk"))
    if not user.is_authenticated:
        return stories.filter(in_reach, visibility=Visibility.OPENBAAR)
    shared = Q(in_reach, visibility__in=[Visibility.OPENBAAR, Visibility.NETWERK])
    if user.is_staff:
        closed = Q(visibility=Visibility.BESLOTEN)
    else:
        closed = Q(
            visibility=Visibility.BESLOTEN,
            journey__in=Membership.objects.filter(user=user).values("journey"),
        )
    return stories.filter(shared | closed | Q(author=user))


def _shared_with_members() -> Q:
    open_journeys = Journey.objects.filter(
        visibility__in=[Journey.Visibility.OPENBAAR, Journey.Visibility.NETWERK]
    ).values("pk")
    return Q(
        Q(journey__isnull=True) | Q(journey__in=open_journeys),
        visibility__in=[Visibility.OPENBAAR, Visibility.NETWERK],
    )


def shared_with_every_member() -> QuerySet[Story]:
    """The stories every signed-in member sees (openbaar and netwerk stories outside
    besloten journeys): part of visible_stories(user) for every member, the same for all,
    so its counts can be kept (journeys.stories.tally)."""
    return live_stories().filter(_shared_with_members())


def beyond_shared(user) -> QuerySet[Story]:
    """What a signed-in, non-staff member sees beyond shared_with_every_member(): stories
    of besloten journeys they are in, and their own. The two sets are disjoint and
    together exactly visible_stories(user). The last filter adds nothing (all of it is
    in their journeys or their own) but lets the database start from those few rows
    through its indexes: hence the journey ids as a list (one small query), not a
    subquery, which PostgreSQL cannot combine with the author's index."""
    journey_ids = list(Membership.objects.filter(user=user).values_list("journey_id", flat=True))
    mine = Q(journey_id__in=journey_ids) | Q(author=user)
    return visible_stories(user).exclude(_shared_with_members()).filter(mine)


def for_list(user) -> QuerySet[Story]:
    """What a card in the archive shows, in a fixed number of queries."""
    return (
        visible_stories(user)
        .select_related("journey", "gemeente")
        .prefetch_related("themes", "signifiers")
    )


@dataclass(frozen=True)
class StoryAccess:
    """What one user may do with one story they can see."""

    is_owner: bool

    @property
    def can_edit(self) -> bool:
        return self.is_owner

    @property
    def can_withdraw(self) -> bool:
        return self.is_owner


def access_to(user, story: Story) -> StoryAccess:
    owner = bool(user.is_authenticated and story.author_id == user.pk and not story.is_withdrawn)
    return StoryAccess(is_owner=owner)


def story_for(user, pk: int) -> tuple[Story, StoryAccess]:
    """The story with its access, or 404 when this user may not see it (also when it was
    withdrawn or never existed: the same answer)."""
    story = (
        visible_stories(user)
        .select_related("journey", "gemeente")
        .prefetch_related("themes", "signifiers", "slider_values__slider")
        .filter(pk=pk)
        .first()
    )
    if story is None:
        raise Http404
    return story, access_to(user, story)


def journeys_to_tell_in(user):
    """The journeys a user may attach a story to: those they are a member of."""
    if not user.is_authenticated:
        return Journey.objects.none()
    return Journey.objects.filter(memberships__user=user).order_by("title")
