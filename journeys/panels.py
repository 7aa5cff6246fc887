"""Panels on a journey's dashboard that other features add: the forum, the agenda, the
boards, the stories and the leervragen each register one when they arrive.

    panels.register(DashboardPanel("forum", _("Forum"), "community/panels/forum.html",
                                   recent_threads, order=10))

The context function gets (request, journey, access) and returns the template's
context, or None to leave the panel out (for example when the user may not see it).
It must read through its own app's permissioned queries, in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import Promise

from journeys.models import Journey
from journeys.queries import Access


@dataclass(frozen=True)
class DashboardPanel:
    key: str
    title: str | Promise
    template: str
    context: Callable[[HttpRequest, Journey, Access], dict | None]
    order: int = 100


_registry: dict[str, DashboardPanel] = {}


def register(panel: DashboardPanel) -> None:
    _registry[panel.key] = panel


def unregister(key: str) -> None:
    _registry.pop(key, None)


def panels_for(request: HttpRequest, journey: Journey, access: Access) -> list[dict]:
    shown = []
    for panel in sorted(_registry.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request, journey, access)
        if context is not None:
            shown.append(
                {
                    "key": panel.key,
                    "title": panel.title,
                    "template": panel.template,
                    "context": context,
                }
            )
    return shown
