"""An indicator's chart: geometry worked out in Python, drawn as inline SVG that needs no
JavaScript or stylesheet, with a text summary and a table holding every figure."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from journeys.reports.indicator_charts import (
    HEIGHT,
    MAX_X_TICKS,
    WIDTH,
    chart_for,
    format_value,
    summary_for,
)
from journeys.reports.indicators import Point, Series

INCLUDE = "journeys/reports/includes/indicator_chart.html"


def _series(*values_and_dates, unit="personen", name="Eenzame ouderen", cycles=None):
    points = [
        Point(day, Decimal(str(value)), "Gezondheidsmonitor", (cycles or {}).get(day, 1))
        for value, day in values_and_dates
    ]
    return Series(name=name, unit=unit, points=points)


LONELY = _series(
    (120, date(2025, 3, 1)),
    (80, date(2025, 9, 1)),
    (95, date(2026, 10, 1)),
)


@pytest.fixture
def dutch():
    with translation.override("nl"):
        yield


def test_the_summary_says_where_the_series_started_and_ended(dutch):
    assert summary_for(LONELY) == (
        "Van 120 personen (maart 2025) naar 95 personen (oktober 2026), 3 metingen. "
        "Laagste 80 personen (september 2025), hoogste 120 personen (maart 2025)."
    )


def test_the_summary_of_one_or_no_measurements(dutch):
    one = _series((12.5, date(2025, 3, 14)), unit="%")
    assert summary_for(one) == "Eén meting: 12,5% (14 maart 2025)."
    assert summary_for(_series()) == "Nog geen metingen."


def test_numbers_are_written_the_dutch_way(dutch):
    assert format_value(Decimal("1234.50")) == "1.234,5"
    assert format_value(Decimal("120.00")) == "120"
    assert format_value(Decimal("-0.25")) == "-0,25"


def test_points_lie_in_date_order_inside_the_plot_with_time_as_distance():
    chart = chart_for(LONELY)

    assert chart.kind == "line" and len(chart.points) == 3
    xs = [point.x for point in chart.points]
    assert xs == sorted(xs)
    assert all(
        chart.left <= p.x <= chart.right and chart.top <= p.y <= chart.bottom for p in chart.points
    )
    # Six months from the first point, nineteen to the last: distance follows time.
    first, middle, last = xs
    assert (middle - first) / (last - first) == pytest.approx(184 / 579, abs=0.01)
    # A higher value stands higher (a smaller y).
    assert chart.points[0].y < chart.points[2].y < chart.points[1].y
    assert chart.line.startswith(f"M{first} ") and chart.line.count("L") == 2


def test_the_value_axis_holds_every_value_with_round_ticks(dutch):
    chart = chart_for(LONELY)

    values = [tick.label for tick in chart.y_ticks]
    assert values == ["80", "90", "100", "110", "120"]
    assert chart.y_ticks[0].position == chart.bottom and chart.y_ticks[-1].position == chart.top


def test_values_near_zero_are_drawn_from_zero():
    chart = chart_for(_series((3, date(2025, 1, 1)), (10, date(2025, 6, 1))))
    assert chart.y_ticks[0].label == "0"


def test_negative_values_get_a_zero_line():
    chart = chart_for(_series((-5, date(2025, 1, 1)), (10, date(2025, 6, 1))))
    assert chart.zero is not None and chart.top < chart.zero < chart.bottom


def test_date_ticks_are_calendar_dates_and_never_crowd(dutch):
    chart = chart_for(LONELY)
    assert [tick.label for tick in chart.x_ticks] == ["jul 2025", "jan 2026", "jul 2026"]

    long = _series(*((n, date(2000 + n, 5, 1)) for n in range(25)))
    labels = [tick.label for tick in chart_for(long).x_ticks]
    assert 2 <= len(labels) <= MAX_X_TICKS and all(
        re.fullmatch(r"\d{4}", label) for label in labels
    )

    days = _series((1, date(2025, 3, 3)), (2, date(2025, 3, 10)), (3, date(2025, 3, 17)))
    assert [tick.label for tick in chart_for(days).x_ticks] == [
        "3 mrt 2025",
        "10 mrt 2025",
        "17 mrt 2025",
    ]


def test_date_labels_at_the_edges_stay_inside_the_picture():
    chart = chart_for(_series((1, date(2025, 1, 1)), (2, date(2025, 2, 1))))
    for tick in chart.x_ticks:
        half = len(tick.label) * 3.8
        left = tick.position - (
            0 if tick.anchor == "start" else half * (2 if tick.anchor == "end" else 1)
        )
        assert left >= 0 and left + 2 * half <= WIDTH


def test_one_measurement_is_a_bar_from_zero():
    chart = chart_for(_series((12.5, date(2025, 3, 14))))

    assert chart.kind == "bar" and len(chart.bars) == 1
    bar = chart.bars[0]
    assert bar.y == chart.top and bar.y + bar.height == chart.bottom
    assert len(chart.x_ticks) == 1


def test_bars_can_be_asked_for():
    chart = chart_for(LONELY, kind="bar")
    assert chart.kind == "bar" and len(chart.bars) == 3 and chart.line == ""
    assert all(bar.y + bar.height == pytest.approx(chart.bottom) for bar in chart.bars)


def test_an_empty_series_has_no_drawing():
    chart = chart_for(_series())
    assert chart.is_empty and chart.points == () and chart.rows == ()


def test_the_table_names_the_cycle_only_when_the_series_spans_several():
    assert not chart_for(LONELY).show_cycle
    two = _series((1, date(2025, 1, 1)), (2, date(2026, 1, 1)), cycles={date(2026, 1, 1): 2})
    assert chart_for(two).show_cycle


def test_chart_ids_are_stable_and_differ_per_indicator():
    assert chart_for(LONELY).id == chart_for(LONELY).id
    other = _series((1, date(2025, 1, 1)), name="Eenzame ouderen!")
    assert chart_for(other).id != chart_for(LONELY).id
    assert chart_for(_series(name="€ %")).id.startswith("indicator-reeks-")


# --- The include -------------------------------------------------------------------------


def test_the_chart_is_an_image_with_a_title_and_description_and_a_real_table(dutch):
    html = render_to_string(INCLUDE, {"series": LONELY})

    chart = chart_for(LONELY)
    assert f'role="img" aria-labelledby="{chart.id}-titel"' in html
    assert f'<title id="{chart.id}-titel">Eenzame ouderen (personen)</title>' in html
    assert "<desc id=" in html and "Van 120 personen (maart 2025)" in html
    assert "<script" not in html and "<link" not in html
    assert (
        '<caption class="utrecht-table__caption">Eenzame ouderen (personen): alle cijfers' in html
    )
    assert html.count('<th scope="row"') == 3 and html.count('<th scope="col"') == 3
    assert '<time datetime="2026-10-01">1 oktober 2026</time>' in html


def test_coordinates_are_written_with_a_decimal_point_in_dutch_too(dutch):
    series = _series((1234.5, date(2025, 1, 1)), (1300.25, date(2025, 7, 13)))
    html = render_to_string(INCLUDE, {"series": series})

    svg = html[html.index("<svg") : html.index("</svg>")]
    numbers = re.findall(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|width|height|d)="([^"]*)"', svg)
    assert len(numbers) > 20
    for number in numbers:
        assert re.fullmatch(r"[ML\d. -]+", number), number
    assert f'viewBox="0 0 {WIDTH} {HEIGHT}"' in svg
    assert "1.234,5" in html  # the table keeps the Dutch way of writing the value


def test_an_empty_series_renders_its_sentence_and_no_svg(dutch):
    html = render_to_string(INCLUDE, {"series": _series()})
    assert "<svg" not in html and "Nog geen metingen." in html


def test_the_same_indicator_twice_on_a_page_can_have_its_own_id():
    html = render_to_string(INCLUDE, {"series": LONELY, "chart_id": "verslag-data-1"})
    assert 'id="verslag-data-1"' in html and 'aria-labelledby="verslag-data-1-titel"' in html


def test_the_chart_draws_in_a_pdf(dutch):
    weasyprint = pytest.importorskip("weasyprint")
    html = render_to_string(INCLUDE, {"series": LONELY})

    pdf = weasyprint.HTML(string=f"<html><body>{html}</body></html>").write_pdf()

    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
