"""The boards' panel on a journey's dashboard (journeys/panels.py): the boards that are
open now and the latest others, for whoever may see the journey's boards, in one query."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from community.models import Board
from community.queries.boards import boards_of, journey_board_access
from journeys import panels

SHOWN = 3


def boards_panel(request, journey, access) -> dict | None:
    board_access = journey_board_access(request.user, journey, access)
    if not board_access.can_see:
        return None
    open_first = Case(
        When(state=Board.State.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    boards = list(
        boards_of(request.user, journey, board_access).order_by(open_first, "-created_at", "-pk")[
            :SHOWN
        ]
    )
    return {
        "journey": journey,
        "boards": boards,
        "boards_url": reverse("community:journey_boards", args=[journey.slug]),
        "may_create": board_access.can_facilitate,
        "new_url": reverse("community:board_new", args=[journey.slug]),
    }


def register() -> None:
    panels.register(
        panels.DashboardPanel(
            "boards", _("Boards"), "community/boards/panel.html", boards_panel, order=30
        )
    )
