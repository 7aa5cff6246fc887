"""Live events: a journey's sessions and network-wide meetings, with registrations,
a waiting list, series, agenda items and each member's secret calendar feed.

Times are stored timezone-aware (UTC in the database) and shown in Europe/Amsterdam
with the zone named. Only community/services/events.py writes these; who may see an
event is decided in community/queries/events.py.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class EventSeries(models.Model):
    """A recurring event; each occurrence is an Event with its own registrations."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("every week")
        FORTNIGHTLY = "fortnightly", _("every two weeks")
        MONTHLY = "monthly", _("every four weeks")

    title = models.CharField(_("title"), max_length=200)
    frequency = models.CharField(_("how often"), max_length=20, choices=Frequency.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event series")
        verbose_name_plural = _("event series")

    def __str__(self) -> str:
        return self.title


class Event(index.Indexed, models.Model):
    class Form(models.TextChoices):
        FYSIEK = "fysiek", _("in person")
        ONLINE = "online", _("online")
        HYBRIDE = "hybride", _("hybrid")

    journey = models.ForeignKey(
        "journeys.Journey", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    series = models.ForeignKey(
        EventSeries, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    address = models.CharField(_("address"), max_length=250, blank=True)
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration_deadline = models.DateTimeField(_("register until"), null=True, blank=True)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("organisers"), related_name="organised_events"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    report = models.TextField(_("verslag"), blank=True)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Found by the site search (/zoeken/); who may see a hit is decided by
    # community.queries.events.visible_events after the engine answers.
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("journey_id"),
        index.FilterField("cancelled_at"),
    ]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("item"), max_length=200)
    minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    class Status(models.TextChoices):
        AANWEZIG = "aanwezig", _("attending")
        MISSCHIEN = "misschien", _("maybe")
        AFWEZIG = "afwezig", _("not attending")
        WACHTLIJST = "wachtlijst", _("waiting list")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # The waiting list moves up in the order people joined it.
    waitlisted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    reminded_day_before_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_before_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.status} {self.event}"


def _feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A member's personal calendar subscription: a secret address, revocable."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_feed_token)
    created_at = models.DateTimeField(auto_now=True)
    remind_day_before = models.BooleanField(_("email me a day before"), default=True)
    remind_hour_before = models.BooleanField(_("email me an hour before"), default=True)

    def __str__(self) -> str:
        return f"{self.user}'s calendar"
