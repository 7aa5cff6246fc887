"""Notification emails: at once, or gathered in a daily or weekly digest. Every mail has
an unsubscribe link; a notification is mailed at most once, and only while its reader
may still read the thread."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from community.models import Notification, NotificationPreference
from community.queries.forum import thread_access

Email = NotificationPreference.Email
DIGEST_PERIOD = {Email.DAILY: timedelta(days=1), Email.WEEKLY: timedelta(days=7)}


def _base_url() -> str:
    return settings.BASE_URL.rstrip("/")


def _context(preference: NotificationPreference, notifications: list[Notification]) -> dict:
    return {
        "user": preference.user,
        "notifications": notifications,
        "base_url": _base_url(),
        "notifications_url": _base_url() + reverse("community:notifications"),
        "unsubscribe_url": _base_url()
        + reverse("community:unsubscribe", args=[preference.unsubscribe_token]),
        "platform_name": settings.PLATFORM_NAME,
    }


def _still_readable(notifications) -> list[Notification]:
    return [
        n for n in notifications if n.thread is None or thread_access(n.user, n.thread).can_read
    ]


def _send(
    preference: NotificationPreference, notifications: list[Notification], template: str
) -> bool:
    notifications = _still_readable(notifications)
    if not notifications:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(preference, notifications)
        subject = render_to_string(f"community/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"community/email/{template}.txt", context)
    _mail(subject, body, preference.user.email, context["unsubscribe_url"])
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        emailed_at=timezone.now()
    )
    return True


def _mail(subject: str, body: str, to: str, unsubscribe_url: str) -> None:
    from django.core.mail import EmailMessage

    EmailMessage(
        subject, body, to=[to], headers={"List-Unsubscribe": f"<{unsubscribe_url}>"}
    ).send()


def _pending():
    return Notification.objects.filter(
        emailed_at__isnull=True, read_at__isnull=True
    ).select_related("user", "actor", "thread__journey", "post")


def send_immediate(notification_ids: list[int]) -> int:
    sent = 0
    pending = _pending().filter(
        pk__in=notification_ids, user__notification_preference__email=Email.IMMEDIATE
    )
    by_user: dict[int, list[Notification]] = {}
    for notification in pending:
        by_user.setdefault(notification.user_id, []).append(notification)
    for user_notifications in by_user.values():
        preference = NotificationPreference.objects.get(user_id=user_notifications[0].user_id)
        sent += _send(preference, user_notifications, "notification")
    return sent


def send_digests(frequency: str) -> int:
    """Mail each member with this frequency the unread, unmailed notifications since
    their last digest. Run daily and weekly by a scheduler (see docs)."""
    if frequency not in DIGEST_PERIOD:
        raise ValueError(frequency)
    from community.services.notifications import preference_of

    now = timezone.now()
    sent = 0
    waiting = _pending().values_list("user_id", flat=True).distinct()
    for user_id in list(waiting):
        notifications = list(_pending().filter(user_id=user_id))
        preference = preference_of(notifications[0].user)  # daily unless they chose otherwise
        if preference.email != frequency:
            continue
        last = preference.last_digest_at
        if last and now - last < DIGEST_PERIOD[frequency] - timedelta(hours=1):
            continue
        if _send(preference, notifications, "digest"):
            sent += 1
        preference.last_digest_at = now
        preference.save(update_fields=["last_digest_at"])
    return sent
