"""What a journey's cycle offers a report: its stories, indicators, answered leervragen,
held meetings, highlighted board cards and the werkzame elementen it refers to.

The composer lists these as suggestions; the services accept only what is listed here
(`find`), so a report never holds material from another journey.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Card, Event
from journeys.models import Journey, PhaseResult, PhaseTransition, Story
from journeys.reports import indicators
from journeys.reports.models import ReportItem
from learning.models import LearningQuestion, WorkingElementPage

Kind = ReportItem.Kind
ResultKind = PhaseResult.Kind

# Which story visibilities a report may show, by the journey's visibility (the report's
# audience). A privé story is the teller's own and never goes in a report.
STORY_VISIBILITIES_FOR = {
    Journey.Visibility.OPENBAAR: {Story.Visibility.OPENBAAR},
    Journey.Visibility.NETWERK: {Story.Visibility.OPENBAAR, Story.Visibility.NETWERK},
    Journey.Visibility.BESLOTEN: {
        Story.Visibility.OPENBAAR,
        Story.Visibility.NETWERK,
        Story.Visibility.BESLOTEN,
    },
}

ANSWERED = [
    LearningQuestion.Status.BEANTWOORD,
    LearningQuestion.Status.GEDUID,
    LearningQuestion.Status.AFGESLOTEN,
]

# Where an item goes when the composer does not choose: the section that fits best.
DEFAULT_SECTION = {
    ResultKind.REISVERSLAG: {
        Kind.STORY: "verhalen",
        Kind.INDICATOR: "data",
        Kind.ELEMENT: "werkzame_elementen",
        Kind.QUESTION: "leervragen",
        Kind.EVENT: "bijeenkomsten",
        Kind.CARD: "opbrengst",
    },
    ResultKind.FOTO: {
        Kind.STORY: "verhalen_leefwereld",
        Kind.INDICATOR: "data",
        Kind.ELEMENT: "voorbeelden_wat_werkt",
        Kind.QUESTION: "kennis_wetenschap",
        Kind.EVENT: "lokaal_netwerk",
        Kind.CARD: "lokale_praktijk",
    },
}

KIND_HEADINGS = {
    Kind.STORY: _("Stories told in this cycle"),
    Kind.INDICATOR: _("Indicators"),
    Kind.QUESTION: _("Answered leervragen"),
    Kind.EVENT: _("Meetings held"),
    Kind.CARD: _("Highlighted board cards"),
    Kind.ELEMENT: _("Werkzame elementen"),
}


def story_fits(story: Story, journey: Journey) -> bool:
    """May this story be shown to everyone who can read the journey's reports?"""
    return story.visibility in STORY_VISIBILITIES_FOR[journey.visibility]


@dataclass(frozen=True)
class Window:
    """The time a cycle ran: from its start to the start of the next (or now)."""

    start: datetime
    end: datetime | None


def cycle_window(journey: Journey, cycle: int) -> Window:
    starts = dict(
        PhaseTransition.objects.filter(
            journey=journey, from_phase=Journey.Phase.DOEN_EN_LEREN, cycle__in=[cycle, cycle + 1]
        ).values_list("cycle", "created_at")
    )
    start = starts.get(cycle) if cycle > 1 else None
    return Window(start=start or journey.created_at, end=starts.get(cycle + 1))


# --- What can be picked: one queryset per kind, all scoped to the journey ------------------


def stories(journey: Journey) -> QuerySet[Story]:
    """The journey's stories that are still told (any visibility but privé; the composer
    shows why a narrower one cannot go in)."""
    return (
        Story.objects.filter(journey=journey, withdrawn_at__isnull=True)
        .exclude(visibility=Story.Visibility.PRIVE)
        .order_by("-created_at", "-pk")
    )


def questions(journey: Journey) -> QuerySet[LearningQuestion]:
    return LearningQuestion.objects.filter(journey=journey, status__in=ANSWERED).order_by(
        "-answered_at", "-pk"
    )


def events(journey: Journey) -> QuerySet[Event]:
    return Event.objects.filter(
        journey=journey, cancelled_at__isnull=True, starts_at__lt=timezone.now()
    ).order_by("-starts_at", "-pk")


def cards(journey: Journey) -> QuerySet[Card]:
    return (
        Card.objects.filter(board__journey=journey, is_highlighted=True, status=Card.Status.VISIBLE)
        .select_related("board", "author")
        .order_by("-created_at", "-pk")
    )


def elements() -> QuerySet[WorkingElementPage]:
    return WorkingElementPage.objects.live().order_by("title")


def referenced_element_ids(journey: Journey) -> set[int]:
    """Werkzame elementen the journey already refers to: as evidence of its leervragen
    or in another of its reports."""
    via_questions = LearningQuestion.working_elements.through.objects.filter(
        learningquestion__journey=journey
    ).values_list("workingelementpage_id", flat=True)
    via_reports = ReportItem.objects.filter(
        result__journey=journey, element__isnull=False
    ).values_list("element_id", flat=True)
    return set(via_questions) | set(via_reports)


@dataclass
class Suggestion:
    kind: str
    key: str  # the object's pk, or the indicator's name
    title: str
    detail: str = ""
    in_cycle: bool = True
    blocked: str = ""  # why it cannot go in, shown to the composer


def suggestions(journey: Journey, result: PhaseResult, picked: set[tuple[str, str]]) -> dict:
    """Per kind, what the composer can add; what is already in the report is left out.
    Material from this cycle first. A fixed number of queries."""
    window = cycle_window(journey, result.cycle)
    offered: dict[str, list[Suggestion]] = {kind: [] for kind in KIND_HEADINGS}

    for story in stories(journey):
        blocked = ""
        if not story_fits(story, journey):
            blocked = str(
                _(
                    "Cannot go in: the teller shared this story with fewer people "
                    "(%(visibility)s) than can read this report."
                )
                % {"visibility": story.get_visibility_display()}
            )
        offered[Kind.STORY].append(
            Suggestion(
                Kind.STORY,
                str(story.pk),
                story.title,
                story.quote or story.get_perspective_display(),
                in_cycle=story.cycle == result.cycle
                or (story.cycle is None and _inside(window, story.created_at)),
                blocked=blocked,
            )
        )
    for name, series in indicators.series_for(journey).items():
        last = series.last
        offered[Kind.INDICATOR].append(
            Suggestion(
                Kind.INDICATOR,
                name,
                name,
                f"{last.value} {series.unit}".strip() if last else "",
                in_cycle=any(point.cycle == result.cycle for point in series.points),
            )
        )
    for question in questions(journey):
        offered[Kind.QUESTION].append(
            Suggestion(
                Kind.QUESTION,
                str(question.pk),
                question.question,
                question.get_status_display(),
                in_cycle=_inside(window, question.answered_at),
            )
        )
    for event in events(journey):
        offered[Kind.EVENT].append(
            Suggestion(
                Kind.EVENT,
                str(event.pk),
                event.title,
                timezone.localtime(event.starts_at).strftime("%d-%m-%Y"),
                in_cycle=_inside(window, event.starts_at),
            )
        )
    for card in cards(journey):
        offered[Kind.CARD].append(
            Suggestion(
                Kind.CARD,
                str(card.pk),
                card.body[:120],
                card.board.title,
                in_cycle=_inside(window, card.created_at),
            )
        )
    referenced = referenced_element_ids(journey)
    for element in elements():
        offered[Kind.ELEMENT].append(
            Suggestion(
                Kind.ELEMENT,
                str(element.pk),
                element.title,
                element.get_evidence_level_display(),
                in_cycle=element.pk in referenced,
            )
        )
    for kind, items in offered.items():
        # What is in the report already is not offered again. This cycle's (or the
        # journey's own) material first; the rest stays reachable.
        offered[kind] = sorted(
            (s for s in items if (s.kind, s.key) not in picked), key=lambda s: not s.in_cycle
        )
    defaults = DEFAULT_SECTION[result.kind]
    return {
        kind: {"heading": KIND_HEADINGS[kind], "items": items, "section": defaults[kind]}
        for kind, items in offered.items()
    }


def _inside(window: Window, moment: datetime | None) -> bool:
    if moment is None:
        return False
    return moment >= window.start and (window.end is None or moment < window.end)


def find(journey: Journey, kind: str, key: str):
    """The object `key` of `kind` if this journey's reports may use it, else None."""
    if kind == Kind.INDICATOR:
        return key if key in indicators.indicator_names(journey) else None
    try:
        pk = int(key)
    except (TypeError, ValueError):
        return None
    source = {
        Kind.STORY: lambda: stories(journey),
        Kind.QUESTION: lambda: questions(journey),
        Kind.EVENT: lambda: events(journey),
        Kind.CARD: lambda: cards(journey),
        Kind.ELEMENT: elements,
    }.get(kind)
    return source().filter(pk=pk).first() if source else None
