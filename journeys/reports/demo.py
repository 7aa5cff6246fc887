"""Demo reports, composed through the services from the material the other demo steps
made: the loneliness journey gets a composed foto (still in verkennen); the poverty
journey's reisverslag of cycle 1 is composed, vastgesteld by the opdrachtgever, and so
starts cycle 2 with a programma-aanpak that carries its "vervolg" over.

Runs last in seed_demo; idempotent: a composed report is left as it is.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import IO

from django.db import transaction
from django.utils import timezone

from community.demo import PERSONAS
from community.models import Event, User
from community.services import events
from community.services.events import EventDetails
from journeys import services
from journeys.demo import LONELINESS_SLUG, POVERTY_SLUG, finish_poverty_cycle
from journeys.models import DataPoint, Journey, PhaseResult, Story
from journeys.reports import material
from journeys.reports import services as reports
from journeys.reports.models import ReportItem

Kind = ReportItem.Kind
ResultKind = PhaseResult.Kind

# Figures the poverty network gathered while doing and learning: the same indicator
# measured again, so the reisverslag shows a line over time.
POVERTY_CYCLE_DATA = [
    ("Gebruik van de meedoenregeling door rechthebbenden", "54.00", "%", date(2025, 1, 31)),
    ("Gebruik van de meedoenregeling door rechthebbenden", "61.00", "%", date(2025, 9, 30)),
    ("Huishoudens met een inkomen tot 120% van het sociaal minimum", "9.40", "%", date(2025, 1, 1)),
]

POVERTY_COMMENTS = {
    Kind.STORY: "Dit verhaal kwam op de netwerkdag steeds terug: eerst de mens, dan de regeling.",
    Kind.INDICATOR: "De stijging zit vooral in de wijken waar de school meedoet.",
    Kind.QUESTION: "Hier hebben we het programma voor de tweede ronde op aangepast.",
    Kind.EVENT: "De bijeenkomst waar de drie gemeenten voor het eerst samen keken.",
    Kind.CARD: "Vaak genoemd op het bord, door inwoners en professionals allebei.",
    Kind.ELEMENT: "Zagen we in alle drie de gemeenten terug.",
}

LONELINESS_COMMENTS = {
    Kind.STORY: "Laat zien dat eenzaamheid niet altijd zichtbaar is aan de buitenkant.",
    Kind.INDICATOR: "Nog maar één meting; de tweede volgt na de zomer.",
    Kind.EVENT: "Hier vertelden ouderen zelf wat hen helpt.",
    Kind.ELEMENT: "Een aanpak die de koffieochtenden al half gebruiken.",
}


def _people() -> dict[str, User]:
    return {persona.role: User.objects.get(email=persona.email) for persona in PERSONAS}


def _add(actor, result, kind: str, key: str, comment: str, section: str = "") -> None:
    reports.add_item(actor, result, kind=kind, key=key, section=section, comment=comment)


def _fitting_stories(journey: Journey, limit: int) -> list[Story]:
    fits = material.STORY_VISIBILITIES_FOR[journey.visibility]
    stories = list(material.stories(journey).filter(visibility__in=fits).order_by("created_at"))
    # One anonymous story among them, when there is one: it must stay anonymous.
    anonymous = [s for s in stories if s.is_anonymous][:1]
    named = [s for s in stories if not s.is_anonymous]
    return (anonymous + named)[:limit]


def _elements(words: tuple[str, ...], limit: int):
    found = []
    for element in material.elements():
        if any(word in element.title.lower() for word in words):
            found.append(element)
    return found[:limit]


def compose_loneliness_foto(people: dict[str, User]) -> bool:
    journey = Journey.objects.filter(slug=LONELINESS_SLUG).first()
    if journey is None:
        return False
    foto = services.result_for(journey, ResultKind.FOTO)
    if foto.items.exists() or foto.status != PhaseResult.Status.CONCEPT:
        return False
    composer = people["onderzoeker"]
    for story in _fitting_stories(journey, 3):
        _add(composer, foto, Kind.STORY, str(story.pk), LONELINESS_COMMENTS[Kind.STORY])
    for name in list(material.indicators.series_for(journey))[:1]:
        _add(composer, foto, Kind.INDICATOR, name, LONELINESS_COMMENTS[Kind.INDICATOR])
    for event in material.events(journey)[:1]:
        _add(
            people["reisbegeleider"],
            foto,
            Kind.EVENT,
            str(event.pk),
            LONELINESS_COMMENTS[Kind.EVENT],
        )
    for element in _elements(("buurtgenoot", "aandacht", "bewegen"), 1):
        _add(composer, foto, Kind.ELEMENT, str(element.pk), LONELINESS_COMMENTS[Kind.ELEMENT])
    return True


POVERTY_MEETING = "Netwerkdag: een jaar vroegsignalering in drie wijken"
POVERTY_MEETING_REPORT = (
    "Achttien mensen uit de drie gemeenten, van de schuldhulp, de scholen en twee "
    "ervaringsdeskundigen. We legden de cijfers naast wat huishoudens vertelden. Het "
    "telefoontje na een signaal werkt vooral als er meteen een bekend gezicht op volgt; "
    "het spreekuur in Vlietmonde stoppen we."
)


def _poverty_meeting(rosa: User, journey: Journey) -> None:
    """A meeting of the network held during doen en leren, with its verslag."""
    if Event.objects.filter(journey=journey, title=POVERTY_MEETING).exists():
        return
    start = timezone.now().replace(hour=13, minute=0, second=0, microsecond=0)
    start -= timedelta(days=40)
    meeting = events.create_event(
        rosa,
        EventDetails(
            title=POVERTY_MEETING,
            description="Terugkijken op het eerste jaar en kiezen wat we doorzetten.",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            form=Event.Form.FYSIEK,
            address="Stadhuis Lindendal",
        ),
        journey=journey,
    )
    events.record_report(rosa, meeting, report=POVERTY_MEETING_REPORT, attendance=18)


def compose_poverty_reisverslag(people: dict[str, User]) -> bool:
    journey = Journey.objects.filter(slug=POVERTY_SLUG).first()
    if journey is None or journey.phase != Journey.Phase.DOEN_EN_LEREN:
        return False
    rosa = people["reisbegeleider"]
    _poverty_meeting(rosa, journey)
    for indicator, value, unit, measured_on in POVERTY_CYCLE_DATA:
        if not DataPoint.objects.filter(
            journey=journey, indicator=indicator, measured_on=measured_on
        ).exists():
            services.add_data_point(
                people["professional"],
                journey,
                lens="data",
                indicator=indicator,
                value=Decimal(value),
                unit=unit,
                source="Uitvoeringscijfers drie gemeenten (demo)",
                measured_on=measured_on,
            )
    verslag = services.result_for(journey, ResultKind.REISVERSLAG)
    if not verslag.items.exists():
        writer = people["professional"]
        for story in _fitting_stories(journey, 3):
            _add(writer, verslag, Kind.STORY, str(story.pk), POVERTY_COMMENTS[Kind.STORY])
        for name in ("Gebruik van de meedoenregeling door rechthebbenden",):
            _add(writer, verslag, Kind.INDICATOR, name, POVERTY_COMMENTS[Kind.INDICATOR])
        for element in _elements(("vroeg erop af", "aanspreekpunt", "ouders steunen"), 2):
            _add(rosa, verslag, Kind.ELEMENT, str(element.pk), POVERTY_COMMENTS[Kind.ELEMENT])
        for question in material.questions(journey)[:2]:
            _add(rosa, verslag, Kind.QUESTION, str(question.pk), POVERTY_COMMENTS[Kind.QUESTION])
        for event in material.events(journey)[:2]:
            _add(rosa, verslag, Kind.EVENT, str(event.pk), POVERTY_COMMENTS[Kind.EVENT])
        for card in material.cards(journey)[:2]:
            _add(rosa, verslag, Kind.CARD, str(card.pk), POVERTY_COMMENTS[Kind.CARD])
    # Vaststellen closes cycle 1 and drafts cycle 2's programma-aanpak.
    finish_poverty_cycle(people)
    return True


def seed_reports(stdout: IO[str] | None = None) -> int:
    people = _people()
    made = 0
    with transaction.atomic():
        made += compose_loneliness_foto(people)
    with transaction.atomic():
        made += compose_poverty_reisverslag(people)
    if stdout is not None:
        stdout.write(f"Demo reports ready ({made} composed).\n")
    return made
