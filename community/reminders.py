"""Reminder mails before an event: one a day before and one an hour before.

`manage.py send_event_reminders` (every 10 minutes, from cron or a systemd timer; see
docs/events.md) runs the task community.tasks.send_event_reminders, which calls
send_reminders(). Who gets one: people registered as attending or maybe (not those who
declined, not the waiting list), for events that are not cancelled and that they may
still see, when their own choice (CalendarFeed.remind_day_before / remind_hour_before,
both on for people who never chose) allows it.

Windows: the day-before mail goes when the start is between 1 and 24 hours away, the
hour-before mail when it is less than an hour away. Each registration records when each
reminder went (reminded_*_at), claimed with a conditional update before the mail is
sent, so running twice, or two runs at once, never sends the same reminder again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from community.calendars import ZONE, event_url
from community.models import CalendarFeed, Registration
from community.queries.events import event_access, may_see_online_link
from community.services.events import AMSTERDAM

Status = Registration.Status
DAY_BEFORE = "day_before"
HOUR_BEFORE = "hour_before"
WINDOWS = {DAY_BEFORE: timedelta(hours=24), HOUR_BEFORE: timedelta(hours=1)}
FIELD = {DAY_BEFORE: "reminded_day_before_at", HOUR_BEFORE: "reminded_hour_before_at"}
CHOICE = {DAY_BEFORE: "remind_day_before", HOUR_BEFORE: "remind_hour_before"}


@dataclass(frozen=True)
class DueReminder:
    registration: Registration
    kind: str  # DAY_BEFORE or HOUR_BEFORE


def _wants(registration: Registration, kind: str) -> bool:
    try:
        feed = registration.user.calendar_feed
    except CalendarFeed.DoesNotExist:
        return True  # never chose: both reminders on
    return bool(getattr(feed, CHOICE[kind]))


def due_reminders(now: datetime) -> list[DueReminder]:
    """Every reminder that should go out at `now` and has not gone yet."""
    hour = now + WINDOWS[HOUR_BEFORE]
    day = now + WINDOWS[DAY_BEFORE]
    candidates = (
        Registration.objects.filter(
            status__in=[Status.AANWEZIG, Status.MISSCHIEN],
            user__is_active=True,
            event__cancelled_at__isnull=True,
            event__starts_at__gt=now,
            event__starts_at__lte=day,
        )
        .filter(
            Q(reminded_day_before_at__isnull=True, event__starts_at__gt=hour)
            | Q(reminded_hour_before_at__isnull=True, event__starts_at__lte=hour)
        )
        .select_related("event__journey", "user__calendar_feed")
        .order_by("event__starts_at", "pk")
    )
    due = []
    for registration in candidates:
        kind = HOUR_BEFORE if registration.event.starts_at <= hour else DAY_BEFORE
        if getattr(registration, FIELD[kind]) is not None or not _wants(registration, kind):
            continue
        if not event_access(registration.user, registration.event).can_see:
            continue  # left the journey, or it became besloten: no mail about it
        due.append(DueReminder(registration, kind))
    return due


def _claim(reminder: DueReminder, now: datetime) -> bool:
    """Mark the reminder as sent; False when another run got there first."""
    field = FIELD[reminder.kind]
    return bool(
        Registration.objects.filter(pk=reminder.registration.pk, **{f"{field}__isnull": True})
        .filter(status__in=[Status.AANWEZIG, Status.MISSCHIEN])
        .update(**{field: now})
    )


def _settings_url(base: str) -> str:
    try:
        return base + reverse("community:calendar_settings")
    except NoReverseMatch:
        return ""


def _send(reminder: DueReminder) -> None:
    registration = reminder.registration
    event = registration.event
    base = settings.BASE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE), timezone.override(AMSTERDAM):
        context = {
            "kind": reminder.kind,
            "registration": registration,
            "event": event,
            "starts": timezone.localtime(event.starts_at),
            "ends": timezone.localtime(event.ends_at),
            "zone": ZONE,
            "online_url": event.online_url
            if event.online_url and may_see_online_link(registration.user, event)
            else "",
            "event_url": event_url(event, base),
            "settings_url": _settings_url(base),
            "platform_name": settings.PLATFORM_NAME,
        }
        subject = render_to_string("community/email/event_reminder_subject.txt", context)
        body = render_to_string("community/email/event_reminder.txt", context)
    # EMAIL_BACKEND is the task-queue backend: this hands the mail to the queue.
    send_mail(" ".join(subject.split()), body, None, [registration.user.email])


def send_reminders(now: datetime | None = None) -> int:
    """Send every due reminder once. Returns how many mails went out."""
    now = now or timezone.now()
    sent = 0
    for reminder in due_reminders(now):
        if _claim(reminder, now):
            _send(reminder)
            sent += 1
    return sent
