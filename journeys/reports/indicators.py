"""Indicators: a journey's data points of one name, read as a series over time.

A data point (journeys.models.DataPoint) is one value of one indicator on one date. The
foto files it under a lens; reports pick an indicator by name and show the whole series,
across the journey's cycles, as a chart with a table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from journeys.models import DataPoint, Journey


@dataclass(frozen=True)
class Point:
    measured_on: date
    value: Decimal
    source: str
    cycle: int


@dataclass
class Series:
    name: str
    unit: str
    points: list[Point] = field(default_factory=list)

    @property
    def first(self) -> Point | None:
        return self.points[0] if self.points else None

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def sources(self) -> list[str]:
        return sorted({point.source for point in self.points if point.source})

    @property
    def chart(self):
        """The chart geometry (journeys.reports.indicator_charts.chart_for), so a template
        can draw `series.chart` without a tag library."""
        from journeys.reports.indicator_charts import chart_for

        return chart_for(self)


def series_for(journey: Journey, names: list[str] | None = None) -> dict[str, Series]:
    """Every indicator of the journey (or only `names`), points in date order: one query."""
    points = DataPoint.objects.filter(journey=journey).order_by("indicator", "measured_on", "pk")
    if names is not None:
        points = points.filter(indicator__in=names)
    series: dict[str, Series] = {}
    for row in points.values_list("indicator", "unit", "measured_on", "value", "source", "cycle"):
        name, unit, measured_on, value, source, cycle = row
        entry = series.setdefault(name, Series(name=name, unit=unit))
        entry.points.append(Point(measured_on, value, source, cycle))
    return series


def indicator_names(journey: Journey) -> list[str]:
    return list(
        DataPoint.objects.filter(journey=journey)
        .order_by("indicator")
        .values_list("indicator", flat=True)
        .distinct()
    )
