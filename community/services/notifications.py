"""Notifications: who hears about a new post, in the app and by email.

One notification per person per post, the most specific kind first (a mention before a
reply, a reply before a followed thread). Never for your own actions, never for someone
who may not read the thread, never for a thread they muted. The count in the header is
published to the person's own channel group after commit; emails go through the task
queue, at once or in a digest, as each member chose.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import connections, transaction
from django.db.models import Exists, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import (
    Notification,
    NotificationPreference,
    Post,
    Thread,
    ThreadSubscription,
    User,
)
from community.queries.forum import PLEIN_MODERATORS, readable_threads, readers_of, thread_access
from community.realtime import group_name, publish_on_commit
from journeys.models import Membership
from journeys.queries import visible_to as journeys_visible_to
from journeys.services import RuleViolation

Kind = Notification.Kind

# The thread page shows this many posts per page (the forum's page size).
POSTS_PER_PAGE = 20


def preference_of(user: User) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    return preference


def _readable_threads(user: User) -> QuerySet[Thread]:
    """community.queries.forum.readable_threads in SQL alone: the plein-moderator check is
    a subquery here, so counting a member's notifications is one query."""
    if user.is_staff:
        return readable_threads(user)  # asks nothing of the database for staff
    moderates_plein = Exists(Group.objects.filter(name=PLEIN_MODERATORS, user=user))
    moderated_journeys = Membership.objects.filter(
        user=user, role=Membership.Role.REISBEGELEIDER
    ).values("journey")
    shown = (
        Q(is_hidden=False)
        | Q(journey__in=moderated_journeys)
        | (Q(category__isnull=False) & Q(moderates_plein))
    )
    in_space = Q(journey__in=journeys_visible_to(user)) | Q(category__isnull=False)
    return Thread.objects.filter(in_space & shown)


def visible_to(user: User) -> QuerySet[Notification]:
    """A member's own notifications that they may still read: the thread is readable to
    them now (a member who left a besloten journey no longer sees its notifications) and
    the post has not been deleted. Newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(
        Q(thread__isnull=True) | Q(thread__in=_readable_threads(user)),
        Q(journey__isnull=True) | Q(journey__in=journeys_visible_to(user)),
        Q(post__isnull=True) | Q(post__deleted_at__isnull=True),
        user=user,
    )


def for_list(user: User) -> QuerySet[Notification]:
    """The /meldingen/ list: what each row shows, in one query per page."""
    return visible_to(user).select_related("actor", "thread__journey", "post", "journey")


def _unread_query(user: User) -> QuerySet[Notification]:
    return visible_to(user).filter(read_at__isnull=True)


# The header shows the unread count on every page. Building and compiling its query
# through the ORM costs several times what running it does, and the query differs
# between members only in their id (and in its shape for staff): so it is compiled once
# per process for a stand-in member, and run with the member's own id in its place.
_STAND_IN_PK = -7_654_321  # no account has a negative id
_unread_sql: dict[bool, tuple[str, tuple[int, ...], tuple]] = {}


def _compile_unread(is_staff: bool) -> tuple[str, tuple[int, ...], tuple]:
    """The count's SQL for a stand-in, the places of its id among the parameters, and
    the parameters. Refuses a query that is not a function of the member's id alone."""

    def no_reads(*args, **kwargs):
        # A query built from what the database says about the stand-in would be wrong
        # for everyone else: building it must not read anything.
        raise RuntimeError("the unread count's query reads the database while it is built")

    def compiled(pk: int) -> tuple[str, tuple]:
        connection = connections[Notification.objects.db]
        with connection.execute_wrapper(no_reads):
            query = _unread_query(User(pk=pk, is_staff=is_staff)).order_by().values("pk")
            sql, params = query.query.get_compiler(using=query.db).as_sql()
        return f"SELECT COUNT(*) FROM ({sql}) unread", tuple(params)  # noqa: S608 (ORM's SQL)

    sql, params = compiled(_STAND_IN_PK)
    other_sql, other_params = compiled(_STAND_IN_PK - 1)
    places = tuple(i for i, value in enumerate(params) if value == _STAND_IN_PK)
    pairs = enumerate(zip(params, other_params, strict=True))
    varies = tuple(i for i, (one, other) in pairs if one != other)
    if sql != other_sql or not places or varies != places:
        raise RuntimeError("the unread count's query depends on more than the member's id")
    return sql, places, params


def unread_count(user: User) -> int:
    """Unread notifications the member may still read (one query): the count of
    visible_to(user) unread."""
    if not user.is_authenticated:
        return 0
    staff = bool(user.is_staff)
    if staff not in _unread_sql:
        _unread_sql[staff] = _compile_unread(staff)
    sql, places, params = _unread_sql[staff]
    values = list(params)
    for place in places:
        values[place] = user.pk
    with connections[Notification.objects.db].cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchone()[0]


def post_page(number: int) -> int:
    """The thread page a post number is on."""
    return max(number - 1, 0) // POSTS_PER_PAGE + 1


def link_to(notification: Notification) -> str:
    """The address of the post a notification is about (the thread page it is on), or
    "#" while the forum's pages do not exist. Needs thread__journey and post loaded.
    An update (Kind.UPDATE) names its own address."""
    if notification.url:
        return notification.url
    thread = notification.thread
    if thread is None:
        return "#"
    try:
        if thread.journey_id:
            url = reverse("community:journey_thread", args=[thread.journey.slug, thread.pk])
        else:
            url = reverse("community:plein_thread", args=[thread.pk])
    except NoReverseMatch:
        return "#"
    post = notification.post
    if post is None:
        return url
    return f"{url}?pagina={post_page(post.number)}#bericht-{post.number}"


def _recipients(post: Post, *, new_thread: bool) -> dict[int, tuple[User, str]]:
    thread = post.thread
    wanted: dict[int, tuple[User, str]] = {}

    def offer(users: Iterable[User], kind: str) -> None:
        for user in users:
            wanted.setdefault(user.pk, (user, kind))

    offer((m.user for m in post.mentions.select_related("user")), Kind.MENTION)
    if post.reply_to_id and post.reply_to.author_id:
        offer([post.reply_to.author], Kind.REPLY)
    followers = ThreadSubscription.objects.filter(
        thread=thread, level=ThreadSubscription.Level.FOLLOWING
    ).select_related("user")
    offer((s.user for s in followers), Kind.FOLLOWED_POST)
    if new_thread and thread.journey_id:
        members = Membership.objects.filter(journey_id=thread.journey_id).select_related("user")
        offer((m.user for m in members), Kind.NEW_THREAD)
    muted = set(
        ThreadSubscription.objects.filter(
            thread=thread, level=ThreadSubscription.Level.MUTED
        ).values_list("user_id", flat=True)
    )
    candidates = {pk for pk in wanted if pk != post.author_id and pk not in muted}
    if thread.is_hidden:  # rare: moderators only, checked one by one
        readers = {pk for pk in candidates if thread_access(wanted[pk][0], thread).can_read}
    else:  # who may read the space, in one query however many people follow
        readers = set(readers_of(thread).filter(pk__in=candidates).values_list("pk", flat=True))
    return {pk: wanted[pk] for pk in readers}


def notify_new_post(post: Post, *, new_thread: bool) -> list[Notification]:
    """Called by the forum services inside their transaction."""
    recipients = _recipients(post, new_thread=new_thread)
    notifications = Notification.objects.bulk_create(
        Notification(user=user, kind=kind, actor=post.author, thread=post.thread, post=post)
        for user, kind in recipients.values()
    )
    deliver(notifications)
    return notifications


def notify_mentions(post: Post, users: Iterable[User]) -> list[Notification]:
    """New @mentions added by an edit."""
    readers = [
        user
        for user in users
        if user.pk != post.author_id and thread_access(user, post.thread).can_read
    ]
    notifications = Notification.objects.bulk_create(
        Notification(user=user, kind=Kind.MENTION, actor=post.author, thread=post.thread, post=post)
        for user in readers
    )
    deliver(notifications)
    return notifications


def deliver(notifications: list[Notification]) -> None:
    """After commit: tell each recipient's open pages their count changed, and mail those
    who chose email at once. For every feature that makes notifications."""
    users = {n.user_id for n in notifications}
    for user_id in users:
        publish_on_commit(
            group_name("user", user_id),
            {"type": "notifications", "op": "changed"},
        )
    if notifications:
        ids = [n.pk for n in notifications]
        transaction.on_commit(lambda: _email_at_once(ids))


def _email_at_once(notification_ids: list[int]) -> None:
    from community.tasks import email_notifications

    email_notifications.enqueue(notification_ids)


@transaction.atomic
def mark_read(actor: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of the actor's own notifications read."""
    if not actor.is_authenticated:
        return 0
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    count = unread.update(read_at=timezone.now())
    if count:
        publish_on_commit(group_name("user", actor.pk), {"type": "notifications", "op": "changed"})
    return count


def mark_seen_in_thread(actor: User, thread, up_to_number: int) -> int:
    """Reading a thread reads its notifications too, up to the last post on the page
    (as Discourse does): one query when there is nothing to mark."""
    if not actor.is_authenticated:
        return 0
    count = Notification.objects.filter(
        user=actor, thread=thread, read_at__isnull=True, post__number__lte=up_to_number
    ).update(read_at=timezone.now())
    if count:
        publish_on_commit(group_name("user", actor.pk), {"type": "notifications", "op": "changed"})
    return count


@transaction.atomic
def set_email_preference(actor: User, email: str) -> NotificationPreference:
    if email not in NotificationPreference.Email.values:
        raise RuleViolation(_("Choose how often you want email."))
    preference = preference_of(actor)
    preference.email = email
    preference.save(update_fields=["email"])
    return preference


@transaction.atomic
def unsubscribe(token: str) -> NotificationPreference | None:
    """The link in every mail: no more email about notifications. Needs no sign-in, the
    token is the key. None for a token that belongs to no one."""
    preference = (
        NotificationPreference.objects.select_for_update().filter(unsubscribe_token=token).first()
    )
    if preference is None:
        return None
    if preference.email != NotificationPreference.Email.NONE:
        preference.email = NotificationPreference.Email.NONE
        preference.save(update_fields=["email"])
    return preference
