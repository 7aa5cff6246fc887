"""Fixtures and helpers shared by the leervragen tests (no tests of its own): questions
built through the services into every state, in a journey or network-wide. Test modules
import the fixtures by their function names (journey_fixture, ...); pytest knows them by
their short names (journey, closed_journey, make_question). make_journey comes from
tests/learning/conftest.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from journeys.models import Journey
from learning.leervragen import services
from learning.leervragen.services import Plan
from learning.models import LearningQuestion
from tests.journeys.conftest import add_member

Status = LearningQuestion.Status
STATES = list(Status.values)
# How a question gets to each state, in order.
PATH = [
    Status.INGEDIEND,
    Status.GEPRIORITEERD,
    Status.IN_ONDERZOEK,
    Status.BEANTWOORD,
    Status.GEDUID,
    Status.AFGESLOTEN,
]


def in_a_month():
    return timezone.localdate() + timedelta(days=30)


def facilitator_of(journey: Journey | None, personas: dict):
    """Who moves a journey's questions as reisbegeleider; network-wide: staff."""
    return personas["reisbegeleider"] if journey is not None else personas["beheerder"]


def build_question(
    personas: dict,
    state: str,
    *,
    journey: Journey | None,
    text: str = "Werkt een vast maatjescontact beter dan groepsactiviteiten?",
    owner=None,
    parked_from: str = Status.GEPRIORITEERD,
    themes=("eenzaamheid",),
) -> LearningQuestion:
    """A question in `state`, made as the platform makes it. Owned by the onderzoeker
    (unless `owner` is given) from in onderzoek on; a parked one was parked from
    `parked_from`."""
    lead = facilitator_of(journey, personas)
    raiser = personas["professional"]
    owner = owner or personas["onderzoeker"]
    question = services.raise_question(
        raiser,
        question=text,
        context="Uit de bijeenkomst van maart.",
        journey=journey,
        themes=themes,
    )
    target = parked_from if state == Status.GEPARKEERD else state
    for step in PATH[1 : PATH.index(target) + 1]:
        if step == Status.GEPRIORITEERD:
            services.move(lead, question, Status.GEPRIORITEERD)
        elif step == Status.IN_ONDERZOEK:
            services.take_ownership(owner, question)
            services.set_plan(
                owner,
                question,
                Plan(approaches=["literatuuronderzoek"], due_date=in_a_month()),
            )
            services.move(owner, question, Status.IN_ONDERZOEK)
        elif step == Status.BEANTWOORD:
            services.save_answer(
                owner,
                question,
                text="Een vast maatje helpt vooral wie weinig netwerk heeft.",
                sources=[{"title": "Literatuurscan", "url": "https://example.org/scan"}],
                confidence="midden",
            )
        elif step == Status.GEDUID:
            services.save_duiding(
                lead,
                question,
                text="We zetten in op maatjes voor wie alleen woont.",
                on=timezone.localdate(),
                participants="Het reisgezelschap",
            )
        elif step == Status.AFGESLOTEN:
            services.move(lead, question, Status.AFGESLOTEN)
    if state == Status.GEPARKEERD:
        services.move(lead, question, Status.GEPARKEERD, note="Eerst de nulmeting afwachten.")
    question.refresh_from_db()
    assert question.status == state
    return question


@pytest.fixture(name="journey")
def journey_fixture(make_journey):
    """A netwerk journey: reisbegeleider, opdrachtgever, professional (reiziger) and
    inwoner (meelezer); the onderzoeker is no member."""
    return make_journey("Samen minder eenzaam", visibility=Journey.Visibility.NETWERK)


@pytest.fixture(name="closed_journey")
def closed_journey_fixture(make_journey, personas):
    """A besloten journey; the onderzoeker reads along as meelezer."""
    closed = make_journey("Werk in de Kruidenbuurt", visibility=Journey.Visibility.BESLOTEN)
    add_member(closed, personas["onderzoeker"], "meelezer")
    return closed


@pytest.fixture(name="make_question")
def make_question_fixture(personas):
    def make(state: str = Status.INGEDIEND, *, journey: Journey | None = None, **kwargs):
        return build_question(personas, state, journey=journey, **kwargs)

    return make
