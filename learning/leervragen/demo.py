"""Demo leervragen for `manage.py seed_demo`: questions in every state, with answers and
a duiding, on the three demo journeys and network-wide, built through the services by
the personas. Written in the project's own words.

Idempotent: a question whose words already exist in its journey (or network-wide) is
left as it is, so a second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import IO

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from community.demo import PERSONAS
from community.models import Event, User
from journeys.demo import LONELINESS_SLUG, NEIGHBOURHOOD_SLUG, POVERTY_SLUG
from journeys.models import Journey
from learning.leervragen import services
from learning.leervragen.services import Plan
from learning.models import LearningQuestion, WorkingElementPage

Status = LearningQuestion.Status
NETWORK = ""  # the key of network-wide questions


@dataclass(frozen=True)
class Answer:
    text: str
    confidence: str
    sources: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Duiding:
    text: str
    days_ago: int
    participants: str


@dataclass(frozen=True)
class DemoQuestion:
    key: str  # to link follow-ups
    journey: str  # a demo journey's slug, or NETWORK
    raiser: str  # a persona's role
    question: str
    context: str
    themes: tuple[str, ...]
    state: str
    voters: tuple[str, ...] = ()
    owner: str = "onderzoeker"
    helpers: tuple[str, ...] = ()
    approaches: tuple[str, ...] = ()
    due_in_days: int = 42
    answer: Answer | None = None
    duiding: Duiding | None = None
    parked_from: str = ""
    park_note: str = ""
    follows_up: str = ""
    event: str = ""  # the title of the meeting where it came up
    elements: tuple[str, ...] = ()  # werkzame elementen by slug
    comments: tuple[tuple[str, str], ...] = field(default_factory=tuple)


QUESTIONS = (
    # --- Armoede-interventies die werken (netwerk, scenario impact deep diving) ------------
    DemoQuestion(
        key="energietoeslag",
        journey=POVERTY_SLUG,
        raiser="opdrachtgever",
        question="Bereikte de energietoeslag de huishoudens die hem het hardst nodig hadden?",
        context=(
            "De raden willen weten of de toeslag terechtkwam waar de nood het grootst was, "
            "voordat er opnieuw geld voor wordt vrijgemaakt."
        ),
        themes=("armoede", "bestaanszekerheid"),
        state=Status.AFGESLOTEN,
        voters=("reisbegeleider", "professional", "inwoner"),
        approaches=("data_analyse",),
        answer=Answer(
            text=(
                "Ongeveer zeven op de tien huishoudens met een inkomen rond het sociaal "
                "minimum kregen de toeslag. Wie al een uitkering had, kreeg hem vrijwel "
                "automatisch; werkenden met een laag inkomen en huishoudens met een eigen huis "
                "vroegen hem veel minder vaak aan."
            ),
            confidence="midden",
            sources=(
                ("Koppeling aanvragen en inkomensgegevens, drie gemeenten", ""),
                ("Notitie bereik minimaregelingen", "https://example.org/bereik-minimaregelingen"),
            ),
        ),
        duiding=Duiding(
            text=(
                "Het bereik via de uitkering werkt; de groep die we missen zijn werkende "
                "huishoudens. Voor de tweede ronde zoeken we ze actief op via werkgevers en de "
                "woningcorporatie, en we vragen niet opnieuw om bewijsstukken die de gemeente "
                "al heeft."
            ),
            days_ago=20,
            participants=(
                "Reisgezelschap tijdens de intervisie, met beleidsadviseurs van de drie gemeenten"
            ),
        ),
        elements=("vroeg-erop-af-bij-betalingsachterstanden",),
    ),
    DemoQuestion(
        key="eigen-huis",
        journey=POVERTY_SLUG,
        raiser="reisbegeleider",
        question="Wat houdt huishoudens met een eigen huis weg bij de regelingen?",
        context="Dit kwam naar boven bij de duiding van de energietoeslag.",
        themes=("armoede", "schulden"),
        state=Status.IN_ONDERZOEK,
        voters=("opdrachtgever", "professional"),
        approaches=("gesprekken_doelgroep", "literatuuronderzoek"),
        helpers=("professional",),
        due_in_days=35,
        follows_up="energietoeslag",
        comments=(
            ("professional", "Ik kan via de buurthuizen vijf mensen vragen voor een gesprek."),
            (
                "reisbegeleider",
                "Fijn! Stem de vragen even af met Omar, dan houden we het vergelijkbaar.",
            ),
        ),
    ),
    DemoQuestion(
        key="vaste-contactpersoon",
        journey=POVERTY_SLUG,
        raiser="professional",
        question="Voorkomt een vaste contactpersoon dat mensen afhaken bij de schuldhulp?",
        context="In de buurthuizen horen we vaak dat mensen afhaken na de tweede doorverwijzing.",
        themes=("schulden", "regie"),
        state=Status.GEDUID,
        voters=("reisbegeleider", "opdrachtgever", "inwoner"),
        approaches=("literatuuronderzoek", "gesprekken_experts"),
        answer=Answer(
            text=(
                "Ja, met een slag om de arm. Onderzoek naar integrale schuldhulp laat minder "
                "uitval zien wanneer één persoon het hele traject volgt. De schuldhulpverleners "
                "die we spraken noemen vooral het vertrouwen: mensen durven eerder te melden dat "
                "er een nieuwe rekening ligt."
            ),
            confidence="midden",
            sources=(
                (
                    "Literatuurscan integrale schuldhulp",
                    "https://example.org/literatuurscan-schuldhulp",
                ),
                ("Gesprekken met vier schuldhulpverleners", ""),
            ),
        ),
        duiding=Duiding(
            text=(
                "We houden het vaste aanspreekpunt vast in de programma-aanpak en meten in de "
                "tweede ronde hoeveel mensen hun traject afmaken. De gemeenten bekijken of de "
                "caseload dat toelaat."
            ),
            days_ago=6,
            participants="Reisgezelschap, twee schuldhulpverleners en een ervaringsdeskundige",
        ),
        elements=("een-vast-aanspreekpunt-voor-het-huishouden",),
    ),
    DemoQuestion(
        key="geldcoach",
        journey=POVERTY_SLUG,
        raiser="opdrachtgever",
        question="Wat levert de inzet van geldcoaches een jaar later nog op?",
        context="De geldcoaches draaien nu een jaar; de subsidie loopt af.",
        themes=("schulden", "vrijwilligers"),
        state=Status.BEANTWOORD,
        voters=("reisbegeleider",),
        owner="professional",
        approaches=("empirisch_onderzoek",),
        answer=Answer(
            text=(
                "Van de 48 deelnemers die we na een jaar konden bellen, hadden er 31 geen nieuwe "
                "achterstanden. Zonder vergelijkingsgroep weten we niet wat er zonder coach "
                "was gebeurd; deelnemers noemen zelf vooral rust en overzicht."
            ),
            confidence="laag",
            sources=(("Belronde onder deelnemers, voorjaar", ""),),
        ),
    ),
    DemoQuestion(
        key="jongeren-schulden",
        journey=POVERTY_SLUG,
        raiser="professional",
        question="Hoe bereiken we jongeren met beginnende schulden voordat het uit de hand loopt?",
        context="Jongeren komen pas bij ons als er al een deurwaarder is geweest.",
        themes=("schulden", "vroegsignalering", "jongeren"),
        state=Status.GEPRIORITEERD,
        voters=("reisbegeleider", "opdrachtgever", "inwoner"),
    ),
    DemoQuestion(
        key="kleine-kernen",
        journey=POVERTY_SLUG,
        raiser="inwoner",
        question="Werkt vroegsignalering via de woningcorporatie ook in de kleine kernen?",
        context="In de dorpen kent iedereen elkaar; een huisbezoek valt daar meer op.",
        themes=("vroegsignalering",),
        state=Status.INGEDIEND,
        voters=("professional",),
        event="Intervisie vroegsignalering",
    ),
    DemoQuestion(
        key="bijzondere-bijstand",
        journey=POVERTY_SLUG,
        raiser="opdrachtgever",
        question="Kunnen we de aanvraag voor bijzondere bijstand terugbrengen tot één formulier?",
        context="Het formulier is nu elf pagina's.",
        themes=("armoede",),
        state=Status.GEPARKEERD,
        parked_from=Status.GEPRIORITEERD,
        park_note=(
            "We wachten op de landelijke evaluatie van de regeling; daarna pakken we hem weer op."
        ),
    ),
    # --- Samen minder eenzaam (openbaar) -----------------------------------------------------
    DemoQuestion(
        key="koffieochtenden",
        journey=LONELINESS_SLUG,
        raiser="professional",
        question="Welke ouderen komen niet naar de koffieochtenden, en waarom niet?",
        context="Op de koffieochtenden zien we steeds dezelfde gezichten.",
        themes=("eenzaamheid", "ontmoeting"),
        state=Status.IN_ONDERZOEK,
        voters=("reisbegeleider", "opdrachtgever", "inwoner"),
        approaches=("gesprekken_doelgroep",),
        helpers=("professional",),
        due_in_days=10,
        event="Terugblik: wat zagen we bij de keukentafelgesprekken?",
    ),
    DemoQuestion(
        key="maatje",
        journey=LONELINESS_SLUG,
        raiser="opdrachtgever",
        question=(
            "Helpt een vast maatje beter dan een groepsactiviteit wie net alleen is komen te staan?"
        ),
        context="",
        themes=("eenzaamheid", "rouw", "vrijwilligers"),
        state=Status.INGEDIEND,
        voters=("professional", "onderzoeker"),
    ),
    # --- Werk en meedoen in de Kruidenbuurt (besloten) ---------------------------------------
    DemoQuestion(
        key="stap-naar-werk",
        journey=NEIGHBOURHOOD_SLUG,
        raiser="professional",
        question=(
            "Wat hebben deelnemers van het wijkbedrijf nodig om de stap naar betaald werk "
            "te zetten?"
        ),
        context=(
            "Veel deelnemers doen het goed in het wijkbedrijf, maar durven de overstap niet aan."
        ),
        themes=("werk", "leren en werken"),
        state=Status.GEPRIORITEERD,
        voters=("inwoner", "opdrachtgever"),
    ),
    DemoQuestion(
        key="doorstroom",
        journey=NEIGHBOURHOOD_SLUG,
        raiser="opdrachtgever",
        question="Hoeveel deelnemers stromen binnen een jaar door naar werk of een opleiding?",
        context="",
        themes=("werk", "participatie"),
        state=Status.BEANTWOORD,
        owner="professional",
        approaches=("data_analyse",),
        answer=Answer(
            text=(
                "Van de 26 deelnemers van vorig jaar werken er nu vier betaald en volgen er drie "
                "een opleiding. De meesten blijven in het wijkbedrijf, vaak met meer uren."
            ),
            confidence="hoog",
            sources=(("Deelnemersregistratie wijkbedrijf", ""),),
        ),
        elements=("leren-op-de-werkvloer-met-een-vaste-begeleider",),
    ),
    # --- Network-wide ------------------------------------------------------------------------
    DemoQuestion(
        key="zonder-controlegroep",
        journey=NETWORK,
        raiser="reisbegeleider",
        question="Hoe laat je de impact van preventief werk zien zonder controlegroep?",
        context="Deze vraag speelt in bijna elke reis van het netwerk.",
        themes=("impact meten",),
        state=Status.GEDUID,
        voters=("opdrachtgever", "professional", "trainer"),
        approaches=("literatuuronderzoek", "gesprekken_experts"),
        answer=Answer(
            text=(
                "Combineer wat je telt met wat je hoort: volg een klein aantal indicatoren over "
                "een langere tijd, vergelijk met vergelijkbare wijken of gemeenten, en verzamel "
                "verhalen van deelnemers die laten zien hoe de verandering tot stand kwam. Zo "
                "maak je aannemelijk wat je niet kunt bewijzen."
            ),
            confidence="midden",
            sources=(
                ("Handreiking contributie-analyse", "https://example.org/contributie-analyse"),
                ("Rondetafel met drie lectoraten", ""),
            ),
        ),
        duiding=Duiding(
            text=(
                "Voor het netwerk betekent dit: elke reis kiest bij (in)richten twee of drie "
                "indicatoren en legt vanaf de start verhalen vast. De werkgroep maakt er een "
                "korte handreiking van voor de kennisbank."
            ),
            days_ago=12,
            participants="Netwerkdag, werkgroep impact meten",
        ),
    ),
    DemoQuestion(
        key="overal-werkzaam",
        journey=NETWORK,
        raiser="professional",
        question="Welke werkzame elementen keren terug bij eenzaamheid én bij armoede?",
        context="",
        themes=("eenzaamheid", "armoede"),
        state=Status.INGEDIEND,
        voters=("opdrachtgever", "inwoner", "onderzoeker"),
    ),
)

FACILITATOR_NETWORK = "beheerder"  # staff move network-wide questions
PATH = [
    Status.INGEDIEND,
    Status.GEPRIORITEERD,
    Status.IN_ONDERZOEK,
    Status.BEANTWOORD,
    Status.GEDUID,
    Status.AFGESLOTEN,
]


def _build(
    people: dict[str, User], demo: DemoQuestion, journey: Journey | None, made: dict
) -> LearningQuestion:
    lead = people[FACILITATOR_NETWORK] if journey is None else people["reisbegeleider"]
    owner = people[demo.owner]
    event = None
    if demo.event:
        event = Event.objects.filter(title=demo.event, journey=journey).first()
    question = services.raise_question(
        people[demo.raiser],
        question=demo.question,
        context=demo.context,
        journey=journey,
        themes=demo.themes,
        event=event,
        follows_up=made.get(demo.follows_up),
    )
    for role in demo.voters:
        services.vote(people[role], question)
    target = demo.parked_from or demo.state
    for step in PATH[1 : PATH.index(target) + 1]:
        if step == Status.GEPRIORITEERD:
            services.move(lead, question, step)
        elif step == Status.IN_ONDERZOEK:
            services.take_ownership(owner, question)
            services.set_plan(
                owner,
                question,
                Plan(
                    approaches=list(demo.approaches),
                    due_date=timezone.localdate() + timedelta(days=demo.due_in_days),
                    helpers=[people[role] for role in demo.helpers if role != demo.owner],
                ),
            )
            services.move(owner, question, step)
        elif step == Status.BEANTWOORD and demo.answer:
            services.save_answer(
                owner,
                question,
                text=demo.answer.text,
                sources=[{"title": t, "url": u} for t, u in demo.answer.sources],
                confidence=demo.answer.confidence,
            )
        elif step == Status.GEDUID and demo.duiding:
            services.save_duiding(
                lead,
                question,
                text=demo.duiding.text,
                on=timezone.localdate() - timedelta(days=demo.duiding.days_ago),
                participants=demo.duiding.participants,
            )
        elif step == Status.AFGESLOTEN:
            services.move(lead, question, step, note="Verwerkt in de programma-aanpak.")
    if demo.state == Status.GEPARKEERD:
        services.move(lead, question, Status.GEPARKEERD, note=demo.park_note)
    if demo.elements:
        elements = list(WorkingElementPage.objects.live().filter(slug__in=demo.elements))
        if elements:
            services.link_evidence(lead, question, working_elements=elements)
    for role, body in demo.comments:
        services.comment(people[role], question, body)
    return question


def seed_leervragen(stdout: IO[str] | None = None) -> int:
    """The demo questions; returns how many it made."""
    people = {p.role: User.objects.filter(email=p.email).first() for p in PERSONAS}
    if any(person is None for person in people.values()):
        return 0
    journeys = {
        journey.slug: journey
        for journey in Journey.objects.filter(
            slug__in=[LONELINESS_SLUG, POVERTY_SLUG, NEIGHBOURHOOD_SLUG]
        )
    }
    created = 0
    made: dict[str, LearningQuestion] = {}
    # The discussion's posts go through the forum, whose flood limit is meant for people
    # typing; it is lifted for this run only, as the forum demo does.
    with override_settings(FORUM_POSTS_PER_MINUTE=10_000), transaction.atomic():
        for demo in QUESTIONS:
            journey = journeys.get(demo.journey) if demo.journey else None
            if demo.journey and journey is None:
                continue  # the demo journey was not built, or was removed
            existing = LearningQuestion.objects.filter(question=demo.question, journey=journey)
            question = existing.first()
            if question is None:
                question = _build(people, demo, journey, made)
                created += 1
            made[demo.key] = question
        # The reisbegeleider's order in the deep-dive journey: the urgent one first.
        if created and "jongeren-schulden" in made:
            services.set_position(people["reisbegeleider"], made["jongeren-schulden"], 1)
    if stdout is not None:
        stdout.write(f"Demo leervragen ready ({created} new): /leervragen/ and the journeys.\n")
    return created
