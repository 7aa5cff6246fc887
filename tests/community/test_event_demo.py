"""The demo's events: past and upcoming, a series, a full meeting with a waiting list."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from community.models import Event, EventSeries, Registration

pytestmark = pytest.mark.django_db


def test_demo_has_past_and_upcoming_events_a_series_and_a_waiting_list(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())

    now = timezone.now()
    assert Event.objects.filter(ends_at__lt=now).exclude(report="").exists()
    assert Event.objects.filter(starts_at__gt=now).count() >= 5
    series = EventSeries.objects.get()
    assert series.events.count() == 4
    full = Event.objects.get(capacity=2)
    assert full.registrations.filter(status=Registration.Status.AANWEZIG).count() == 2
    assert full.registrations.filter(status=Registration.Status.WACHTLIJST).count() == 1
    assert Event.objects.filter(journey__isnull=True).exists()
    titles = set(Event.objects.values_list("title", flat=True))
    assert not [m.subject for m in mailoutbox if any(title in m.subject for title in titles)]


def test_demo_events_are_made_once():
    call_command("seed_demo", stdout=StringIO())
    counts = (Event.objects.count(), Registration.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Event.objects.count(), Registration.objects.count()) == counts
