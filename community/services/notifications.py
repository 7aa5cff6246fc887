"""Notifications: who hears about a new post, in the app and by email.

One notification per person per post, the most specific kind first (a mention before a
reply, a reply before a followed thread). Never for your own actions, never for someone
who may not read the thread, never for a thread they muted. The count in the header is
published to the person's own channel group after commit; emails go through the task
queue, at once or in a digest, as each member chose.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import (
    Notification,
    NotificationPreference,
    Post,
    ThreadSubscription,
    User,
)
from community.queries.forum import thread_access
from community.realtime import group_name, publish_on_commit
from journeys.models import Membership
from journeys.services import RuleViolation

Kind = Notification.Kind


def preference_of(user: User) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    return preference


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


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
    return {
        pk: (user, kind)
        for pk, (user, kind) in wanted.items()
        if pk != post.author_id
        and pk not in muted
        and user.is_active
        and thread_access(user, thread).can_read
    }


def notify_new_post(post: Post, *, new_thread: bool) -> list[Notification]:
    """Called by the forum services inside their transaction."""
    recipients = _recipients(post, new_thread=new_thread)
    notifications = Notification.objects.bulk_create(
        Notification(user=user, kind=kind, actor=post.author, thread=post.thread, post=post)
        for user, kind in recipients.values()
    )
    _after_commit(notifications)
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
    _after_commit(notifications)
    return notifications


def _after_commit(notifications: list[Notification]) -> None:
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


@transaction.atomic
def set_email_preference(actor: User, email: str) -> NotificationPreference:
    if email not in NotificationPreference.Email.values:
        raise RuleViolation(_("Choose how often you want email."))
    preference = preference_of(actor)
    preference.email = email
    preference.save(update_fields=["email"])
    return preference
