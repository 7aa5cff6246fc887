"""The leervragen panel on a journey's dashboard (journeys/panels.py): the open questions
in the reisbegeleider's order, for whoever may see the journey. Registered by
`register()` when the learning app is ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from journeys import panels
from learning.leervragen.board import CARD_ORDER
from learning.leervragen.queries import CONTRIBUTING_ROLES
from learning.models import LearningQuestion

SHOWN = 5
Status = LearningQuestion.Status


def questions_panel(request, journey, access) -> dict | None:
    # The dashboard is only shown to who may see the journey, and so its questions.
    questions = list(
        journey.learning_questions.exclude(status=Status.AFGESLOTEN).order_by(*CARD_ORDER)[
            : SHOWN + 1
        ]
    )
    return {
        "journey": journey,
        "questions": questions[:SHOWN],
        "more": len(questions) > SHOWN,
        "can_raise": access.role in CONTRIBUTING_ROLES,
    }


def register() -> None:
    panels.register(
        panels.DashboardPanel(
            "leervragen",
            _("Learning questions"),
            "learning/leervragen/panel.html",
            questions_panel,
            order=40,
        )
    )
