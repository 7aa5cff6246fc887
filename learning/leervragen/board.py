"""The kanban board: one column per state, the first cards of each column in one query
(a window function numbers the cards per state), however many questions there are.

A card is read as plain values, not as a model instance: the board shows up to 175 cards
and what each shows (the question, its journey, votes, due date and owners) is all it
needs. Two queries: the cards with their column's count, and their owners."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape

from django.db import connection
from django.db.models import Count, F, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from learning.models import LearningQuestion

Status = LearningQuestion.Status

# The columns, in the order of the workflow; parked questions on the far right.
COLUMNS = [
    Status.INGEDIEND,
    Status.GEPRIORITEERD,
    Status.IN_ONDERZOEK,
    Status.BEANTWOORD,
    Status.GEDUID,
    Status.AFGESLOTEN,
    Status.GEPARKEERD,
]
CARDS_PER_COLUMN = 25

# Within a column: the reisbegeleider's order, then votes, oldest first.
CARD_ORDER = [
    F("position").asc(nulls_last=True),
    F("vote_count").desc(),
    F("created_at").asc(),
    F("pk").asc(),
]

CARD_FIELDS = (
    "pk",
    "question",
    "status",
    "parked_from",
    "raised_by_id",
    "journey_id",
    "journey__title",
    "journey__visibility",
    "vote_count",
    "due_date",
)


@dataclass(slots=True)
class Card:
    pk: int
    question: str
    status: str
    parked_from: str
    raised_by_id: int | None
    journey_id: int | None
    journey_title: str | None
    journey_visibility: str | None
    vote_count: int
    due_date: date | None
    owner_ids: set[int] = field(default_factory=set)
    owner_names: list[str] = field(default_factory=list)
    # Set by the view: what the card shows, worked out once per card.
    url: str = ""
    votes: str = ""
    overdue: bool = False
    moves: list[tuple[str, str]] = field(default_factory=list)
    move_url: str = ""


@dataclass
class Column:
    status: str
    label: str
    total: int
    cards: list[Card] = field(default_factory=list)
    cards_html: str = ""  # set by render_cards (a SafeString)

    @property
    def hidden(self) -> int:
        return self.total - len(self.cards)


def display_name(first_name: str, last_name: str, email: str) -> str:
    """community.User.display_name from the values alone."""
    return f"{first_name} {last_name}".strip() or email.split("@", 1)[0]


def columns(filtered: QuerySet[LearningQuestion]) -> list[Column]:
    """`filtered`: the visible questions after the filters, without annotations. Two
    queries: the first cards of every column, each row with its column's true total (a
    window count, taken before the cards are cut off), and the owners of those cards. A
    column without cards has no questions at all, so its total is 0."""
    by_partition = {"partition_by": [F("status")]}
    ranked = filtered.annotate(
        column_rank=Window(RowNumber(), order_by=CARD_ORDER, **by_partition),
        column_total=Window(Count("pk"), **by_partition),
    ).filter(column_rank__lte=CARDS_PER_COLUMN)
    by_status: dict[str, list[Card]] = {status: [] for status in COLUMNS}
    totals: dict[str, int] = {}
    by_pk: dict[int, Card] = {}
    rows = ranked.order_by("status", *CARD_ORDER).values_list(*CARD_FIELDS, "column_total")
    for *values, total in rows:
        card = Card(*values)
        by_status[card.status].append(card)
        totals[card.status] = total
        by_pk[card.pk] = card
    if by_pk:
        shown = list(by_pk)
        if connection.vendor == "postgresql":
            # One array parameter: 175 placeholders cost more to build than the query.
            shown = RawSQL("SELECT unnest(%s::bigint[])", (shown,))
        owners = LearningQuestion.owners.through.objects.filter(learningquestion_id__in=shown)
        for question_id, user_id, first, last, email in owners.order_by(
            "user__first_name", "user__last_name", "user__email"
        ).values_list(
            "learningquestion_id", "user_id", "user__first_name", "user__last_name", "user__email"
        ):
            card = by_pk[question_id]
            card.owner_ids.add(user_id)
            card.owner_names.append(display_name(first, last, email))
    labels = dict(Status.choices)
    return [
        Column(status, str(labels[status]), totals.get(status, 0), by_status[status])
        for status in COLUMNS
    ]


def render_cards(columns: list[Column], *, csrf_token: str, next_path: str) -> None:
    """Sets each column's cards_html: the <li> of each card, as the board template showed
    them one by one. Written out here because a template loop over up to 175 cards (with
    a move form on each for a reisbegeleider) took most of the page's time. Every value
    is escaped (html.escape, as Django's escape); the texts are the template's msgids."""
    network_wide = escape(_("Network-wide"))
    due, overdue = escape(_("due")), escape(_("overdue"))
    overdue = f' <strong class="leervragen-flag leervragen-flag--overdue">{overdue}</strong>'
    owners_label = escape(_("Owners:"))
    form_head = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        f'<input type="hidden" name="next" value="{escape(next_path)}">'
    )
    move_to, move = escape(_("Move to")), escape(_("Move"))
    note, when = escape(_("Note")), escape(_("needed when parking"))
    note = f'{note} <span class="platform-optional">({when})</span>'
    options: dict[tuple, str] = {}
    months: dict[tuple[int, int], str] = {}  # the date filter's "j M Y", by month
    for column in columns:
        out = []
        for card in column.cards:
            pk, question = card.pk, escape(card.question)
            where = escape(card.journey_title) if card.journey_id else network_wide
            meta = [where, f"· {escape(card.votes)}"]
            if (day := card.due_date) is not None:
                month = (day.year, day.month)
                if month not in months:
                    months[month] = escape(date_format(day.replace(day=1), "M Y"))
                flag = overdue if card.overdue else ""
                meta.append(
                    f'· {due} <time datetime="{day.isoformat()}">{day.day} {months[month]}'
                    f"</time>{flag}"
                )
            if card.owner_names:
                meta.append(f"<br>{owners_label} {escape(', '.join(card.owner_names))}")
            out.append(
                f'<li class="leervragen-card" data-question="{pk}">\n'
                f'<p class="utrecht-paragraph leervragen-card__title">'
                f'<a class="utrecht-link" href="{escape(card.url)}">{question}</a></p>\n'
                f'<p class="utrecht-paragraph leervragen-card__meta">\n'
                + "\n".join(meta)
                + "\n</p>\n"
            )
            if card.moves:
                key = tuple(card.moves)
                if key not in options:
                    options[key] = "".join(
                        f'<option value="{escape(value)}">{escape(label)}</option>'
                        for value, label in key
                    )
                out.append(
                    f'<form method="post" action="{escape(card.move_url)}" '
                    f'class="leervragen-move">\n{form_head}\n'
                    f'<label class="utrecht-form-label" for="naar-{pk}">{move_to}'
                    f'<span class="platform-visually-hidden"> · {question}</span></label>\n'
                    f'<select class="utrecht-select utrecht-select--html-select" name="naar" '
                    f'id="naar-{pk}">\n{options[key]}\n</select>\n'
                    f'<label class="utrecht-form-label" for="toelichting-{pk}">{note}</label>\n'
                    f'<input class="utrecht-textbox utrecht-textbox--html-input" type="text" '
                    f'name="toelichting" id="toelichting-{pk}" maxlength="2000">\n'
                    f'<button type="submit" '
                    f'class="utrecht-button utrecht-button--secondary-action">{move}'
                    f'<span class="platform-visually-hidden"> · {question}</span></button>\n'
                    "</form>\n"
                )
            out.append("</li>\n")
        column.cards_html = mark_safe("".join(out))  # noqa: S308 (every value is escaped)
