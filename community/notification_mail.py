"""Notification emails: at once, or gathered in a daily or weekly digest. Every mail has
an unsubscribe link; a notification is mailed at most once, and only while its reader
may still read the thread (a member who left a besloten journey hears nothing more
about it) and the post still exists."""

from __future__ import annotations

import html
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator

from community.models import Notification, NotificationPreference
from community.queries.forum import thread_access

Email = NotificationPreference.Email
DIGEST_PERIOD = {Email.DAILY: timedelta(days=1), Email.WEEKLY: timedelta(days=7)}
# A scheduler that fires a little early (cron at 07:00, yesterday's run at 07:02) still
# sends; a second run the same day does not.
DIGEST_SLACK = timedelta(hours=1)
EXCERPT_CHARS = 400


def _base_url() -> str:
    return settings.BASE_URL.rstrip("/")


def _absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://", "#")) else _base_url() + path


def _excerpt(notification: Notification) -> str:
    post = notification.post
    if post is None or post.is_deleted:
        return ""
    text = " ".join(html.unescape(strip_tags(post.body_html)).split())
    return Truncator(text).chars(EXCERPT_CHARS)


def _prepare(notifications: list[Notification]) -> list[Notification]:
    from community.services.notifications import link_to

    for notification in notifications:
        link = link_to(notification)
        notification.mail_url = (
            _absolute(link) if link != "#" else _base_url() + reverse("community:notifications")
        )
        notification.excerpt = _excerpt(notification)
    return notifications


def _by_thread(notifications: list[Notification]) -> list[dict]:
    groups: dict[int | None, dict] = {}
    for notification in notifications:
        group = groups.setdefault(
            notification.thread_id, {"thread": notification.thread, "notifications": []}
        )
        group["notifications"].append(notification)
    return list(groups.values())


def _context(preference: NotificationPreference, notifications: list[Notification]) -> dict:
    notifications = _prepare(notifications)
    return {
        "user": preference.user,
        "notifications": notifications,
        "first": notifications[0],
        "threads": _by_thread(notifications),
        "base_url": _base_url(),
        "notifications_url": _base_url() + reverse("community:notifications"),
        "settings_url": _base_url() + reverse("community:notification_settings"),
        "unsubscribe_url": _base_url()
        + reverse("community:unsubscribe", args=[preference.unsubscribe_token]),
        "platform_name": settings.PLATFORM_NAME,
        "frequency": preference.email,
    }


def _still_readable(notifications) -> list[Notification]:
    return [
        n
        for n in notifications
        if (n.post is None or not n.post.is_deleted)
        and (n.thread is None or thread_access(n.user, n.thread).can_read)
    ]


def _send(
    preference: NotificationPreference, notifications: list[Notification], template: str
) -> bool:
    notifications = _still_readable(notifications)
    if not notifications:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(preference, notifications)
        subject = render_to_string(f"community/email/{template}_subject.txt", context)
        body = render_to_string(f"community/email/{template}.txt", context)
    subject = " ".join(subject.split())  # a header holds one line
    _mail(subject, body, preference.user.email, context["unsubscribe_url"])
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        emailed_at=timezone.now()
    )
    return True


def _mail(subject: str, body: str, to: str, unsubscribe_url: str) -> None:
    from django.core.mail import EmailMessage

    EmailMessage(
        subject,
        body,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            # RFC 8058 one-click: mail programs POST to the link (the view accepts it).
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
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
        preference = NotificationPreference.objects.select_related("user").get(
            user_id=user_notifications[0].user_id
        )
        sent += _send(preference, user_notifications, "notification")
    return sent


def _chose(frequency: str) -> Q:
    """Members whose choice is this frequency; without a choice it is daily (the default)."""
    chose = Q(user__notification_preference__email=frequency)
    if frequency == NotificationPreference._meta.get_field("email").default:
        chose |= Q(user__notification_preference__isnull=True)
    return chose


def send_digests(frequency: str) -> int:
    """Mail each member with this frequency the unread, unmailed notifications since
    their last digest. Run daily and weekly by a scheduler (see docs/notifications.md).
    Returns how many mails were sent."""
    if frequency not in DIGEST_PERIOD:
        raise ValueError(frequency)
    from community.services.notifications import preference_of

    now = timezone.now()
    sent = 0
    waiting = _pending().filter(_chose(frequency)).values_list("user_id", flat=True).distinct()
    for user_id in list(waiting):
        notifications = list(_pending().filter(user_id=user_id).order_by("created_at", "pk"))
        if not notifications:
            continue
        preference = preference_of(notifications[0].user)
        if preference.email != frequency:
            continue
        last = preference.last_digest_at
        if last and now - last < DIGEST_PERIOD[frequency] - DIGEST_SLACK:
            continue
        if _send(preference, notifications, "digest"):
            sent += 1
        preference.last_digest_at = now
        preference.save(update_fields=["last_digest_at"])
    return sent
