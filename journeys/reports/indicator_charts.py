"""The geometry of an indicator's chart, worked out here so the template only draws it.

`chart_for(series)` returns a ChartGeometry: the plot area, the points (and bars) in SVG
coordinates, the axis ticks with their labels and a text summary of the series ("from 120
(March 2025) to 95 (October 2026)") for the chart's <title>/<desc>. The template
templates/journeys/reports/includes/indicator_chart.html draws it as inline SVG with
presentation attributes only: no JavaScript and no stylesheet needed, so the same chart
works in the browser and in the WeasyPrint PDF.

Labels are made in the active language (dates and numbers the Dutch way under "nl").
"""

from __future__ import annotations

import hashlib
import itertools
import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from journeys.reports.indicators import Point, Series

WIDTH = 480
HEIGHT = 260
MARGIN_LEFT = 60  # room for the value labels
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 40  # room for the date labels
INSET = 14  # keeps the first and last marker off the axes
MAX_X_TICKS = 6
MAX_MARKERS = 120  # more points than this: the line only


@dataclass(frozen=True)
class Tick:
    position: float  # x for a date tick, y for a value tick
    label: str
    anchor: str = "middle"  # SVG text-anchor: date labels at the edges stay inside


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    value: Decimal
    measured_on: date
    text: str  # "120 personen, 1 maart 2025"


@dataclass(frozen=True)
class TableRow:
    """One line of the table beside the chart."""

    measured_on: date
    date_text: str
    value_text: str
    source: str
    cycle: int


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class ChartGeometry:
    id: str
    kind: str  # "line" or "bar"
    title: str
    summary: str
    unit: str
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: tuple[ChartPoint, ...] = ()
    rows: tuple[TableRow, ...] = ()
    bars: tuple[Bar, ...] = ()
    line: str = ""  # SVG path data through the points
    x_ticks: tuple[Tick, ...] = ()
    y_ticks: tuple[Tick, ...] = ()
    zero: float | None = None  # y of the zero line when zero lies inside the value axis
    show_markers: bool = True
    show_cycle: bool = False  # the table names the cycle when the series spans several

    @property
    def is_empty(self) -> bool:
        return not self.points

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def label_x(self) -> float:
        """Where the value labels end (they are right-aligned against the plot)."""
        return round(self.left - 8, 1)

    @property
    def tick_end_y(self) -> float:
        return round(self.bottom + 5, 1)

    @property
    def date_label_y(self) -> float:
        return round(self.bottom + 22, 1)


# --- Formatting ---------------------------------------------------------------------------


def format_value(value: Decimal | float | int) -> str:
    """A number as people write it: 1.234,5 in Dutch, at most two decimals, no trailing
    zeros."""
    number = Decimal(str(value)).quantize(Decimal("0.01"))
    if number == number.to_integral_value():
        places = 0
    elif (number * 10) == (number * 10).to_integral_value():
        places = 1
    else:
        places = 2
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def format_with_unit(value: Decimal, unit: str) -> str:
    text = format_value(value)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _month(day: date) -> str:
    return date_format(day, "F Y")


def _day(day: date) -> str:
    return date_format(day, "j F Y")


# --- Summary ------------------------------------------------------------------------------


def summary_for(series: Series) -> str:
    """The series in a sentence or two: where it started, where it ended, its extremes."""
    points = series.points
    if not points:
        return _("No measurements yet.")
    unit = series.unit
    if len(points) == 1:
        return _("One measurement: %(value)s (%(date)s).") % {
            "value": format_with_unit(points[0].value, unit),
            "date": _day(points[0].measured_on),
        }
    first, last = points[0], points[-1]
    # Months say enough unless the first and last fall in the same month.
    same_month = (first.measured_on.year, first.measured_on.month) == (
        last.measured_on.year,
        last.measured_on.month,
    )
    when = _day if same_month else _month
    text = ngettext(
        "From %(first)s (%(first_date)s) to %(last)s (%(last_date)s), %(count)s measurement.",
        "From %(first)s (%(first_date)s) to %(last)s (%(last_date)s), %(count)s measurements.",
        len(points),
    ) % {
        "first": format_with_unit(first.value, unit),
        "first_date": when(first.measured_on),
        "last": format_with_unit(last.value, unit),
        "last_date": when(last.measured_on),
        "count": len(points),
    }
    if len(points) > 2:
        low = min(points, key=lambda p: (p.value, p.measured_on))
        high = max(points, key=lambda p: (p.value, -p.measured_on.toordinal()))
        if low.value != high.value:
            text += " " + _("Lowest %(low)s (%(low_date)s), highest %(high)s (%(high_date)s).") % {
                "low": format_with_unit(low.value, unit),
                "low_date": when(low.measured_on),
                "high": format_with_unit(high.value, unit),
                "high_date": when(high.measured_on),
            }
    return text


# --- Scales -------------------------------------------------------------------------------


def _nice_step(span: float, target: int = 5) -> float:
    raw = max(span / target, 0.01)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude * (1 + 1e-9):
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def value_range(values: list[float], *, from_zero: bool = False) -> tuple[float, float, float]:
    """(lowest tick, highest tick, step) of a value axis that holds every value. The axis
    starts at zero for bars, and for lines whose values are not far from zero."""
    low, high = min(values), max(values)
    if from_zero or (low >= 0 and low <= high / 2):
        low = min(low, 0.0)
    if from_zero or (high <= 0 and high >= low / 2):
        high = max(high, 0.0)
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        low, high = (low - pad, high + pad) if low else (0.0, 1.0)
        if values[0] > 0 and low < 0:
            low = 0.0
    step = _nice_step(high - low)
    bottom = math.floor(low / step + 1e-9) * step
    top = math.ceil(high / step - 1e-9) * step
    return bottom, top, step


def _value_ticks(bottom: float, top: float, step: float) -> list[float]:
    count = round((top - bottom) / step)
    return [round(bottom + i * step, 10) for i in range(count + 1)]


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def date_ticks(first: date, last: date, dates: list[date]) -> list[tuple[date, str]]:
    """Calendar ticks between the first and last date: months, quarters, half years or
    years, whichever gives at most MAX_X_TICKS; the measurement dates themselves when the
    series is too short for that."""
    for months in (1, 3, 6, 12, 24, 60, 120, 240):
        start = date(first.year, first.month, 1)
        if months >= 12:
            start = date(first.year, 1, 1)
        else:
            while (start.month - 1) % months:
                start = _add_months(start, 1)
        ticks = []
        day = start
        while day <= last:
            if day >= first:
                ticks.append(day)
            day = _add_months(day, months)
        if len(ticks) > MAX_X_TICKS:
            continue
        if len(ticks) >= 2:
            fmt = "Y" if months >= 12 else "b Y"
            return [(tick, date_format(tick, fmt)) for tick in ticks]
        break
    distinct = sorted(set(dates))
    if len(distinct) > 4:
        last_index = len(distinct) - 1
        distinct = [distinct[round(i * last_index / 3)] for i in range(4)]
    return [(day, date_format(day, "j b Y")) for day in distinct]


# --- The chart ----------------------------------------------------------------------------


def _anchor(x: float, label: str) -> str:
    half = len(label) * 3.8  # about half the label's width at font size 14
    if x + half > WIDTH - 2:
        return "end"
    if x - half < 2:
        return "start"
    return "middle"


def chart_id(name: str) -> str:
    digest = hashlib.sha1(name.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    return f"indicator-{slugify(name)[:40] or 'reeks'}-{digest}"


def _cycles(points: list[Point]) -> set[int]:
    return {point.cycle for point in points}


def chart_for(series: Series, *, kind: str | None = None) -> ChartGeometry:
    """The chart of one series: a line over time, or bars when asked for or when there is
    only one measurement (a lone dot says little)."""
    points = series.points
    title = f"{series.name} ({series.unit})" if series.unit else series.name
    left, right = float(MARGIN_LEFT), float(WIDTH - MARGIN_RIGHT)
    top, bottom = float(MARGIN_TOP), float(HEIGHT - MARGIN_BOTTOM)
    base = {
        "id": chart_id(series.name),
        "title": title,
        "summary": summary_for(series),
        "unit": series.unit,
        "width": WIDTH,
        "height": HEIGHT,
        "left": left,
        "right": right,
        "top": top,
        "bottom": bottom,
        "show_cycle": len(_cycles(points)) > 1,
        "rows": tuple(
            TableRow(
                measured_on=point.measured_on,
                date_text=_day(point.measured_on),
                value_text=format_value(point.value),
                source=point.source,
                cycle=point.cycle,
            )
            for point in points
        ),
    }
    if not points:
        return ChartGeometry(kind=kind or "line", **base)
    kind = kind or ("bar" if len(points) == 1 else "line")

    values = [float(point.value) for point in points]
    low, high, step = value_range(values, from_zero=kind == "bar")

    def y_of(value: float) -> float:
        return round(bottom - (value - low) / (high - low) * (bottom - top), 1)

    first, last = points[0].measured_on, points[-1].measured_on
    span = (last - first).days
    inner_left, inner_right = left + INSET, right - INSET
    if kind == "bar":
        # Bars stand side by side in date order, spaced by time when there is room.
        inner_left, inner_right = left + INSET * 2, right - INSET * 2

    def x_of(day: date) -> float:
        if span == 0:
            return round((left + right) / 2, 1)
        return round(inner_left + (day - first).days / span * (inner_right - inner_left), 1)

    chart_points = tuple(
        ChartPoint(
            x=x_of(point.measured_on),
            y=y_of(float(point.value)),
            value=point.value,
            measured_on=point.measured_on,
            text=f"{format_with_unit(point.value, series.unit)}, {_day(point.measured_on)}",
        )
        for point in points
    )
    line = ""
    if kind == "line" and len(chart_points) > 1:
        line = "M" + " L".join(f"{p.x} {p.y}" for p in chart_points)

    zero = y_of(0.0) if low <= 0 <= high else None
    bars: tuple[Bar, ...] = ()
    if kind == "bar":
        baseline = zero if zero is not None else bottom
        gaps = [b.x - a.x for a, b in itertools.pairwise(chart_points)]
        room = min([g for g in gaps if g > 0] or [right - left])
        width = round(max(2.0, min(40.0, room * 0.6)), 1)
        bars = tuple(
            Bar(
                x=round(p.x - width / 2, 1),
                y=min(p.y, baseline),
                width=width,
                height=round(max(abs(baseline - p.y), 1.0), 1),
            )
            for p in chart_points
        )

    y_ticks = tuple(Tick(y_of(v), format_value(v)) for v in _value_ticks(low, high, step))
    x_ticks = tuple(
        Tick(x, label, _anchor(x, label))
        for x, label in (
            (x_of(day), label)
            for day, label in date_ticks(first, last, [p.measured_on for p in points])
        )
    )
    return ChartGeometry(
        kind=kind,
        points=chart_points,
        bars=bars,
        line=line,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        zero=zero,
        show_markers=len(points) <= MAX_MARKERS,
        **base,
    )
