"""Calendar files: every .ics parses and holds the right UTC times (summer and winter
time), the online link only reaches registered attendees and organisers, a besloten
journey's events stay with its members, and the personal feed's secret address can be
renewed so the old one stops working."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from community.models import CalendarFeed, Event, Registration
from community.services import events
from community.services.events import EventDetails
from journeys import services as journey_services
from journeys.models import Journey

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
Status = Registration.Status
LINK = "https://meet.example.org/leerbijeenkomst"


def _details(**changes) -> EventDetails:
    start = timezone.now() + timedelta(days=10)
    fields = {
        "title": "Leerbijeenkomst",
        "description": "We delen wat werkt tegen eenzaamheid.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "form": Event.Form.HYBRIDE,
        "address": "Wijkcentrum De Linde, Lindendal",
        "online_url": LINK,
    }
    fields.update(changes)
    return EventDetails(**fields)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _calendar(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _vevents(calendar: Calendar) -> list:
    return [c for c in calendar.walk("VEVENT")]


def _ics(event: Event, user=None):
    return _client(user).get(reverse("community:event_ics", args=[event.pk]))


@pytest.fixture
def open_journey(make_journey):
    return make_journey("Open reis", visibility=Journey.Visibility.OPENBAAR)


@pytest.fixture
def closed_journey(make_journey):
    return make_journey("Besloten reis", visibility=Journey.Visibility.BESLOTEN)


@pytest.fixture
def hybrid(open_journey, reisbegeleider):
    return events.create_event(reisbegeleider, _details(), journey=open_journey)


# --- One event's .ics ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("local_start", "utc_start"),
    [
        (datetime(2026, 7, 1, 19, 30, tzinfo=AMSTERDAM), "20260701T173000Z"),  # summer time
        (datetime(2026, 12, 1, 19, 30, tzinfo=AMSTERDAM), "20261201T183000Z"),  # winter time
    ],
)
def test_event_ics_parses_and_holds_the_start_and_end_in_utc_in_summer_and_winter_time(
    reisbegeleider, professional, open_journey, local_start, utc_start
):
    event = events.create_event(
        reisbegeleider,
        _details(starts_at=local_start, ends_at=local_start + timedelta(hours=2)),
        journey=open_journey,
    )

    response = _ics(event, professional)

    calendar = _calendar(response)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Amsterdam"
    (vevent,) = _vevents(calendar)
    assert vevent["DTSTART"].dt == local_start.astimezone(UTC)
    assert vevent["DTEND"].dt == (local_start + timedelta(hours=2)).astimezone(UTC)
    assert vevent["DTSTART"].dt.utcoffset() == timedelta(0)
    assert f"DTSTART:{utc_start}".encode() in response.content


@pytest.mark.django_db
def test_event_ics_links_back_to_the_event_with_a_stable_uid_an_alarm_and_the_address(
    hybrid, professional, settings
):
    settings.BASE_URL = "https://agenda.example.org"
    first = _vevents(_calendar(_ics(hybrid, professional)))[0]
    again = _vevents(_calendar(_ics(hybrid, professional)))[0]

    page = f"https://agenda.example.org/agenda/{hybrid.pk}/"
    assert str(first["URL"]) == page
    assert page in str(first["DESCRIPTION"])
    assert "wat werkt tegen eenzaamheid" in str(first["DESCRIPTION"])
    assert str(first["UID"]) == str(again["UID"]) == f"event-{hybrid.pk}@agenda.example.org"
    assert str(first["SUMMARY"]) == "Leerbijeenkomst"
    assert str(first["LOCATION"]) == "Wijkcentrum De Linde, Lindendal"
    (alarm,) = first.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(hours=-1)


@pytest.mark.django_db
def test_event_ics_is_an_attachment_with_a_safe_filename(reisbegeleider, open_journey):
    event = events.create_event(
        reisbegeleider, _details(title='Sessie "één"; \r\nzet=1/..\\'), journey=open_journey
    )
    response = _ics(event, reisbegeleider)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    filename = re.fullmatch(r'attachment; filename="([^"]+)"', disposition).group(1)
    assert re.fullmatch(r"[a-z0-9-]+\.ics", filename)


@pytest.mark.django_db
def test_online_link_is_in_the_ics_of_attendees_and_organisers(
    hybrid, reisbegeleider, professional, opdrachtgever
):
    events.register(professional, hybrid, Status.AANWEZIG)
    events.register(opdrachtgever, hybrid, Status.MISSCHIEN)
    for user in (professional, opdrachtgever, reisbegeleider):
        (vevent,) = _vevents(_calendar(_ics(hybrid, user)))
        assert LINK in str(vevent["DESCRIPTION"])  # there is an address, so not the location


@pytest.mark.django_db
def test_online_link_is_absent_for_anonymous_unregistered_declined_and_waiting_people(
    reisbegeleider, open_journey, professional, opdrachtgever, inwoner, trainer
):
    event = events.create_event(reisbegeleider, _details(capacity=1), journey=open_journey)
    events.register(opdrachtgever, event, Status.AANWEZIG)
    events.register(professional, event, Status.AFWEZIG)
    assert events.register(inwoner, event, Status.AANWEZIG).status == Status.WACHTLIJST

    for user in (None, trainer, professional, inwoner):
        response = _ics(event, user)
        _calendar(response)
        assert LINK.encode() not in response.content
        assert b"meet.example.org" not in response.content


@pytest.mark.django_db
def test_an_online_event_puts_the_link_in_the_location_only_for_attendees(
    reisbegeleider, open_journey, professional, trainer
):
    event = events.create_event(
        reisbegeleider, _details(form=Event.Form.ONLINE, address=""), journey=open_journey
    )
    events.register(professional, event, Status.AANWEZIG)

    (attendee,) = _vevents(_calendar(_ics(event, professional)))
    assert str(attendee["LOCATION"]) == LINK
    (outsider,) = _vevents(_calendar(_ics(event, trainer)))
    assert "LOCATION" not in outsider
    assert LINK not in outsider.to_ical().decode()


@pytest.mark.django_db
def test_a_cancelled_event_is_marked_cancelled_in_its_ics(hybrid, reisbegeleider):
    events.cancel_event(reisbegeleider, hybrid)
    (vevent,) = _vevents(_calendar(_ics(hybrid, reisbegeleider)))
    assert str(vevent["STATUS"]) == "CANCELLED"


@pytest.mark.django_db
def test_besloten_journeys_event_ics_is_404_for_non_members(
    closed_journey, reisbegeleider, professional, trainer
):
    event = events.create_event(reisbegeleider, _details(), journey=closed_journey)
    assert _ics(event).status_code == 404
    assert _ics(event, trainer).status_code == 404
    assert _ics(event, professional).status_code == 200


@pytest.mark.django_db
def test_ics_of_an_event_that_does_not_exist_is_404(professional):
    response = _client(professional).get(reverse("community:event_ics", args=[999999]))
    assert response.status_code == 404


# --- The personal feed -----------------------------------------------------------------


def _feed(token: str, client: Client | None = None):
    return (client or Client()).get(reverse("community:calendar_feed", args=[token]))


@pytest.mark.django_db
def test_feed_holds_only_events_its_owner_may_see(
    closed_journey, open_journey, reisbegeleider, professional, trainer, beheerder
):
    own = events.create_event(reisbegeleider, _details(title="Eigen reis"), journey=closed_journey)
    public = events.create_event(reisbegeleider, _details(title="Open reis"), journey=open_journey)
    plein = events.create_event(beheerder, _details(title="Netwerkbreed"))
    elsewhere = journey_services.create_journey(
        trainer,
        title="Andere besloten reis",
        challenge="Armoede",
        visibility=Journey.Visibility.BESLOTEN,
    )
    hidden = events.create_event(trainer, _details(title="Niet voor jou"), journey=elsewhere)

    token = CalendarFeed.objects.create(user=professional).token
    calendar = _calendar(_feed(token))  # no login: the token is the key

    uids = {str(v["UID"]) for v in _vevents(calendar)}
    assert uids == {f"event-{e.pk}@127.0.0.1" for e in (own, public, plein)}
    assert f"event-{hidden.pk}@127.0.0.1" not in uids


@pytest.mark.django_db
def test_feed_holds_events_from_thirty_days_ago_on(open_journey, reisbegeleider, professional):
    recent = events.create_event(reisbegeleider, _details(title="Recent"), journey=open_journey)
    old = events.create_event(reisbegeleider, _details(title="Lang geleden"), journey=open_journey)
    now = timezone.now()
    Event.objects.filter(pk=recent.pk).update(
        starts_at=now - timedelta(days=10), ends_at=now - timedelta(days=10) + timedelta(hours=1)
    )
    Event.objects.filter(pk=old.pk).update(
        starts_at=now - timedelta(days=40), ends_at=now - timedelta(days=40) + timedelta(hours=1)
    )

    token = CalendarFeed.objects.create(user=professional).token
    titles = [str(v["SUMMARY"]) for v in _vevents(_calendar(_feed(token)))]
    assert titles == ["Recent"]


@pytest.mark.django_db
def test_feed_gives_the_online_link_only_for_events_the_owner_registered_for(
    open_journey, reisbegeleider, professional
):
    going = events.create_event(reisbegeleider, _details(title="Ik kom"), journey=open_journey)
    declined = events.create_event(reisbegeleider, _details(title="Ik niet"), journey=open_journey)
    other = events.create_event(reisbegeleider, _details(title="Onbekend"), journey=open_journey)
    events.register(professional, going, Status.AANWEZIG)
    events.register(professional, declined, Status.AFWEZIG)

    token = CalendarFeed.objects.create(user=professional).token
    by_title = {str(v["SUMMARY"]): v for v in _vevents(_calendar(_feed(token)))}
    assert LINK in str(by_title["Ik kom"]["DESCRIPTION"])
    for title in ("Ik niet", "Onbekend"):
        assert LINK not in by_title[title].to_ical().decode()
    assert other.pk and declined.pk


@pytest.mark.django_db
def test_unknown_token_and_an_inactive_owners_feed_are_404(professional):
    assert _feed("geen-bestaand-adres").status_code == 404
    token = CalendarFeed.objects.create(user=professional).token
    professional.is_active = False
    professional.save(update_fields=["is_active"])
    assert _feed(token).status_code == 404


@pytest.mark.django_db
def test_feed_response_is_not_cached_and_sends_no_referrer(professional):
    token = CalendarFeed.objects.create(user=professional).token
    response = _feed(token)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


# --- The settings page: subscribe, renew, reminders -----------------------------------


def _settings_url() -> str:
    return reverse("community:calendar_settings")


@pytest.mark.django_db
def test_settings_page_needs_signing_in():
    response = Client().get(_settings_url())
    assert response.status_code == 302 and "/accounts/" in response["Location"]


@pytest.mark.django_db
def test_settings_page_shows_the_absolute_feed_address_and_a_webcal_variant(professional, settings):
    settings.BASE_URL = "https://agenda.example.org/"
    response = _client(professional).get(_settings_url())
    assert response.status_code == 200
    token = CalendarFeed.objects.get(user=professional).token
    html = response.content.decode()
    assert f"https://agenda.example.org/agenda/feed/{token}.ics" in html
    assert f"webcal://agenda.example.org/agenda/feed/{token}.ics" in html
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.django_db
def test_renewing_the_address_makes_the_old_feed_404_and_the_new_one_work(professional):
    client = _client(professional)
    client.get(_settings_url())
    old = CalendarFeed.objects.get(user=professional).token
    assert _feed(old).status_code == 200

    response = client.post(_settings_url(), {"action": "renew"})

    assert response.status_code == 302
    new = CalendarFeed.objects.get(user=professional).token
    assert new != old
    assert _feed(old).status_code == 404
    _calendar(_feed(new))


@pytest.mark.django_db
def test_reminder_choices_are_saved(professional):
    client = _client(professional)
    response = client.post(_settings_url(), {"action": "reminders", "remind_hour_before": "on"})
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(user=professional)
    assert (feed.remind_day_before, feed.remind_hour_before) == (False, True)
    page = client.get(_settings_url()).content.decode()
    assert re.search(r'name="remind_hour_before"[^>]*checked', page)
    assert not re.search(r'name="remind_day_before"[^>]*checked', page)


@pytest.mark.django_db
def test_an_unknown_action_is_refused_with_400_and_changes_nothing(professional):
    client = _client(professional)
    client.get(_settings_url())
    token = CalendarFeed.objects.get(user=professional).token
    response = client.post(_settings_url(), {"action": "verwijder-alles"})
    assert response.status_code == 400
    feed = CalendarFeed.objects.get(user=professional)
    assert feed.token == token and feed.remind_day_before and feed.remind_hour_before
