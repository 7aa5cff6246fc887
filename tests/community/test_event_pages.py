"""The event pages as members use them: /agenda/ and its month view, a journey's agenda
tab, the event page with registration, the waiting list, the 'nu live' notice and the
verslag, and the planning forms. Besloten events reach members only; the online link
reaches only attendees and organisers; bad input changes nothing; query counts stay
the same as the agenda grows."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from community.models import AuditEntry, Event, EventSeries, Registration
from community.services import events
from community.services.events import EventDetails
from journeys import activity as journey_activity
from journeys.models import Journey

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
Status = Registration.Status
Visibility = Journey.Visibility
LINK = "https://meet.example.org/leerbijeenkomst-geheim"


def nl(msgid: str) -> str:
    with translation.override("nl"):
        return translation.gettext(msgid)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def details(**changes) -> EventDetails:
    start = timezone.now() + timedelta(days=10)
    fields = {
        "title": "Leerbijeenkomst eenzaamheid",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "form": Event.Form.HYBRIDE,
        "address": "Wijkcentrum De Linde, Lindendal",
        "online_url": LINK,
        "capacity": None,
    }
    fields.update(changes)
    return EventDetails(**fields)


def plan(personas, journey, **changes) -> Event:
    return events.create_event(personas["reisbegeleider"], details(**changes), journey=journey)


def event_page(event: Event) -> str:
    return reverse("community:event", args=[event.pk])


def form_data(**changes) -> dict:
    data = {
        "title": "Werksessie",
        "description": "We bespreken de foto.",
        "starts_at": "2030-06-13T19:30",
        "ends_at": "2030-06-13T21:00",
        "form": "hybride",
        "address": "Stadhuis, Lindendal",
        "online_url": "https://meet.example.org/werksessie",
        "capacity": "",
        "registration_deadline": "",
        "repeat": "",
        "repeat_count": "",
    }
    data.update(changes)
    return data


# --- Lists -------------------------------------------------------------------------------


def test_agenda_lists_upcoming_events_by_day_with_dutch_dates_and_amsterdam_times(
    personas, make_journey
):
    journey = make_journey()
    start = datetime(2030, 6, 13, 19, 30, tzinfo=AMSTERDAM)
    plan(personas, journey, starts_at=start, ends_at=start + timedelta(minutes=90))
    plan(
        personas,
        journey,
        title="Afgelopen",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=1),
    )

    html = signed_in(personas["onderzoeker"]).get(reverse("community:agenda")).content.decode()

    assert "19:30\u201321:00 (Europe/Amsterdam)" in html
    assert "donderdag 13 juni 2030" in html
    assert "Wijkcentrum De Linde" in html and journey.title in html
    assert "Afgelopen" not in html
    assert LINK not in html


def test_agenda_filters_by_journey_among_journeys_with_events(personas, make_journey):
    first = make_journey("Armoede de baas")
    second = make_journey("Jeugd in beeld")
    make_journey("Zonder agenda")
    plan(personas, first, title="Armoede-overleg")
    plan(personas, second, title="Jeugdavond")
    client = signed_in(personas["professional"])

    html = client.get(reverse("community:agenda"), {"reis": first.slug}).content.decode()

    assert "Armoede-overleg" in html and "Jeugdavond" not in html
    assert "Zonder agenda" not in html  # only journeys that have events are offered


def test_anonymous_visitors_see_only_events_of_openbaar_journeys(personas, make_journey):
    plan(personas, make_journey("Open reis", visibility=Visibility.OPENBAAR), title="Open avond")
    plan(personas, make_journey("Netwerkreis"), title="Netwerkavond")
    events.create_event(personas["beheerder"], details(title="Pleinavond"))

    html = Client().get(reverse("community:agenda")).content.decode()

    assert "Open avond" in html
    assert "Netwerkavond" not in html and "Pleinavond" not in html


def test_month_view_is_a_table_with_each_event_in_its_day_cell(personas, make_journey):
    journey = make_journey()
    start = datetime(2030, 6, 13, 19, 30, tzinfo=AMSTERDAM)
    event = plan(personas, journey, starts_at=start, ends_at=start + timedelta(hours=1))
    url = reverse("community:agenda_month", args=[2030, 6])

    response = signed_in(personas["professional"]).get(url)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<table" in html and html.count("<tr>") == 1 + 5  # header and 5 weeks (Mon-Sun)
    cell = html.split("donderdag 13 juni 2030")[1].split("</td>")[0]
    assert event_page(event) in cell and "19:30" in cell
    assert reverse("community:agenda_month", args=[2030, 5]) in html
    assert reverse("community:agenda_month", args=[2030, 7]) in html
    assert signed_in(personas["professional"]).get("/agenda/maand/2030/13/").status_code == 404


def test_journey_agenda_tab_shows_upcoming_and_past_events(personas, make_journey):
    journey = make_journey()
    plan(personas, journey, title="Komende sessie")
    past_start = timezone.now() - timedelta(days=5)
    plan(
        personas,
        journey,
        title="Vorige sessie",
        starts_at=past_start,
        ends_at=past_start + timedelta(hours=1),
    )

    html = (
        signed_in(personas["inwoner"])
        .get(reverse("community:journey_agenda", args=[journey.slug]))
        .content.decode()
    )

    assert "Komende sessie" in html and "Vorige sessie" in html
    assert html.index("Komende sessie") < html.index("Vorige sessie")
    tab = reverse("community:journey_agenda", args=[journey.slug])
    assert f'journey-tabs__link" href="{tab}" aria-current="page"' in html


def test_dashboard_agenda_panel_shows_the_next_three_events(personas, make_journey):
    journey = make_journey()
    for n in range(4):
        start = timezone.now() + timedelta(days=n + 1)
        plan(
            personas,
            journey,
            title=f"Sessie {n + 1}",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )

    html = signed_in(personas["professional"]).get(journey.get_absolute_url()).content.decode()

    panel = html.split('id="paneel-agenda"')[1].split("</section>")[0]
    assert "Sessie 1" in panel and "Sessie 3" in panel and "Sessie 4" not in panel


# --- Besloten journeys -------------------------------------------------------------------


def test_besloten_journey_events_do_not_exist_for_non_members(personas, make_journey):
    journey = make_journey("Geheime reis", visibility=Visibility.BESLOTEN)
    start = datetime(2030, 6, 13, 19, 30, tzinfo=AMSTERDAM)
    event = plan(
        personas,
        journey,
        title="Besloten overleg",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    outsider = signed_in(personas["onderzoeker"])
    member = signed_in(personas["inwoner"])
    urls = [
        event_page(event),
        reverse("community:event_edit", args=[event.pk]),
        reverse("community:journey_agenda", args=[journey.slug]),
        reverse("community:journey_event_new", args=[journey.slug]),
    ]

    for url in urls:
        assert outsider.get(url).status_code == 404, url
        assert Client().get(url).status_code == 404, url
    for post_url in ("event_register", "event_report", "event_cancel"):
        url = reverse(f"community:{post_url}", args=[event.pk])
        assert outsider.post(url, {"status": "aanwezig"}).status_code == 404, url
    assert not event.registrations.exists()
    for client in (outsider, Client()):
        assert "Besloten overleg" not in client.get(reverse("community:agenda")).content.decode()
        month = client.get(reverse("community:agenda_month", args=[2030, 6])).content.decode()
        assert "Besloten overleg" not in month
    # Members do see it.
    assert member.get(event_page(event)).status_code == 200
    assert "Besloten overleg" in member.get(reverse("community:agenda")).content.decode()


# --- The online link ----------------------------------------------------------------------


def test_online_link_never_reaches_visitors_non_registered_or_those_who_declined(
    personas, make_journey
):
    journey = make_journey(visibility=Visibility.OPENBAAR)
    event = plan(personas, journey)
    events.register(personas["opdrachtgever"], event, Status.AFWEZIG)
    events.register(personas["professional"], event, Status.AANWEZIG)
    url = event_page(event)

    for client in (
        Client(),
        signed_in(personas["onderzoeker"]),  # not a member
        signed_in(personas["inwoner"]),  # member, not registered
        signed_in(personas["opdrachtgever"]),  # declined
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert LINK not in response.content.decode()
    for user in ("professional", "reisbegeleider"):
        assert LINK in signed_in(personas[user]).get(url).content.decode(), user
    for listing in (
        reverse("community:agenda"),
        reverse("community:journey_agenda", args=[journey.slug]),
    ):
        assert LINK not in signed_in(personas["professional"]).get(listing).content.decode()


def test_people_on_the_waiting_list_do_not_get_the_link(personas, make_journey):
    event = plan(personas, make_journey(), capacity=1)
    events.register(personas["professional"], event, Status.AANWEZIG)
    events.register(personas["inwoner"], event, Status.AANWEZIG)

    assert LINK not in signed_in(personas["inwoner"]).get(event_page(event)).content.decode()


# --- Registering --------------------------------------------------------------------------


def test_registering_through_the_form_and_the_waiting_list_with_its_position(
    personas, make_journey
):
    event = plan(personas, make_journey(), capacity=1)
    url = reverse("community:event_register", args=[event.pk])

    first = signed_in(personas["professional"])
    assert first.post(url, {"status": "aanwezig"}).status_code == 302
    second = signed_in(personas["inwoner"])
    assert second.post(url, {"status": "aanwezig"}).status_code == 302
    third = signed_in(personas["opdrachtgever"])
    third.post(url, {"status": "aanwezig"})

    assert event.registrations.get(user=personas["professional"]).status == Status.AANWEZIG
    assert event.registrations.get(user=personas["inwoner"]).status == Status.WACHTLIJST
    page = first.get(event_page(event)).content.decode()
    assert LINK in page and re.search(r'value="aanwezig"[^>]*checked', page)
    waiting = third.get(event_page(event)).content.decode()
    assert "2" in waiting.split('class="utrecht-paragraph events-status"')[1].split("</p>")[0]
    assert LINK not in waiting
    # The first one declines: the waiting list moves up.
    first.post(url, {"status": "afwezig"})
    assert event.registrations.get(user=personas["inwoner"]).status == Status.AANWEZIG
    assert LINK in second.get(event_page(event)).content.decode()


def test_non_members_cannot_register_for_a_journey_event(personas, make_journey):
    event = plan(personas, make_journey(visibility=Visibility.OPENBAAR))
    url = reverse("community:event_register", args=[event.pk])

    assert signed_in(personas["onderzoeker"]).post(url, {"status": "aanwezig"}).status_code == 403
    assert Client().post(url, {"status": "aanwezig"}).status_code == 302  # sign in first
    assert not event.registrations.exists()


def test_registration_after_the_deadline_is_refused_with_a_message(personas, make_journey):
    event = plan(personas, make_journey())
    Event.objects.filter(pk=event.pk).update(
        registration_deadline=timezone.now() - timedelta(hours=1)
    )
    client = signed_in(personas["professional"])

    response = client.post(
        reverse("community:event_register", args=[event.pk]), {"status": "aanwezig"}
    )

    assert response.status_code == 400
    assert escape(nl("Registration for this event has closed.")) in response.content.decode()
    assert not event.registrations.exists()


def test_a_bad_registration_choice_is_a_400(personas, make_journey):
    event = plan(personas, make_journey())
    response = signed_in(personas["professional"]).post(
        reverse("community:event_register", args=[event.pk]), {"status": "wachtlijst"}
    )
    assert response.status_code == 400
    assert not event.registrations.exists()


# --- Nu live and afterwards ----------------------------------------------------------------


def test_an_event_that_is_on_now_shows_the_join_link_to_attendees(personas, make_journey):
    start = timezone.now() - timedelta(minutes=10)
    event = plan(personas, make_journey(), starts_at=start, ends_at=start + timedelta(hours=1))
    events.register(personas["professional"], event, Status.AANWEZIG)

    attendee = signed_in(personas["professional"]).get(event_page(event)).content.decode()
    member = signed_in(personas["inwoner"]).get(event_page(event)).content.decode()

    live = attendee.split('events-live"')[1].split("</div></div>")[0]
    assert escape(nl("Live now:")) in live and f'href="{LINK}"' in live
    assert escape(nl("join in")) in live
    assert "events-live" in member and LINK not in member


def test_verslag_recorded_after_the_end_shows_on_the_page_and_in_the_journey_activity(
    personas, make_journey
):
    journey = make_journey()
    start = timezone.now() - timedelta(days=1)
    event = plan(personas, journey, starts_at=start, ends_at=start + timedelta(hours=2))
    lead = signed_in(personas["reisbegeleider"])
    url = reverse("community:event_report", args=[event.pk])

    assert (
        'name="report"'
        not in signed_in(personas["professional"]).get(event_page(event)).content.decode()
    )
    assert signed_in(personas["professional"]).post(url, {"report": "x"}).status_code == 403
    response = lead.post(url, {"report": "We spraken over de foto.", "attendance": "14"})

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.report, event.attendance) == ("We spraken over de foto.", 14)
    page = signed_in(personas["inwoner"]).get(event_page(event)).content.decode()
    assert "We spraken over de foto." in page and "14" in page
    entry = AuditEntry.objects.get(action="event.report_recorded")
    activity = lead.get(reverse("journeys:activity", args=[journey.slug])).content.decode()
    assert escape(journey_activity.describe(entry)) in activity
    assert entry in journey_activity.entries_for(journey)


def test_the_verslag_waits_until_the_event_is_over(personas, make_journey):
    event = plan(personas, make_journey())
    response = signed_in(personas["reisbegeleider"]).post(
        reverse("community:event_report", args=[event.pk]),
        {"report": "Te vroeg", "attendance": "3"},
    )
    assert response.status_code == 400
    event.refresh_from_db()
    assert event.report == "" and event.attendance is None


def test_organisers_cancel_an_event(personas, make_journey):
    event = plan(personas, make_journey())
    url = reverse("community:event_cancel", args=[event.pk])
    assert signed_in(personas["professional"]).post(url).status_code == 403
    assert signed_in(personas["reisbegeleider"]).post(url).status_code == 302
    event.refresh_from_db()
    assert event.cancelled_at is not None
    response = signed_in(personas["professional"]).post(
        reverse("community:event_register", args=[event.pk]), {"status": "aanwezig"}
    )
    assert response.status_code == 400 and not event.registrations.exists()


# --- Planning and changing ------------------------------------------------------------------


def test_reisbegeleider_plans_a_journey_event_in_amsterdam_time(personas, make_journey):
    journey = make_journey()
    url = reverse("community:journey_event_new", args=[journey.slug])
    lead = signed_in(personas["reisbegeleider"])
    assert lead.get(url).status_code == 200

    response = lead.post(url, form_data())

    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event_page(event)
    assert event.journey == journey
    assert event.starts_at == datetime(2030, 6, 13, 17, 30, tzinfo=ZoneInfo("UTC"))
    edit = lead.get(reverse("community:event_edit", args=[event.pk])).content.decode()
    assert 'value="2030-06-13T19:30"' in edit


def test_a_repeat_creates_a_series(personas, make_journey):
    journey = make_journey()
    response = signed_in(personas["reisbegeleider"]).post(
        reverse("community:journey_event_new", args=[journey.slug]),
        form_data(repeat="weekly", repeat_count="3"),
    )
    assert response.status_code == 302
    series = EventSeries.objects.get()
    assert series.events.count() == 3


def test_only_the_reisbegeleider_plans_journey_events_and_moderators_network_events(
    personas, make_journey
):
    journey = make_journey()
    journey_url = reverse("community:journey_event_new", args=[journey.slug])
    network_url = reverse("community:event_new")

    assert signed_in(personas["professional"]).get(journey_url).status_code == 403
    assert signed_in(personas["professional"]).post(journey_url, form_data()).status_code == 403
    assert signed_in(personas["professional"]).get(network_url).status_code == 403
    assert Client().get(network_url).status_code == 302
    assert not Event.objects.exists()
    staff = signed_in(personas["beheerder"])
    assert staff.get(network_url).status_code == 200
    assert staff.post(network_url, form_data()).status_code == 302
    assert Event.objects.get().journey is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": "2030-06-13T18:00"}, "The end must come after the start."),
        (
            {"online_url": "meet.example.org/zonder-https"},
            "The online meeting link must be a full https:// address.",
        ),
        (
            {"registration_deadline": "2030-06-14T10:00"},
            "Registration must close before the event starts.",
        ),
        ({"repeat": "weekly", "repeat_count": "99"}, "A series has between 2 and 52 meetings."),
    ],
)
def test_bad_input_when_planning_shows_a_message_and_stores_nothing(
    personas, make_journey, changes, message
):
    journey = make_journey()
    response = signed_in(personas["reisbegeleider"]).post(
        reverse("community:journey_event_new", args=[journey.slug]), form_data(**changes)
    )
    assert response.status_code == 400
    assert escape(nl(message)) in response.content.decode()
    assert not Event.objects.exists() and not EventSeries.objects.exists()


def test_editing_changes_the_event_and_refuses_a_capacity_below_those_registered(
    personas, make_journey
):
    event = plan(personas, make_journey(), capacity=5)
    events.register(personas["professional"], event, Status.AANWEZIG)
    events.register(personas["inwoner"], event, Status.AANWEZIG)
    url = reverse("community:event_edit", args=[event.pk])
    lead = signed_in(personas["reisbegeleider"])

    assert signed_in(personas["professional"]).get(url).status_code == 403
    refused = lead.post(url, form_data(capacity="1"))
    assert refused.status_code == 400
    assert "2" in refused.content.decode().split("utrecht-alert--error")[1].split("</div>")[0]
    event.refresh_from_db()
    assert event.capacity == 5 and event.title == "Leerbijeenkomst eenzaamheid"
    bad_link = lead.post(url, form_data(online_url="javascript:alert(1)"))
    assert bad_link.status_code == 400
    event.refresh_from_db()
    assert event.online_url == LINK

    assert lead.post(url, form_data(capacity="3")).status_code == 302
    event.refresh_from_db()
    assert (event.title, event.capacity) == ("Werksessie", 3)


def test_a_malformed_date_is_a_form_error(personas, make_journey):
    journey = make_journey()
    response = signed_in(personas["reisbegeleider"]).post(
        reverse("community:journey_event_new", args=[journey.slug]),
        form_data(starts_at="morgen om acht"),
    )
    assert response.status_code == 400
    assert not Event.objects.exists()


# --- Query counts ---------------------------------------------------------------------------
#
# Counted after one warm-up request (the header's small caches), with a small and a large
# data set; the counts must be equal.


def count_queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _members(make_member, n: int, offset: int = 0):
    return [make_member(f"lid{offset + i}@example.org") for i in range(n)]


def test_agenda_query_count_is_the_same_for_3_and_30_events(personas, make_journey, make_member):
    journey = make_journey()
    other = make_journey("Tweede reis")
    client = signed_in(personas["professional"])
    url = reverse("community:agenda")

    def grow(to: int) -> None:
        while Event.objects.count() < to:
            n = Event.objects.count()
            event = plan(
                personas,
                journey if n % 2 else other,
                title=f"Sessie {n}",
                starts_at=timezone.now() + timedelta(days=n + 1),
                ends_at=timezone.now() + timedelta(days=n + 1, hours=1),
            )
            events.register(personas["professional"], event, Status.AANWEZIG)

    grow(3)
    small = count_queries(client, url)
    grow(30)
    assert count_queries(client, url) == small
    assert count_queries(client, reverse("community:journey_agenda", args=[journey.slug])) == (
        count_queries(client, reverse("community:journey_agenda", args=[other.slug]))
    )


def test_event_page_query_count_is_the_same_for_3_and_30_registrations(
    personas, make_journey, make_member
):
    event = events.create_event(personas["beheerder"], details(capacity=10))
    client = signed_in(personas["professional"])
    events.register(personas["professional"], event, Status.AANWEZIG)
    url = event_page(event)
    for member in _members(make_member, 2):
        events.register(member, event, Status.AANWEZIG)
    small = count_queries(client, url)

    for member in _members(make_member, 27, offset=2):
        events.register(member, event, Status.AANWEZIG)
    assert event.registrations.count() == 30
    assert event.registrations.filter(status=Status.WACHTLIJST).count() == 20
    assert count_queries(client, url) == small


def test_the_programme_is_written_one_item_per_line_and_shown_in_order(personas, make_journey):
    journey = make_journey()
    lead = signed_in(personas["reisbegeleider"])
    lead.post(
        reverse("community:journey_event_new", args=[journey.slug]),
        form_data(
            programme="Welkom en kennismaking | 15\n\nWat zagen we in de wijk? | 45\nAfspraken"
        ),
    )
    event = Event.objects.get()
    assert list(event.agenda_items.values_list("title", "minutes")) == [
        ("Welkom en kennismaking", 15),
        ("Wat zagen we in de wijk?", 45),
        ("Afspraken", None),
    ]
    html = lead.get(event_page(event)).content.decode()
    assert html.index("Welkom en kennismaking") < html.index("Afspraken")

    response = lead.post(
        reverse("community:event_edit", args=[event.pk]),
        form_data(programme="Welkom | twintig"),
    )
    assert response.status_code == 400
    assert event.agenda_items.count() == 3
