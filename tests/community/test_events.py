"""Live events at the service level: time zones, capacity and the waiting list, series,
deadlines, who may see the online link, and bad input that changes nothing."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.utils import timezone

from community.models import Event, Registration
from community.queries.events import may_see_online_link, visible_events
from community.services import events
from community.services.events import EventDetails
from journeys.models import Journey
from journeys.services import RuleViolation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
Status = Registration.Status


def _details(**changes) -> EventDetails:
    start = timezone.now() + timedelta(days=10)
    fields = {
        "title": "Leerbijeenkomst",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "form": Event.Form.HYBRIDE,
        "address": "Wijkcentrum De Linde, Lindendal",
        "online_url": "https://meet.example.org/leerbijeenkomst",
        "capacity": 2,
    }
    fields.update(changes)
    return EventDetails(**fields)


@pytest.fixture
def journey(make_journey):
    return make_journey(visibility=Journey.Visibility.BESLOTEN)


@pytest.fixture
def event(journey, reisbegeleider):
    return events.create_event(reisbegeleider, _details(), journey=journey)


@pytest.mark.django_db
def test_a_weekly_series_keeps_its_local_time_across_the_change_to_winter_time(
    reisbegeleider, journey
):
    # 19:30 in Amsterdam on 15 October 2026 (summer time); clocks go back on 25 October.
    start = datetime(2026, 10, 15, 19, 30, tzinfo=AMSTERDAM)
    details = _details(starts_at=start, ends_at=start + timedelta(hours=1, minutes=30))
    details.starts_at = start
    series = events.create_series(
        reisbegeleider, details, frequency="weekly", count=3, journey=journey
    )

    occurrences = list(series.events.order_by("starts_at"))
    local = [e.starts_at.astimezone(AMSTERDAM) for e in occurrences]
    assert [(t.day, t.hour, t.minute) for t in local] == [(15, 19, 30), (22, 19, 30), (29, 19, 30)]
    assert [e.starts_at.utcoffset() for e in occurrences] == [timedelta(0)] * 3
    assert [t.utcoffset() for t in local] == [
        timedelta(hours=2),
        timedelta(hours=2),
        timedelta(hours=1),
    ]


@pytest.mark.django_db
def test_each_occurrence_of_a_series_has_its_own_registrations(
    reisbegeleider, professional, journey
):
    series = events.create_series(
        reisbegeleider, _details(), frequency="fortnightly", count=2, journey=journey
    )
    first, second = series.events.order_by("starts_at")
    events.register(professional, first, Status.AANWEZIG)
    assert first.registrations.count() == 1 and second.registrations.count() == 0


@pytest.mark.django_db
def test_a_full_event_puts_people_on_the_waiting_list_which_moves_up_and_says_so(
    event, professional, opdrachtgever, inwoner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events.register(professional, event, Status.AANWEZIG)
        events.register(opdrachtgever, event, Status.AANWEZIG)
        third = events.register(inwoner, event, Status.AANWEZIG)
    assert third.status == Status.WACHTLIJST
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        events.cancel_registration(professional, event)

    third.refresh_from_db()
    assert third.status == Status.AANWEZIG
    assert [m.to for m in mail.outbox] == [[inwoner.email]]
    assert "Europe/Amsterdam" in mail.outbox[0].body


@pytest.mark.django_db
def test_confirmation_mail_states_date_time_zone_and_place_and_the_link_for_attendees(
    event, professional, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events.register(professional, event, Status.AANWEZIG)
    body = mail.outbox[0].body
    local = event.starts_at.astimezone(AMSTERDAM)
    assert local.strftime("%H:%M") in body and "Europe/Amsterdam" in body
    assert "Wijkcentrum De Linde" in body and event.online_url in body


@pytest.mark.django_db
def test_registering_after_the_deadline_is_refused(reisbegeleider, professional, journey):
    event = events.create_event(
        reisbegeleider,
        _details(registration_deadline=timezone.now() + timedelta(days=1)),
        journey=journey,
    )
    Event.objects.filter(pk=event.pk).update(
        registration_deadline=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(RuleViolation):
        events.register(professional, event, Status.AANWEZIG)
    assert not event.registrations.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"ends_at": timezone.now() + timedelta(days=9)},  # before the start
        {"online_url": "javascript:alert(1)"},
        {"online_url": "meet.example.org"},
        {"address": ""},
        {"capacity": 0},
        {"title": "   "},
    ],
)
def test_bad_event_details_are_refused_and_nothing_is_made(reisbegeleider, journey, changes):
    with pytest.raises(RuleViolation):
        events.create_event(reisbegeleider, _details(**changes), journey=journey)
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_capacity_cannot_drop_below_the_number_registered(
    event, reisbegeleider, professional, opdrachtgever
):
    events.register(professional, event, Status.AANWEZIG)
    events.register(opdrachtgever, event, Status.AANWEZIG)
    with pytest.raises(RuleViolation):
        events.update_event(
            reisbegeleider,
            event,
            _details(capacity=1, starts_at=event.starts_at, ends_at=event.ends_at),
        )
    event.refresh_from_db()
    assert event.capacity == 2


@pytest.mark.django_db
def test_raising_the_capacity_lets_the_waiting_list_in(
    event, reisbegeleider, professional, opdrachtgever, inwoner
):
    for person in (professional, opdrachtgever, inwoner):
        events.register(person, event, Status.AANWEZIG)
    events.update_event(
        reisbegeleider,
        event,
        _details(capacity=3, starts_at=event.starts_at, ends_at=event.ends_at),
    )
    assert Registration.objects.get(event=event, user=inwoner).status == Status.AANWEZIG


@pytest.mark.django_db
def test_a_closed_journeys_events_reach_members_only(event, trainer, professional):
    assert event not in visible_events(trainer)
    assert event in visible_events(professional)
    with pytest.raises(PermissionDenied):
        events.register(trainer, event, Status.AANWEZIG)
    assert not event.registrations.exists()


@pytest.mark.django_db
def test_only_attendees_and_organisers_see_the_online_link(
    event, reisbegeleider, professional, opdrachtgever, inwoner
):
    events.register(professional, event, Status.AANWEZIG)
    events.register(opdrachtgever, event, Status.AFWEZIG)
    assert may_see_online_link(reisbegeleider, event)
    assert may_see_online_link(professional, event)
    assert not may_see_online_link(opdrachtgever, event)
    assert not may_see_online_link(inwoner, event)


@pytest.mark.django_db
def test_only_the_reisbegeleider_plans_a_journeys_events(journey, professional):
    with pytest.raises(PermissionDenied):
        events.create_event(professional, _details(), journey=journey)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_racing_for_the_last_place_one_gets_it_the_other_waits(
    make_journey, reisbegeleider, professional, opdrachtgever
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises all writers anyway")
    journey = make_journey()
    event = events.create_event(reisbegeleider, _details(capacity=1), journey=journey)
    barrier = threading.Barrier(2)
    outcome = {}

    def claim(person):
        try:
            barrier.wait()
            outcome[person.pk] = events.register(person, event, Status.AANWEZIG).status
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(p,)) for p in (professional, opdrachtgever)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcome.values()) == [Status.AANWEZIG, Status.WACHTLIJST]
    assert event.registrations.filter(status=Status.AANWEZIG).count() == 1
