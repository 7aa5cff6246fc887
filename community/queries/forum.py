"""Who may read, write and moderate in which forum. Views, consumers, notifications,
emails and search all ask here.

A journey's forum: readable by whoever may see the journey (journeys.queries), so a
besloten journey's forum reaches members only; written in by members who contribute
(reisbegeleider, opdrachtgever, reiziger); moderated by the reisbegeleider.
The plein: for signed-in users; moderated by staff and the "Plein-moderatoren" group.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from community.models import (
    Notification,
    Post,
    Reaction,
    Thread,
    ThreadReadState,
    ThreadSubscription,
    User,
)
from journeys.models import Journey, Membership
from journeys.queries import access_for, may_view, visible_to

PLEIN_MODERATORS = "Plein-moderatoren"


@dataclass(frozen=True)
class ForumAccess:
    can_read: bool
    can_post: bool
    can_moderate: bool


def is_plein_moderator(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_staff or user.groups.filter(name=PLEIN_MODERATORS).exists()


def journey_forum_access(user, journey: Journey, access=None) -> ForumAccess:
    access = access or access_for(user, journey)
    readable = may_view(user, journey, access.role)
    return ForumAccess(
        can_read=readable,
        can_post=readable and access.can_contribute,
        can_moderate=access.can_facilitate,
    )


def plein_access(user) -> ForumAccess:
    signed_in = bool(user.is_authenticated)
    return ForumAccess(
        can_read=signed_in, can_post=signed_in, can_moderate=is_plein_moderator(user)
    )


def thread_access(user, thread: Thread, journey_access=None) -> ForumAccess:
    """Access to one thread; a hidden thread is read by its moderators only.
    `journey_access`: the user's access to the thread's journey, when already known."""
    if thread.journey_id:
        access = journey_forum_access(user, thread.journey, journey_access)
    else:
        access = plein_access(user)
    if thread.is_hidden and not access.can_moderate:
        return ForumAccess(False, False, False)
    if thread.is_locked and not access.can_moderate:
        return ForumAccess(access.can_read, False, False)
    return access


def readable_threads(user) -> QuerySet[Thread]:
    """Every thread the user may read: for search, notifications and feeds."""
    if not user.is_authenticated:
        return Thread.objects.filter(
            journey__in=visible_to(user), is_hidden=False, category__isnull=True
        )
    moderated_journeys = Membership.objects.filter(
        user=user, role=Membership.Role.REISBEGELEIDER
    ).values("journey")
    in_journeys = Q(journey__in=visible_to(user))
    plein = Q(category__isnull=False)
    shown = Q(is_hidden=False)
    if is_plein_moderator(user):
        shown |= plein
    shown |= Q(journey__in=moderated_journeys)
    return Thread.objects.filter((in_journeys | plein) & shown)


def threads_in_space(user, *, journey: Journey | None = None, category=None) -> QuerySet[Thread]:
    """A space's thread list with what each row shows, in a fixed number of queries."""
    threads = (
        Thread.objects.filter(journey=journey)
        if journey
        else Thread.objects.filter(category__isnull=False)
    )
    if category is not None:
        threads = threads.filter(category=category)
    access = journey_forum_access(user, journey) if journey else plein_access(user)
    if not access.can_moderate:
        threads = threads.filter(is_hidden=False)
    return threads.select_related("author", "category").prefetch_related("tags")


def read_positions(user, threads: list[Thread]) -> dict[int, int]:
    """thread id -> the last post number this user has read (one query)."""
    if not user.is_authenticated or not threads:
        return {}
    return dict(
        ThreadReadState.objects.filter(user=user, thread__in=threads).values_list(
            "thread_id", "last_read_number"
        )
    )


def posts_of(thread: Thread) -> QuerySet[Post]:
    """A thread's posts with their authors, reactions (with who gave them) and
    attachments prefetched."""
    return (
        thread.posts.select_related("author", "reply_to__author")
        .prefetch_related(
            Prefetch("reactions", queryset=Reaction.objects.select_related("user")),
            "attachments",
        )
        .order_by("number")
    )


def with_reader_state(threads: QuerySet[Thread], user) -> QuerySet[Thread]:
    """Threads with what the thread page needs to know of this reader, in the same
    query: `last_read` (the last post number they read, None before their first
    visit), `subscription` (their level, None for normal) and `unread_notifications`
    (whether any of their notifications about the thread is unread). Anonymous
    visitors get none of these."""
    if not user.is_authenticated:
        return threads
    theirs = {"thread": OuterRef("pk"), "user": user}
    return threads.annotate(
        last_read=Subquery(ThreadReadState.objects.filter(**theirs).values("last_read_number")[:1]),
        subscription=Subquery(ThreadSubscription.objects.filter(**theirs).values("level")[:1]),
        unread_notifications=Exists(Notification.objects.filter(**theirs, read_at__isnull=True)),
    )


def readers_of(thread_or_journey) -> QuerySet[User]:
    """Who may read a space: members of a besloten journey; everyone with an account for
    netwerk/openbaar journeys and the plein. Used for @mentions and notifications."""
    journey = (
        thread_or_journey if isinstance(thread_or_journey, Journey) else thread_or_journey.journey
    )
    users = User.objects.filter(is_active=True)
    if journey is not None and journey.visibility == Journey.Visibility.BESLOTEN:
        users = users.filter(Q(journey_memberships__journey=journey) | Q(is_staff=True))
    return users.distinct()
