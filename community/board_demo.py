"""The demo's live board for `seed_demo`: the break-out board of three perspectives
(burgers, professionals, beleidsmakers) against three questions (wat is impact,
verwachtingen, wrijving en dilemma's) in the poverty journey, tied to its first meeting,
open, with cards in the project's own words. Most cards are anonymous, as they were in
the session this board is modelled on; a few carry the name of a demo persona. Built
through the board services, like everything else in the demo.

Idempotent: when the journey already has the board (by title), nothing changes. The
board services send no email.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.test.utils import override_settings

from community.demo import PERSONAS
from community.models import Board, Card, User
from community.services import boards
from journeys.demo import POVERTY_SLUG
from journeys.models import Journey

TITLE = "Break-out: drie perspectieven op impact"
INSTRUCTIONS = (
    "We hebben zojuist de casus over budgetcoaching in de wijk gehoord. Elke groep begint "
    "bij een ander perspectief: burgers, professionals of beleidsmakers. Zet per vraag op "
    "een kaart wat er in jullie gesprek naar boven komt. Een kaart mag anoniem."
)
COLUMNS = ("Burgers", "Professionals", "Beleidsmakers")
ROWS = ("Wat is impact?", "Verwachtingen", "Wrijving en dilemma's")


@dataclass(frozen=True)
class DemoCard:
    column: int  # index in COLUMNS
    row: int  # index in ROWS
    author: str  # a persona's role (community/demo.py)
    text: str
    anonymous: bool = True


# Who writes: the members of the poverty journey who contribute (journeys/demo.py).
CARDS = (
    DemoCard(
        0,
        0,
        "professional",
        "Dat iemand aan de balie de tijd neemt en doorvraagt, voordat er een formulier op "
        "tafel komt.",
    ),
    DemoCard(
        0,
        0,
        "inwoner",
        "Voor mij: 's nachts weer slapen, omdat de brieven van de deurwaarder zijn gestopt.",
        anonymous=False,
    ),
    DemoCard(
        0,
        0,
        "inwoner",
        "Merken dat mijn ervaring telt: dat ze mijn verhaal gebruiken om de regeling "
        "eenvoudiger te maken.",
    ),
    DemoCard(
        0,
        1,
        "opdrachtgever",
        "Veel mensen verwachten weinig meer van de gemeente. Eerst iets laten zien, dan pas "
        "om vertrouwen vragen.",
    ),
    DemoCard(
        0,
        1,
        "inwoner",
        "Duidelijke taal in de brieven, en één vast gezicht in plaats van vijf loketten.",
        anonymous=False,
    ),
    DemoCard(
        0,
        1,
        "professional",
        "Hoop dat de steun niet ophoudt zodra het project klaar is.",
    ),
    DemoCard(
        0,
        2,
        "inwoner",
        "Wie hulp vraagt, moet eerst alles over zichzelf op tafel leggen. Dat voelt als "
        "wantrouwen.",
    ),
    DemoCard(
        0,
        2,
        "reisbegeleider",
        "Meedenken over de aanpak kost tijd, en die heb je niet als je twee baantjes "
        "combineert. Hoe maken we meedoen haalbaar?",
    ),
    DemoCard(
        1,
        0,
        "professional",
        "Als een huishouden zelf weer overzicht heeft: welke rekening eerst, en wie je belt "
        "als het misgaat.",
        anonymous=False,
    ),
    DemoCard(
        1,
        0,
        "professional",
        "Dat een gezin na het eerste gesprek uit zichzelf terugkomt. Dat zegt meer dan een "
        "tevredenheidscijfer.",
    ),
    DemoCard(
        1,
        0,
        "reisbegeleider",
        "Kleine stappen tellen: een betalingsregeling die drie maanden standhoudt is winst.",
    ),
    DemoCard(
        1,
        1,
        "professional",
        "Ruimte om van het protocol af te wijken als een situatie daarom vraagt, zonder eerst "
        "drie handtekeningen te halen.",
    ),
    DemoCard(
        1,
        1,
        "professional",
        "Casussen samen bespreken, over de grenzen van onze organisaties heen.",
        anonymous=False,
    ),
    DemoCard(
        1,
        1,
        "opdrachtgever",
        "De financier vraagt om aantallen, de inwoner om aandacht. Allebei terecht; hoe "
        "geven we beide een plek?",
    ),
    DemoCard(
        1,
        2,
        "professional",
        "Vier organisaties werken met hetzelfde gezin en weten niet wat de ander doet.",
    ),
    DemoCard(
        1,
        2,
        "professional",
        "Verantwoorden kost soms meer uren dan het gesprek met de inwoner zelf.",
    ),
    DemoCard(
        1,
        2,
        "reisbegeleider",
        "Hoe vertel je eerlijk wat níet lukte, als de subsidie volgend jaar weer rond moet?",
    ),
    DemoCard(
        2,
        0,
        "opdrachtgever",
        "Pas echt impact als een verhaal uit de wijk terugkomt in een raadsvoorstel.",
        anonymous=False,
    ),
    DemoCard(
        2,
        0,
        "professional",
        "Dat mensen eerder bij ons aankloppen, voordat een schuld onbeheersbaar is.",
    ),
    DemoCard(
        2,
        1,
        "opdrachtgever",
        "De raad wil weten of het werkt: cijfers én verhalen, en een eerlijk beeld van wat "
        "we nog niet weten.",
    ),
    DemoCard(
        2,
        1,
        "reisbegeleider",
        "Spreek vooraf af welke signalen we samen volgen, dan hoeft niemand achteraf te "
        "zoeken naar bewijs.",
        anonymous=False,
    ),
    DemoCard(
        2,
        1,
        "inwoner",
        "Regels zo maken dat de uitvoering mag afwijken als dat voor een huishouden beter uitpakt.",
    ),
    DemoCard(
        2,
        2,
        "professional",
        "We willen meten wat werkt, maar juist het vertrouwen dat groeit laat zich slecht tellen.",
    ),
    DemoCard(
        2,
        2,
        "reisbegeleider",
        "De regels geven de uitvoering weinig speelruimte, en de ruimte die er wel is "
        "gebruiken we nauwelijks.",
    ),
    DemoCard(
        2,
        2,
        "opdrachtgever",
        "Wie bepaalt eigenlijk wanneer iets een succes is: wij, de uitvoering of de "
        "huishoudens zelf?",
        anonymous=False,
    ),
)

# (role, card number in CARDS, reaction kind)
REACTIONS = (
    ("opdrachtgever", 9, "eens"),
    ("professional", 6, "herkenbaar"),
    ("inwoner", 16, "belangrijk"),
    ("reisbegeleider", 17, "belangrijk"),
    ("professional", 23, "eens"),
    ("inwoner", 14, "herkenbaar"),
    ("reisbegeleider", 24, "eens"),
    ("inwoner", 24, "belangrijk"),
)

# (role, card number, text, anonymous)
COMMENTS = (
    ("professional", 6, "Herkenbaar aan onze kant. Kan de intake korter?", False),
    ("inwoner", 22, "Vraag het de mensen zelf, bijvoorbeeld één keer per kwartaal.", True),
    ("reisbegeleider", 17, "Nemen we mee naar de netwerkdag.", False),
)

HIGHLIGHTED = 24  # the question who decides what success is


def _people() -> dict[str, User]:
    emails = {persona.email: persona.role for persona in PERSONAS}
    return {emails[u.email]: u for u in User.objects.filter(email__in=emails)}


def seed_boards(stdout: IO[str] | None = None) -> int:
    """The three-perspectives board of the poverty journey; returns how many boards it
    made (0 when it exists, or when the journey or its people are missing)."""
    journey = Journey.objects.filter(slug=POVERTY_SLUG).first()
    people = _people()
    needed = {card.author for card in CARDS} | {"reisbegeleider"}
    if journey is None or not needed <= people.keys():
        return 0
    if journey.boards.filter(title=TITLE).exists():
        return 0
    rosa = people["reisbegeleider"]
    # The services allow BOARD_CARDS_PER_MINUTE cards a minute per person against floods;
    # the demo posts all its cards within a second. Lifted for this run only.
    with override_settings(BOARD_CARDS_PER_MINUTE=10_000), transaction.atomic():
        event = journey.events.filter(cancelled_at__isnull=True).order_by("starts_at", "pk").first()
        board = boards.create_board(
            rosa,
            journey,
            boards.BoardDetails(
                title=TITLE,
                instructions=INSTRUCTIONS,
                anonymity=Board.Anonymity.CHOICE,
                event=event,
                columns=list(COLUMNS),
                rows=list(ROWS),
            ),
            template="perspectieven",
        )
        boards.set_state(rosa, board, Board.State.OPEN)
        columns = list(board.columns.all())
        rows = list(board.rows.all())
        posted: list[Card] = []
        for demo in CARDS:
            posted.append(
                boards.post_card(
                    people[demo.author],
                    board,
                    body=demo.text,
                    column_id=columns[demo.column].pk,
                    row_id=rows[demo.row].pk,
                    anonymous=demo.anonymous,
                )
            )
        for role, number, kind in REACTIONS:
            boards.toggle_reaction(people[role], posted[number], kind)
        for role, number, text, anonymous in COMMENTS:
            boards.add_comment(people[role], posted[number], body=text, anonymous=anonymous)
        boards.highlight_card(rosa, posted[HIGHLIGHTED], True)
    if stdout is not None:
        stdout.write(f"Demo board ready: {board.get_absolute_url()} ({len(CARDS)} cards, open).\n")
    return 1
