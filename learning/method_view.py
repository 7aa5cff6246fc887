"""The method page's four phases, each with the journeys the visitor may see in it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from journeys import method
from journeys.models import PHASE_RESULT, Journey, PhaseResult
from journeys.queries import visible_to

SHOWN_PER_PHASE = 10


@dataclass
class PhaseOnPage:
    phase: str
    label: str
    result: str
    text: str
    journeys: list[Journey]
    count: int


def phases_with_journeys(page, user) -> list[PhaseOnPage]:
    """Five queries however many journeys there are: the counts, and the latest few
    journeys of each phase."""
    visible = visible_to(user)
    counts = dict(visible.values_list("phase").annotate(n=Count("pk")).values_list("phase", "n"))
    phases = []
    for phase in method.PHASE_ORDER:
        in_phase = list(
            visible.filter(phase=phase)
            .order_by("-updated_at")
            .only("title", "slug", "phase")[:SHOWN_PER_PHASE]
        )
        phases.append(
            PhaseOnPage(
                phase=phase,
                label=Journey.Phase(phase).label,
                result=PhaseResult.Kind(PHASE_RESULT[phase]).label,
                text=getattr(page, phase),
                journeys=in_phase,
                count=counts.get(phase, 0),
            )
        )
    return phases
