"""Live figures for the home page, counted over what the visitor may see."""

from __future__ import annotations

from journeys.models import Journey
from journeys.queries import visible_to


def live_figures(user) -> dict[str, int]:
    journeys = visible_to(user)
    return {
        "journeys": journeys.count(),
        "exploring": journeys.filter(phase=Journey.Phase.VERKENNEN).count(),
    }
