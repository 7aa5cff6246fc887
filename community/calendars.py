"""Calendar files: the .ics of one event and each member's personal subscription feed.

Times go out in UTC (DTSTART/DTEND ending in Z), so every calendar program shows them
right across daylight-saving changes; X-WR-TIMEZONE names Europe/Amsterdam for programs
that show a calendar's own zone. The online meeting link goes into a file only when the
viewer may see it (community.queries.events.may_see_online_link): registered attendees
and organisers, never anonymous visitors, people who declined or the waiting list.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar
from icalendar import Event as VEvent

from community.models import CalendarFeed, Event
from community.queries.events import may_see_online_link, visible_events

ZONE = "Europe/Amsterdam"
FEED_HISTORY = timedelta(days=30)


def base_url() -> str:
    return settings.BASE_URL.rstrip("/")


def event_url(event: Event, base: str | None = None) -> str:
    """The absolute address of the event's page (community:event)."""
    base = (base if base is not None else base_url()).rstrip("/")
    try:
        path = reverse("community:event", args=[event.pk])
    except NoReverseMatch:  # before the event pages exist
        path = f"/agenda/{event.pk}/"
    return f"{base}{path}"


def event_uid(event: Event, base: str) -> str:
    host = urlsplit(base).hostname or "platform"
    return f"event-{event.pk}@{host}"


def ics_filename(event: Event) -> str:
    """A filename that is safe in a Content-Disposition header: ASCII letters, digits, -."""
    stem = slugify(event.title)[:60].strip("-") or "event"
    return f"{stem}.ics"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _vevent(event: Event, *, viewer, base: str, stamp: datetime) -> VEvent:
    page = event_url(event, base)
    online = ""
    if (
        event.online_url
        and event.form in (Event.Form.ONLINE, Event.Form.HYBRIDE)
        and may_see_online_link(viewer, event)
    ):
        online = event.online_url
    address = event.address.strip()

    description = [event.description.strip()] if event.description.strip() else []
    if online and address:
        # Calendar files are read outside the site: in the platform's language.
        with translation.override(settings.LANGUAGE_CODE):
            description.append(_("Online: %(url)s") % {"url": online})
    description.append(page)

    vevent = VEvent()
    vevent.add("uid", event_uid(event, base))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", _utc(event.starts_at))
    vevent.add("dtend", _utc(event.ends_at))
    vevent.add("summary", event.title)
    vevent.add("description", "\n\n".join(description))
    vevent.add("url", page)
    location = address or online
    if location:
        vevent.add("location", location)
    if event.created_at:
        vevent.add("created", _utc(event.created_at))
    if event.cancelled_at:
        vevent.add("status", "CANCELLED")
    else:
        vevent.add("status", "CONFIRMED")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.title)
        alarm.add("trigger", timedelta(hours=-1))
        vevent.add_component(alarm)
    return vevent


def event_ics(events: Iterable[Event], *, viewer, base_url: str, name: str | None = None) -> bytes:
    """A VCALENDAR holding `events` as `viewer` may see them. The caller has already
    checked that the viewer may see each event."""
    base = base_url.rstrip("/")
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PLATFORM_NAME}//Agenda//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-timezone", ZONE)
    if name:
        calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for event in events:
        calendar.add_component(_vevent(event, viewer=viewer, base=base, stamp=stamp))
    return calendar.to_ical()


# --- The personal feed ----------------------------------------------------------------


def feed_for(user) -> CalendarFeed:
    """The member's feed row, made on first use (with a fresh secret token)."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def feed_url(feed: CalendarFeed, base: str | None = None) -> str:
    base = (base if base is not None else base_url()).rstrip("/")
    return f"{base}{reverse('community:calendar_feed', args=[feed.token])}"


def webcal_url(url: str) -> str:
    """The same address for calendar programs that subscribe on a webcal:// link."""
    return "webcal://" + url.split("://", 1)[-1]


def feed_events(owner) -> QuerySet[Event]:
    """Everything the owner may see, from 30 days ago on (cancelled ones too, marked as
    such, so subscribed calendars drop them)."""
    since = timezone.now() - FEED_HISTORY
    return (
        visible_events(owner)
        .filter(ends_at__gte=since)
        .select_related("journey")
        .order_by("starts_at", "pk")
    )
