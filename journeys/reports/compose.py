"""A foto or reisverslag as readers see it: every section's text and the items picked into
it, resolved now. The web page, the print view and the PDF all read this.

Respect for tellers is decided here, on every read:
- a withdrawn story leaves the report; the section says that a story was withdrawn;
- an anonymous story or card stays anonymous;
- a story whose visibility became narrower than the report's audience is left out, and
  only the composer sees why.
A fixed number of queries, however many items a report holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from journeys import method
from journeys.models import PhaseResult, StorySignifier
from journeys.reports import indicators, material
from journeys.reports.models import ReportItem

Kind = ReportItem.Kind


@dataclass
class Entry:
    item: ReportItem
    kind: str
    obj: object = None  # the story, leervraag, meeting, card, element or indicator series
    teller: str = ""  # who told or wrote it, as they chose to be shown; "" when anonymous
    note: str = ""  # for the composer only: why readers do not see it

    @property
    def label(self) -> str:
        """A short name for the item, for lists and notes."""
        if self.obj is None:
            return self.item.indicator or str(self.item.get_kind_display())
        for name in ("title", "question", "name", "body"):
            value = getattr(self.obj, name, "")
            if value:
                return str(value)[:120]
        return str(self.item.get_kind_display())


@dataclass
class ReportSection:
    key: str
    label: str
    help_text: str
    text: str
    entries: list[Entry] = field(default_factory=list)
    withdrawn: int = 0  # stories withdrawn by their tellers since they were picked
    left_out: list[Entry] = field(default_factory=list)  # shown to the composer only

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.entries or self.withdrawn)


@dataclass
class Report:
    result: PhaseResult
    sections: list[ReportSection]

    @property
    def is_empty(self) -> bool:
        return all(section.is_empty for section in self.sections)

    @property
    def item_count(self) -> int:
        return sum(len(section.entries) for section in self.sections)

    @property
    def notes(self) -> list[Entry]:
        return [entry for section in self.sections for entry in section.left_out]


def items_of(result: PhaseResult):
    return result.items.select_related(
        "story", "question", "event", "card__author", "card__board", "element"
    ).prefetch_related(
        Prefetch(
            "story__signifiers",
            queryset=StorySignifier.objects.order_by("position", "name"),
        )
    )


def build(result: PhaseResult, *, content: dict | None = None) -> Report:
    """The report of `result` with the text of its latest revision (or `content`)."""
    journey = result.journey
    text = result.content if content is None else content
    items = list(items_of(result)) if result.pk else []
    names = [item.indicator for item in items if item.kind == Kind.INDICATOR]
    series = indicators.series_for(journey, names) if names else {}
    sections = {
        s.key: ReportSection(s.key, str(s.label), str(s.help_text), text.get(s.key, ""))
        for s in method.RESULT_SECTIONS[result.kind]
    }
    for item in items:
        section = sections.get(item.section)
        if section is None:  # a section the method no longer has
            continue
        entry = _entry(item, journey, series)
        if entry is None:
            section.withdrawn += 1
        elif entry.note:
            section.left_out.append(entry)
        else:
            section.entries.append(entry)
    return Report(result=result, sections=list(sections.values()))


def _entry(item: ReportItem, journey, series: dict) -> Entry | None:
    """What readers see of one item; None for a withdrawn story (counted, never shown);
    an Entry with a note when readers may not see it."""
    if item.kind == Kind.STORY:
        story = item.story
        if story is None or story.is_withdrawn:
            return None
        entry = Entry(item, item.kind, story, teller="" if story.is_anonymous else story.shown_name)
        if not material.story_fits(story, journey):
            entry.note = _(
                "Left out of the report: the teller now shares this story with fewer "
                "people (%(visibility)s) than can read the report."
            ) % {"visibility": story.get_visibility_display()}
        return entry
    if item.kind == Kind.INDICATOR:
        found = series.get(item.indicator)
        entry = Entry(item, item.kind, found)
        if found is None:
            entry.note = _("Left out: the journey has no figures for %(name)s any more.") % {
                "name": item.indicator
            }
        return entry
    if item.kind == Kind.CARD:
        card = item.card
        entry = Entry(item, item.kind, card)
        if card is None or card.status != card.Status.VISIBLE:
            entry.note = _("Left out: the card was hidden or deleted on its board.")
        else:
            entry.teller = card.author_name or ""
        return entry
    obj = {Kind.QUESTION: item.question, Kind.EVENT: item.event, Kind.ELEMENT: item.element}[
        item.kind
    ]
    entry = Entry(item, item.kind, obj)
    if obj is None:
        entry.note = _("Left out: this was deleted.")
    elif item.kind == Kind.ELEMENT and not obj.live:
        entry.note = _("Left out: the editors unpublished this werkzaam element.")
    elif item.kind == Kind.EVENT and obj.cancelled_at is not None:
        entry.note = _("Left out: this meeting was cancelled.")
    return entry
