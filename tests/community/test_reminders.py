"""Reminder mails a day and an hour before an event: when they are due, who gets them
(attending or maybe; not those who declined, not the waiting list; only while they may
see the event), each person's choice, once only, nothing for cancelled events, and
through the task queue."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from community import reminders
from community.models import Event, Registration
from community.services import events
from community.services.events import EventDetails
from config.settings import components
from journeys.models import Journey, Membership

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
Status = Registration.Status
LINK = "https://meet.example.org/leerbijeenkomst"


def _details(starts_in: timedelta, **changes) -> EventDetails:
    start = timezone.now() + starts_in
    fields = {
        "title": "Leerbijeenkomst",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "form": Event.Form.HYBRIDE,
        "address": "Wijkcentrum De Linde, Lindendal",
        "online_url": LINK,
    }
    fields.update(changes)
    return EventDetails(**fields)


@pytest.fixture
def journey(make_journey):
    return make_journey(visibility=Journey.Visibility.BESLOTEN)


@pytest.fixture
def make_event(journey, reisbegeleider):
    def make(starts_in: timedelta, **changes) -> Event:
        return events.create_event(reisbegeleider, _details(starts_in, **changes), journey=journey)

    return make


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.mark.django_db
def test_day_before_reminder_is_due_within_24_hours_and_not_before(make_event, professional):
    event = make_event(timedelta(hours=25))
    events.register(professional, event, Status.AANWEZIG)

    assert reminders.send_reminders() == 0
    assert reminders.due_reminders(timezone.now() + timedelta(hours=1, minutes=10)) != []

    sent = reminders.send_reminders(timezone.now() + timedelta(hours=2))

    assert sent == 1 and _recipients() == [professional.email]
    registration = event.registrations.get(user=professional)
    assert registration.reminded_day_before_at and not registration.reminded_hour_before_at


@pytest.mark.django_db
def test_hour_before_reminder_follows_within_the_last_hour(make_event, professional):
    event = make_event(timedelta(hours=23))
    events.register(professional, event, Status.AANWEZIG)
    assert reminders.send_reminders() == 1  # the day before
    assert reminders.send_reminders(timezone.now() + timedelta(hours=21)) == 0  # 2 h to go

    assert reminders.send_reminders(timezone.now() + timedelta(hours=22, minutes=10)) == 1

    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("Begint zo")
    registration = event.registrations.get(user=professional)
    assert registration.reminded_hour_before_at


@pytest.mark.django_db
def test_an_event_within_the_hour_gets_only_the_hour_reminder(make_event, professional):
    event = make_event(timedelta(minutes=50))
    events.register(professional, event, Status.AANWEZIG)

    due = reminders.due_reminders(timezone.now())

    assert [d.kind for d in due] == [reminders.HOUR_BEFORE]
    assert reminders.send_reminders() == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_reminders_go_to_attending_and_maybe_not_to_declined_or_the_waiting_list(
    make_event, professional, opdrachtgever, inwoner, reisbegeleider
):
    event = make_event(timedelta(hours=3), capacity=1)
    events.register(professional, event, Status.AANWEZIG)
    events.register(opdrachtgever, event, Status.MISSCHIEN)
    assert events.register(inwoner, event, Status.AANWEZIG).status == Status.WACHTLIJST
    events.register(reisbegeleider, event, Status.AFWEZIG)

    assert reminders.send_reminders() == 2

    assert _recipients() == sorted([professional.email, opdrachtgever.email])


@pytest.mark.django_db
def test_each_person_chooses_which_reminders_they_get(make_event, professional, opdrachtgever):
    event = make_event(timedelta(hours=23))
    events.register(professional, event, Status.AANWEZIG)
    events.register(opdrachtgever, event, Status.AANWEZIG)
    events.set_reminders(professional, day_before=False, hour_before=True)
    events.set_reminders(opdrachtgever, day_before=True, hour_before=False)

    assert reminders.send_reminders() == 1
    assert _recipients() == [opdrachtgever.email]
    mail.outbox.clear()

    assert reminders.send_reminders(timezone.now() + timedelta(hours=22, minutes=30)) == 1
    assert _recipients() == [professional.email]


@pytest.mark.django_db
def test_sending_twice_sends_nothing_new(make_event, professional, opdrachtgever):
    event = make_event(timedelta(hours=5))
    events.register(professional, event, Status.AANWEZIG)
    events.register(opdrachtgever, event, Status.MISSCHIEN)
    now = timezone.now()

    assert reminders.send_reminders(now) == 2
    assert reminders.send_reminders(now) == 0
    assert reminders.send_reminders(now + timedelta(minutes=10)) == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_cancelled_event_sends_no_reminders(make_event, reisbegeleider, professional):
    event = make_event(timedelta(hours=5))
    events.register(professional, event, Status.AANWEZIG)
    events.cancel_event(reisbegeleider, event)

    assert reminders.send_reminders() == 0
    assert reminders.send_reminders(timezone.now() + timedelta(hours=4, minutes=30)) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_no_reminder_for_an_event_the_person_may_no_longer_see(make_event, professional, journey):
    event = make_event(timedelta(hours=5))
    events.register(professional, event, Status.AANWEZIG)
    Membership.objects.filter(journey=journey, user=professional).delete()

    assert reminders.send_reminders() == 0


@pytest.mark.django_db
def test_past_events_get_no_reminder(make_event, professional):
    event = make_event(timedelta(hours=5))
    events.register(professional, event, Status.AANWEZIG)
    assert reminders.send_reminders(timezone.now() + timedelta(hours=6)) == 0


@pytest.mark.django_db
def test_reminder_mail_states_date_time_zone_place_and_the_link_for_attendees(
    make_event, professional, settings, mailoutbox
):
    settings.EMAIL_BACKEND = "community.mail.TaskQueueEmailBackend"  # the platform's own
    event = make_event(timedelta(hours=20))
    events.register(professional, event, Status.AANWEZIG)

    assert reminders.send_reminders() == 1

    (message,) = mailoutbox
    local = event.starts_at.astimezone(AMSTERDAM)
    assert message.to == [professional.email]
    assert "Leerbijeenkomst" in message.subject and "\n" not in message.subject
    assert local.strftime("%H:%M") in message.body and str(local.year) in message.body
    assert "Europe/Amsterdam" in message.body
    assert "Wijkcentrum De Linde" in message.body
    assert LINK in message.body
    assert f"/agenda/{event.pk}/" in message.body


@pytest.mark.django_db
def test_reminder_mails_wait_in_the_task_queue_for_the_worker(make_event, professional, settings):
    from django_tasks_db.models import DBTaskResult

    event = make_event(timedelta(hours=20))
    events.register(professional, event, Status.AANWEZIG)
    settings.EMAIL_BACKEND = "community.mail.TaskQueueEmailBackend"
    settings.TASKS = components.tasks("database")

    assert reminders.send_reminders() == 1

    assert mail.outbox == []
    queued = DBTaskResult.objects.get(task_path="community.tasks.send_email")
    assert queued.args_kwargs["args"][0]["to"] == [professional.email]


@pytest.mark.django_db
def test_the_task_and_the_command_send_the_due_reminders(make_event, professional):
    from community.tasks import send_event_reminders

    first = make_event(timedelta(hours=5))
    events.register(professional, first, Status.AANWEZIG)
    assert send_event_reminders.call() == 1

    second = make_event(timedelta(hours=6))
    events.register(professional, second, Status.MISSCHIEN)
    out = StringIO()
    call_command("send_event_reminders", stdout=out)
    assert "1 reminder(s) sent." in out.getvalue()
    assert len(mail.outbox) == 2
