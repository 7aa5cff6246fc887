"""The kanban board: one column per state, the first cards of each column in one query
(a window function numbers the cards per state), however many questions there are."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber

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


@dataclass
class Column:
    status: str
    label: str
    total: int
    cards: list[LearningQuestion] = field(default_factory=list)

    @property
    def hidden(self) -> int:
        return self.total - len(self.cards)


def columns(filtered: QuerySet[LearningQuestion], decorate) -> list[Column]:
    """`filtered`: the visible questions after the filters, without annotations.
    `decorate(queryset)`: adds what a card shows (select/prefetch). Three queries plus
    the decoration's prefetches."""
    totals = dict(filtered.order_by().values_list("status").annotate(n=Count("pk", distinct=True)))
    ranked = filtered.annotate(
        column_rank=Window(RowNumber(), partition_by=[F("status")], order_by=CARD_ORDER)
    ).filter(column_rank__lte=CARDS_PER_COLUMN)
    by_status: dict[str, list[LearningQuestion]] = {status: [] for status in COLUMNS}
    for question in decorate(ranked).order_by("status", *CARD_ORDER):
        by_status[question.status].append(question)
    labels = dict(Status.choices)
    return [
        Column(status, str(labels[status]), totals.get(status, 0), by_status[status])
        for status in COLUMNS
    ]
