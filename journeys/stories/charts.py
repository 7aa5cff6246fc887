"""Tellen en vertellen: the counts beside the stories, for the current filter. By
perspective, by what it meant (signifiers), over time (by year) and each scale as a
distribution; the same numbers as a table on the page and as a CSV.

The counts come from the stories the user may see (journeys.stories.queries) with the
page's filter, counted by journeys.stories.tally; they hold no names, no text and no
ids: only categories and numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from journeys.models import Story, StorySignifier, StorySlider
from journeys.stories.tally import BUCKETS, Tally


@dataclass
class Bar:
    label: str
    count: int
    share: int = 0  # percent of the chart's largest bar: the bar's length


@dataclass
class Chart:
    key: str
    title: str
    category: str  # the heading of the first table column
    bars: list[Bar] = field(default_factory=list)
    note: str = ""

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)

    @property
    def is_empty(self) -> bool:
        return self.total == 0


def _scaled(chart: Chart) -> Chart:
    top = max((bar.count for bar in chart.bars), default=0)
    for bar in chart.bars:
        bar.share = round(100 * bar.count / top) if top else 0
    return chart


def by_perspective(tally: Tally) -> Chart:
    counts = tally.perspectives
    return _scaled(
        Chart(
            key="perspectief",
            title=_("Stories by perspective"),
            category=_("Perspective"),
            bars=[Bar(str(label), counts.get(v, 0)) for v, label in Story.Perspective.choices],
        )
    )


def by_signifier(tally: Tally) -> Chart:
    counts = tally.signifiers
    signifiers = StorySignifier.objects.order_by("position", "name").values_list(
        "slug", "name", "is_active"
    )
    return _scaled(
        Chart(
            key="betekenis",
            title=_("What it meant to the tellers"),
            category=_("What it meant"),
            bars=[
                Bar(name, counts.get(slug, 0))
                for slug, name, active in signifiers
                if active or counts.get(slug)
            ],
            note=_("A teller may choose several, so these add up to more than the stories."),
        )
    )


def over_time(tally: Tally) -> Chart:
    counts = tally.years
    years = range(min(counts), max(counts) + 1) if counts else []
    return _scaled(
        Chart(
            key="jaar",
            title=_("Stories over time"),
            category=_("Year"),
            bars=[Bar(str(year), counts.get(year, 0)) for year in years],
            note=_("By the year it happened, or else the year it was told."),
        )
    )


def sliders(tally: Tally) -> list[Chart]:
    """Each scale as a distribution over five steps from its left to its right end."""
    charts = []
    for slider in StorySlider.objects.order_by("position", "pk"):
        counts = tally.sliders.get(slider.pk)
        if counts is None and not slider.is_active:
            continue
        counts = counts or [0] * len(BUCKETS)
        labels = [
            _("%(end)s (far left)") % {"end": slider.left_label},
            _("towards the left"),
            _("in the middle"),
            _("towards the right"),
            _("%(end)s (far right)") % {"end": slider.right_label},
        ]
        charts.append(
            _scaled(
                Chart(
                    key=f"schaal-{slider.pk}",
                    title=slider.question,
                    category=_("Position on the scale"),
                    bars=[Bar(label, n) for label, n in zip(labels, counts, strict=True)],
                    note=_("Only stories whose teller set this scale."),
                )
            )
        )
    return charts


def all_charts(tally: Tally) -> list[Chart]:
    return [by_perspective(tally), by_signifier(tally), over_time(tally), *sliders(tally)]


def as_csv(tally: Tally) -> str:
    """The counts as CSV (one row per bar): no names, no text, no ids."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("part"), _("category"), _("number of stories")])
    writer.writerow([_("all stories"), "", tally.total])
    for chart in all_charts(tally):
        for bar in chart.bars:
            writer.writerow([chart.title, _safe(bar.label), bar.count])
    return out.getvalue()


def _safe(value: str) -> str:
    # A cell that starts like a formula is not run by a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
