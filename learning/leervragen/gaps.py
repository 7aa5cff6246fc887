"""The gap map: themes against werkzame elementen across all gemeenten. Each cell counts
the open and the answered questions with that theme about that element, only of the
questions the viewer may see (a besloten journey's questions never count for outsiders).
A witte vlek is a cell where the element carries the theme but no question has been
answered yet: there the network knows nothing for sure.

A fixed number of queries, whatever the number of questions, themes or elements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from taggit.models import TaggedItem

from journeys.models import Journey
from learning.leervragen.queries import visible_questions
from learning.models import LearningQuestion, WorkingElementPage, WorkingElementTheme

NO_ELEMENT = 0  # the column of questions about no werkzaam element in particular


@dataclass
class Cell:
    element_id: int
    theme_slug: str
    open: int = 0
    answered: int = 0
    relevant: bool = False  # the element carries this theme

    @property
    def total(self) -> int:
        return self.open + self.answered

    @property
    def is_gap(self) -> bool:
        return self.relevant and self.answered == 0


@dataclass
class Row:
    slug: str
    name: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class GapMap:
    elements: list[WorkingElementPage]
    rows: list[Row]
    question_count: int
    answered_count: int

    @property
    def gap_count(self) -> int:
        return sum(cell.is_gap for row in self.rows for cell in row.cells)


def _question_themes(questions: QuerySet[LearningQuestion]) -> list[tuple[int, str, str]]:
    return list(
        TaggedItem.objects.filter(
            content_type__app_label="learning",
            content_type__model="learningquestion",
            object_id__in=questions.values("pk"),
        ).values_list("object_id", "tag__slug", "tag__name")
    )


def gap_map(user, *, gemeente_id: int | None = None) -> GapMap:
    questions = visible_questions(user)
    if gemeente_id is not None:
        questions = questions.filter(
            journey__in=Journey.objects.filter(organisations=gemeente_id).values("pk")
        )
    answered = {
        pk: answered_at is not None
        for pk, answered_at in questions.values_list("pk", "answered_at")
    }
    themes_of: dict[int, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for question_id, slug, name in _question_themes(questions):
        themes_of[question_id].append(slug)
        names[slug] = name
    links = LearningQuestion.working_elements.through.objects.filter(
        learningquestion_id__in=questions.values("pk")
    ).values_list("learningquestion_id", "workingelementpage_id")
    elements_of: dict[int, list[int]] = defaultdict(list)
    for question_id, element_id in links:
        elements_of[question_id].append(element_id)
    elements = list(WorkingElementPage.objects.live().public().order_by("title"))
    element_ids = {element.pk for element in elements}
    element_themes: set[tuple[int, str]] = set()
    for element_id, slug, name in WorkingElementTheme.objects.filter(
        content_object_id__in=element_ids
    ).values_list("content_object_id", "tag__slug", "tag__name"):
        element_themes.add((element_id, slug))
        names.setdefault(slug, name)

    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for question_id, is_answered in answered.items():
        linked = [e for e in elements_of.get(question_id, []) if e in element_ids] or [NO_ELEMENT]
        for slug in themes_of.get(question_id, []):
            for element_id in linked:
                counts[(slug, element_id)][1 if is_answered else 0] += 1

    # Questions about no element in particular first: there most of them are.
    columns = [NO_ELEMENT] + [element.pk for element in elements]
    rows = []
    for slug in sorted(names, key=lambda s: names[s].lower()):
        row = Row(slug, names[slug])
        for element_id in columns:
            open_count, answered_count = counts.get((slug, element_id), (0, 0))
            row.cells.append(
                Cell(
                    element_id,
                    slug,
                    open_count,
                    answered_count,
                    relevant=(element_id, slug) in element_themes,
                )
            )
        rows.append(row)
    return GapMap(
        elements=elements,
        rows=rows,
        question_count=len(answered),
        answered_count=sum(answered.values()),
    )
