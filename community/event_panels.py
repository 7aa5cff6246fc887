"""The agenda's panel on a journey's dashboard (journeys/panels.py): the journey's next
three events, for whoever may see the journey (its events reach the same people), in
one query."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.queries.events import visible_events
from journeys import panels

NEXT = 3


def agenda_panel(request, journey, access) -> dict | None:
    from community.event_views import decorate

    upcoming = (
        visible_events(request.user)
        .filter(journey=journey, ends_at__gt=timezone.now(), cancelled_at__isnull=True)
        .order_by("starts_at", "pk")[:NEXT]
    )
    return {
        "journey": journey,
        "events": decorate(upcoming),
        "agenda_url": reverse("community:journey_agenda", args=[journey.slug]),
        "may_create": access.can_facilitate,  # may_create_event, without a second query
        "new_url": reverse("community:journey_event_new", args=[journey.slug]),
    }


def register() -> None:
    panels.register(
        panels.DashboardPanel(
            "agenda", _("Agenda"), "community/events/panel.html", agenda_panel, order=20
        )
    )
