"""The rules of live events: planning (also as a series), registering with a capacity
and a waiting list that moves up by itself, cancelling, and the mails that confirm it.

Functions take the acting user first, check permission (community.queries.events),
write in one transaction and send mail after commit through the task queue. A refused
request raises RuleViolation (a Dutch message) or PermissionDenied.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from community import audit
from community.models import Event, EventSeries, Registration, User
from community.queries.events import event_access, may_create_event
from journeys.models import Journey
from journeys.services import RuleViolation

Status = Registration.Status
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "form",
    "address",
    "online_url",
    "capacity",
    "registration_deadline",
)


@dataclass
class EventDetails:
    title: str
    starts_at: datetime
    ends_at: datetime
    form: str
    description: str = ""
    address: str = ""
    online_url: str = ""
    capacity: int | None = None
    registration_deadline: datetime | None = None


def _check(details: EventDetails) -> EventDetails:
    details.title = " ".join((details.title or "").split())
    if not details.title:
        raise RuleViolation(_("Give the event a title."))
    for moment in (details.starts_at, details.ends_at, details.registration_deadline):
        if moment is not None and timezone.is_naive(moment):
            raise RuleViolation(_("Give times with their time zone."))
    if details.ends_at <= details.starts_at:
        raise RuleViolation(_("The end must come after the start."))
    if details.form not in Event.Form.values:
        raise RuleViolation(_("Choose in person, online or hybrid."))
    if details.form in (Event.Form.FYSIEK, Event.Form.HYBRIDE) and not details.address.strip():
        raise RuleViolation(_("Give the address where people meet."))
    if details.form in (Event.Form.ONLINE, Event.Form.HYBRIDE):
        if not details.online_url:
            raise RuleViolation(_("Give the link of the online meeting."))
        try:
            URLValidator(schemes=["https"])(details.online_url)
        except ValidationError:
            raise RuleViolation(
                _("The online meeting link must be a full https:// address.")
            ) from None
    if details.capacity is not None and details.capacity < 1:
        raise RuleViolation(_("Give at least one place, or leave the number of places empty."))
    if details.registration_deadline and details.registration_deadline > details.starts_at:
        raise RuleViolation(_("Registration must close before the event starts."))
    return details


@transaction.atomic
def create_event(
    actor: User,
    details: EventDetails,
    *,
    journey: Journey | None = None,
    organisers: Iterable[User] = (),
    series: EventSeries | None = None,
) -> Event:
    if not may_create_event(actor, journey):
        raise PermissionDenied(
            _("Only the reisbegeleider (or, network-wide, a moderator) plans events.")
        )
    details = _check(details)
    event = Event.objects.create(
        journey=journey,
        series=series,
        created_by=actor,
        **{field: getattr(details, field) for field in FIELDS},
    )
    event.organisers.set([actor, *organisers])
    audit.record(actor, "event.created", journey or event, event=event.pk, title=event.title)
    return event


def _next(moment: datetime, frequency: str, n: int) -> datetime:
    """The n-th occurrence after `moment`, at the same local time (also across DST)."""
    local = moment.astimezone(AMSTERDAM)
    step = {"weekly": 7, "fortnightly": 14, "monthly": 28}[frequency] * n
    naive = local.replace(tzinfo=None) + timedelta(days=step)
    return naive.replace(tzinfo=AMSTERDAM)


@transaction.atomic
def create_series(
    actor: User,
    details: EventDetails,
    *,
    frequency: str,
    count: int,
    journey: Journey | None = None,
) -> EventSeries:
    """A recurring event: `count` occurrences, each with its own registrations."""
    if frequency not in EventSeries.Frequency.values:
        raise RuleViolation(_("Choose how often the series meets."))
    if not 2 <= count <= 52:
        raise RuleViolation(_("A series has between 2 and 52 meetings."))
    if not may_create_event(actor, journey):
        raise PermissionDenied(
            _("Only the reisbegeleider (or, network-wide, a moderator) plans events.")
        )
    details = _check(details)
    series = EventSeries.objects.create(title=details.title, frequency=frequency, created_by=actor)
    for n in range(count):
        occurrence = EventDetails(**vars(details))
        occurrence.starts_at = _next(details.starts_at, frequency, n)
        occurrence.ends_at = _next(details.ends_at, frequency, n)
        if details.registration_deadline:
            occurrence.registration_deadline = _next(details.registration_deadline, frequency, n)
        create_event(actor, occurrence, journey=journey, series=series)
    return series


@transaction.atomic
def update_event(actor: User, event: Event, details: EventDetails) -> Event:
    """Organisers change an event; everyone registered gets a mail with the new details."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event_access(actor, event).can_organise:
        raise PermissionDenied(_("Only the organisers change this event."))
    details = _check(details)
    attending = event.registrations.filter(status=Status.AANWEZIG).count()
    if details.capacity is not None and details.capacity < attending:
        raise RuleViolation(
            _("%(count)s people are already registered: the number of places cannot go below that.")
            % {"count": attending}
        )
    changed = [f for f in FIELDS if getattr(event, f) != getattr(details, f)]
    for field in FIELDS:
        setattr(event, field, getattr(details, field))
    event.save()
    if changed:
        audit.record(actor, "event.changed", event.journey or event, event=event.pk, fields=changed)
        _promote_waiting(event)
        recipients = list(
            event.registrations.filter(
                status__in=[Status.AANWEZIG, Status.MISSCHIEN, Status.WACHTLIJST]
            ).select_related("user")
        )
        for registration in recipients:
            _mail_on_commit(registration.pk, "event_changed")
    return event


@transaction.atomic
def register(actor: User, event: Event, status: str, *, send_email: bool = True) -> Registration:
    """Say whether you come. Wanting a place when the event is full puts you on the
    waiting list. The event row is locked, so two people racing for the last place
    cannot both get it. Demo data passes send_email=False."""
    if status not in (Status.AANWEZIG, Status.MISSCHIEN, Status.AFWEZIG):
        raise RuleViolation(_("Choose attending, maybe or not attending."))
    event = Event.objects.select_for_update().get(pk=event.pk)
    access = event_access(actor, event)
    if not access.can_see:
        raise PermissionDenied
    if not access.can_register:
        raise PermissionDenied(_("Only members of this journey register for its events."))
    now = timezone.now()
    if event.cancelled_at:
        raise RuleViolation(_("This event has been cancelled."))
    if event.ends_at <= now:
        raise RuleViolation(_("This event is over."))
    if (
        event.registration_deadline
        and now > event.registration_deadline
        and status != Status.AFWEZIG
    ):
        raise RuleViolation(_("Registration for this event has closed."))
    registration = Registration.objects.filter(event=event, user=actor).first()
    was = registration.status if registration else None
    if status == Status.AANWEZIG and was != Status.AANWEZIG:
        taken = event.registrations.filter(status=Status.AANWEZIG).count()
        if event.capacity is not None and taken >= event.capacity:
            status = Status.WACHTLIJST
    if registration is None:
        registration = Registration(event=event, user=actor)
    if status == was:
        return registration
    registration.status = status
    registration.waitlisted_at = now if status == Status.WACHTLIJST else None
    registration.save()
    if was == Status.AANWEZIG and status != Status.AANWEZIG:
        _promote_waiting(event)
    if send_email and status in (Status.AANWEZIG, Status.WACHTLIJST, Status.MISSCHIEN):
        _mail_on_commit(registration.pk, "registration_confirmed")
    return registration


def cancel_registration(actor: User, event: Event) -> Registration:
    return register(actor, event, Status.AFWEZIG)


def _promote_waiting(event: Event) -> list[Registration]:
    """Fill free places from the waiting list, first come first served; tell each by mail."""
    promoted = []
    while True:
        if event.capacity is not None:
            taken = event.registrations.filter(status=Status.AANWEZIG).count()
            if taken >= event.capacity:
                break
        waiting = (
            event.registrations.select_for_update()
            .filter(status=Status.WACHTLIJST)
            .order_by("waitlisted_at", "pk")
            .first()
        )
        if waiting is None:
            break
        waiting.status = Status.AANWEZIG
        waiting.waitlisted_at = None
        waiting.save(update_fields=["status", "waitlisted_at", "updated_at"])
        _mail_on_commit(waiting.pk, "waitlist_promoted")
        promoted.append(waiting)
    return promoted


# --- Mail -------------------------------------------------------------------------------


def _mail_on_commit(registration_id: int, template: str) -> None:
    transaction.on_commit(lambda: _send(registration_id, template))


def _send(registration_id: int, template: str) -> None:
    registration = (
        Registration.objects.select_related("event__journey", "user")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return
    event = registration.event
    if not event_access(registration.user, event).can_see:
        return  # lost access in between (e.g. left the journey): no mail about it
    with translation.override(settings.LANGUAGE_CODE), timezone.override(AMSTERDAM):
        context = {
            "registration": registration,
            "event": event,
            "starts": timezone.localtime(event.starts_at),
            "ends": timezone.localtime(event.ends_at),
            "zone": "Europe/Amsterdam",
            "platform_name": settings.PLATFORM_NAME,
            "base_url": settings.BASE_URL.rstrip("/"),
        }
        subject = render_to_string(f"community/email/{template}_subject.txt", context).strip()
        body = render_to_string("community/email/event.txt", {**context, "template": template})
    send_mail(subject, body, None, [registration.user.email])


# --- Calendar feed and reminder choices -----------------------------------------------


@transaction.atomic
def renew_calendar_feed(actor: User):
    """A new secret address for the member's calendar feed; the old one stops working."""
    from community.models import CalendarFeed
    from community.models.events import _feed_token

    if not actor.is_authenticated:
        raise PermissionDenied
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=actor)
    if not created:
        feed.token = _feed_token()
        feed.save(update_fields=["token", "created_at"])
    audit.record(actor, "calendar_feed.renewed", actor)
    return feed


@transaction.atomic
def set_reminders(actor: User, *, day_before: bool, hour_before: bool):
    """Which reminder mails the member wants: a day before, an hour before, or neither."""
    from community.models import CalendarFeed

    if not actor.is_authenticated:
        raise PermissionDenied
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=actor)
    feed.remind_day_before = bool(day_before)
    feed.remind_hour_before = bool(hour_before)
    feed.save(update_fields=["remind_day_before", "remind_hour_before", "created_at"])
    audit.record(
        actor, "calendar_feed.reminders", actor, day_before=day_before, hour_before=hour_before
    )
    return feed


# --- After the event, and calling it off (event pages) ----------------------------------

MAX_REPORT = 20_000


@transaction.atomic
def record_report(actor: User, event: Event, *, report: str, attendance: int | None) -> Event:
    """The organisers' verslag and attendance count, once the event is over. Filed under
    the journey, so it shows in the journey's activity."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event_access(actor, event).can_organise:
        raise PermissionDenied(_("Only the organisers write the verslag."))
    if event.cancelled_at:
        raise RuleViolation(_("This event has been cancelled."))
    if event.ends_at > timezone.now():
        raise RuleViolation(_("The verslag can be written once the event is over."))
    report = (report or "").strip()
    if len(report) > MAX_REPORT:
        raise RuleViolation(
            _("Keep the verslag under %(max)s characters.") % {"max": f"{MAX_REPORT:,}"}
        )
    if attendance is not None and attendance < 0:
        raise RuleViolation(_("The attendance cannot be below zero."))
    if not report and attendance is None:
        raise RuleViolation(_("Write the verslag or give the number of people who came."))
    event.report = report
    event.attendance = attendance
    event.save(update_fields=["report", "attendance"])
    audit.record(
        actor,
        "event.report_recorded",
        event.journey or event,
        event=event.pk,
        title=event.title,
        attendance=attendance,
    )
    return event


@transaction.atomic
def cancel_event(actor: User, event: Event) -> Event:
    """Call an event off: it stays visible, marked cancelled; nobody can register any more."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event_access(actor, event).can_organise:
        raise PermissionDenied(_("Only the organisers cancel this event."))
    if event.cancelled_at:
        raise RuleViolation(_("This event has been cancelled."))
    if event.ends_at <= timezone.now():
        raise RuleViolation(_("This event is over."))
    event.cancelled_at = timezone.now()
    event.save(update_fields=["cancelled_at"])
    audit.record(
        actor, "event.cancelled", event.journey or event, event=event.pk, title=event.title
    )
    return event


@transaction.atomic
def set_agenda_items(actor: User, event: Event, items: list[tuple[str, int | None]]) -> None:
    """The programme of a meeting, replaced as a whole, in the given order."""
    if not event_access(actor, event).can_organise:
        raise PermissionDenied(_("Only the organisers change this event."))
    if len(items) > 30:
        raise RuleViolation(_("A programme has at most 30 items."))
    from community.models import AgendaItem

    event.agenda_items.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(event=event, position=n, title=title[:200], minutes=minutes)
        for n, (title, minutes) in enumerate(items)
    )
