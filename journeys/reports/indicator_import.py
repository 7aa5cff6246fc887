"""Importing a journey's figures from a CSV file: read, check every row, then write all
rows or none.

The file is what people save from a spreadsheet: UTF-8 (with or without the BOM Excel
puts in front), columns separated by semicolons or commas (whichever the first row
uses), with Dutch column names in the first row:

    indicator;waarde;eenheid;datum;bron[;lens]

`parse_csv(journey, content)` gives every row with what is wrong with it (row numbers as
a spreadsheet shows them: the column names are row 1), or file-level errors when the file
cannot be read as such a table at all. `import_data_points(actor, journey, rows, cycle=)`
checks the rows again against what the journey holds at that moment and writes them in
one transaction. Nothing is written while any row has an error.

A value is a number the Dutch way ("12,5", "1.234,5") or with a decimal point ("12.5");
"1.234" alone is refused as ambiguous. A date is dd-mm-jjjj or jjjj-mm-dd and not in the
future. An indicator keeps one unit: a row whose unit differs from the journey's earlier
figures of that indicator, or from an earlier row of the file, is refused.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from community.models import User
from journeys import method
from journeys import services as journey_services
from journeys.models import DataPoint, Journey
from journeys.reports.indicator_charts import format_value
from journeys.services import RuleViolation

MAX_BYTES = 1024 * 1024  # 1 MB
MAX_ROWS = 2000
REQUIRED_COLUMNS = ("indicator", "waarde", "eenheid", "datum", "bron")
OPTIONAL_COLUMNS = ("lens",)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# English column names are understood too.
COLUMN_ALIASES = {"value": "waarde", "unit": "eenheid", "date": "datum", "source": "bron"}
DEFAULT_LENS = "data"
MAX_INDICATOR = 200
MAX_UNIT = 40
MAX_SOURCE = 200
MAX_VALUE = Decimal("1e12")  # DataPoint.value: 14 digits, 2 of them decimals
EARLIEST = date(1900, 1, 1)

EXAMPLE_CSV = (
    "indicator;waarde;eenheid;datum;bron;lens\r\n"
    "Ouderen die zich eenzaam voelen;120;personen;01-03-2025;Gezondheidsmonitor GGD;data\r\n"
    "Ouderen die zich eenzaam voelen;95;personen;01-10-2026;Gezondheidsmonitor GGD;data\r\n"
    "Bezoekers inloop buurthuis;1.234,5;bezoeken per maand;2026-06-30;Registratie buurthuis;"
    "lokale praktijk\r\n"
)


class FileProblem(Exception):  # noqa: N818 - bad input, not an error of the platform
    """The file as a whole cannot be read as the expected table."""


@dataclass
class ImportRow:
    """One row of the file: its cells as written, what they mean, and what is wrong."""

    number: int  # as a spreadsheet numbers it: the column names are row 1
    raw: dict[str, str]
    indicator: str = ""
    value: Decimal | None = None
    unit: str = ""
    measured_on: date | None = None
    source: str = ""
    lens: str = DEFAULT_LENS
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def value_text(self) -> str:
        return format_value(self.value) if self.value is not None else self.raw.get("waarde", "")

    @property
    def date_text(self) -> str:
        if self.measured_on is not None:
            return date_format(self.measured_on, "j F Y")
        return self.raw.get("datum", "")

    @property
    def lens_label(self) -> str:
        for lens in method.FOTO_LENSES:
            if lens.key == self.lens:
                return str(lens.label)
        return self.raw.get("lens", "")


@dataclass
class ParsedImport:
    """What a file holds: its rows, or why it could not be read at all."""

    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    delimiter: str = ";"

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and bool(self.rows) and all(row.ok for row in self.rows)

    @property
    def rows_with_errors(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def indicators(self) -> list[str]:
        return sorted({row.indicator for row in self.rows if row.indicator})


# --- Reading the file ---------------------------------------------------------------------


def decode(content: bytes | str) -> str:
    """The file's text, or FileProblem when it is too large or not UTF-8 text."""
    if isinstance(content, str):
        if len(content.encode("utf-8")) > MAX_BYTES:
            raise FileProblem(_too_large())
        return content.lstrip("\ufeff")
    if len(content) > MAX_BYTES:
        raise FileProblem(_too_large())
    if b"\x00" in content:
        raise FileProblem(
            _("This is not a text file. Save the sheet as CSV (UTF-8) and try again.")
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(
            _(
                "The file is not saved as UTF-8. In your spreadsheet, choose “Save as” and "
                "then “CSV UTF-8”, and try again."
            )
        ) from None


def _too_large() -> str:
    return _("The file is larger than %(size)s. Split it and import the parts one by one.") % {
        "size": "1 MB"
    }


def _expected_columns() -> str:
    return ";".join(REQUIRED_COLUMNS)


def _sniff_delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _column_name(cell: str) -> str:
    name = cell.strip().strip("\ufeff").strip().casefold()
    return COLUMN_ALIASES.get(name, name)


def _check_header(header: list[str]) -> list[str | None]:
    """The known column name for each cell of the first row (None for blank cells, which
    spreadsheets leave after the last column), or FileProblem naming what is wrong."""
    names = [_column_name(cell) or None for cell in header]
    present = [name for name in names if name]
    missing = [name for name in REQUIRED_COLUMNS if name not in present]
    unknown = [
        cell.strip()
        for cell, name in zip(header, names, strict=True)
        if name and name not in COLUMNS
    ]
    twice = sorted({name for name in present if present.count(name) > 1})
    if missing or unknown or twice:
        message = _(
            "The columns do not match. The first row must name these columns: %(columns)s "
            "(and optionally lens), separated by semicolons or commas."
        ) % {"columns": _expected_columns()}
        if missing:
            message += " " + _("Missing: %(names)s.") % {"names": ", ".join(missing)}
        if unknown:
            message += " " + _("Not known: %(names)s.") % {"names": ", ".join(unknown)}
        if twice:
            message += " " + _("More than once: %(names)s.") % {"names": ", ".join(twice)}
        raise FileProblem(message)
    return names


def read_csv(content: bytes | str) -> tuple[list[tuple[int, dict[str, str]]], str]:
    """The rows of the file as (row number, {column: cell}) and the delimiter used; raises
    FileProblem when the file is not such a table. Blank rows are left out."""
    text = decode(content)
    if not text.strip():
        raise FileProblem(_("The file is empty."))
    delimiter = _sniff_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise FileProblem(
            _("The file cannot be read as CSV. Save the sheet as CSV (UTF-8) and try again.")
        ) from None
    numbered = [
        (number, record)
        for number, record in enumerate(records, start=1)
        if any(cell.strip() for cell in record)
    ]
    if not numbered:
        raise FileProblem(_("The file is empty."))
    (_header_number, header), *body = numbered
    names = _check_header(header)
    if not body:
        raise FileProblem(_("The file has column names but no rows with figures under them."))
    if len(body) > MAX_ROWS:
        raise FileProblem(
            _(
                "The file has %(count)s rows; import at most %(max)s at a time. Split the "
                "file and import the parts one after another."
            )
            % {
                "count": number_format(len(body), force_grouping=True),
                "max": number_format(MAX_ROWS, force_grouping=True),
            }
        )
    rows = []
    for number, record in body:
        raw = {name: "" for name in COLUMNS}
        extra = False
        for index, cell in enumerate(record):
            name = names[index] if index < len(names) else None
            if name:
                raw[name] = cell.strip()
            elif cell.strip():
                extra = True
        if extra:
            raw["__extra__"] = delimiter
        rows.append((number, raw))
    return rows, delimiter


# --- Checking the rows --------------------------------------------------------------------

_DIGITS = re.compile(r"\d+")
_GROUPED = re.compile(r"[1-9]\d{0,2}(\.\d{3})+")  # 1.234 or 12.345.678
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")


def parse_number(text: str) -> tuple[Decimal | None, str | None]:
    """(value, None) or (None, why not). Accepts 12,5 / 1.234,5 / 12.5 / -3."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text)
    sign = ""
    if cleaned and cleaned[0] in "+-":
        sign, cleaned = ("-" if cleaned[0] == "-" else ""), cleaned[1:]
    not_a_number = _("“%(value)s” is not a number. Write it like 12,5 or 1.234,5.") % {
        "value": text
    }
    if not cleaned:
        return None, not_a_number
    whole, fraction = cleaned, ""
    if "," in cleaned:
        whole, _comma, fraction = cleaned.rpartition(",")
        if "," in whole or not _DIGITS.fullmatch(fraction):
            return None, not_a_number
        if "." in whole:
            if not _GROUPED.fullmatch(whole):
                return None, not_a_number
            whole = whole.replace(".", "")
    elif cleaned.count(".") > 1:
        if not _GROUPED.fullmatch(cleaned):
            return None, not_a_number
        whole = cleaned.replace(".", "")
    elif "." in cleaned:
        if _GROUPED.fullmatch(cleaned):
            return None, _(
                "“%(value)s” can be read two ways. Write %(whole)s for a whole number, or "
                "%(decimal)s with a decimal comma."
            ) % {
                "value": text,
                "whole": cleaned.replace(".", ""),
                "decimal": cleaned.replace(".", ","),
            }
        whole, _dot, fraction = cleaned.partition(".")
        if not _DIGITS.fullmatch(fraction):
            return None, not_a_number
    if not _DIGITS.fullmatch(whole or "0"):
        return None, not_a_number
    if len(fraction) > 2:
        return None, _("Give at most two decimals: “%(value)s”.") % {"value": text}
    try:
        value = Decimal(f"{sign}{whole or '0'}.{fraction or '0'}")
    except InvalidOperation:  # pragma: no cover - the patterns above leave only digits
        return None, not_a_number
    if abs(value) >= MAX_VALUE:
        return None, _("“%(value)s” is too large a number.") % {"value": text}
    return value, None


def parse_date(text: str, *, today: date) -> tuple[date | None, str | None]:
    """(date, None) or (None, why not). Accepts dd-mm-jjjj (also with / or .) and
    jjjj-mm-dd; refuses dates in the future."""
    cleaned = text.strip()
    iso = _ISO_DATE.fullmatch(cleaned)
    dutch = _DUTCH_DATE.fullmatch(cleaned)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif dutch:
        day, month, year = int(dutch.group(1)), int(dutch.group(3)), int(dutch.group(4))
    else:
        return None, _(
            "“%(value)s” is not a date. Write it as dd-mm-yyyy or yyyy-mm-dd, for example "
            "01-03-2025."
        ) % {"value": text}
    try:
        measured_on = date(year, month, day)
    except ValueError:
        return None, _("“%(value)s” is not a day in the calendar.") % {"value": text}
    if measured_on < EARLIEST:
        return None, _("Check the year of “%(value)s”.") % {"value": text}
    if measured_on > today:
        return None, _(
            "%(date)s lies in the future: only figures that were measured can be imported."
        ) % {"date": date_format(measured_on, "j F Y")}
    return measured_on, None


def _lens_names() -> dict[str, str]:
    """Every way to write a lens (key, Dutch or English label) -> its key."""
    names: dict[str, str] = {}
    for lens in method.FOTO_LENSES:
        names[lens.key.casefold()] = lens.key
        names[lens.key.replace("_", " ").casefold()] = lens.key
        for language in ("nl", "en"):
            with translation.override(language):
                names[str(lens.label).casefold()] = lens.key
        names[str(lens.label).casefold()] = lens.key
    return names


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _key(name: str) -> str:
    return _collapse(name).casefold()


def _unit_text(unit: str) -> str:
    return f"“{unit}”" if unit else _("no unit")


def _check_cells(row: ImportRow, lenses: dict[str, str], today: date) -> None:
    raw = row.raw
    if raw.get("__extra__"):
        message = _("This row has more cells than the first row has column names.")
        if raw["__extra__"] == ",":
            message += " " + _(
                "With commas between the columns, put a number with a decimal comma in "
                'quotes: "12,5".'
            )
        row.errors.append(message)

    row.indicator = _collapse(raw.get("indicator", ""))
    if not row.indicator:
        row.errors.append(_("Name the indicator."))
    elif len(row.indicator) > MAX_INDICATOR:
        row.errors.append(
            _("The indicator's name is longer than %(max)s characters.") % {"max": MAX_INDICATOR}
        )

    if not raw.get("waarde"):
        row.errors.append(_("Give a value."))
    else:
        row.value, error = parse_number(raw["waarde"])
        if error:
            row.errors.append(error)

    row.unit = _collapse(raw.get("eenheid", ""))
    if len(row.unit) > MAX_UNIT:
        row.errors.append(_("The unit is longer than %(max)s characters.") % {"max": MAX_UNIT})

    if not raw.get("datum"):
        row.errors.append(_("Give the date of the measurement."))
    else:
        row.measured_on, error = parse_date(raw["datum"], today=today)
        if error:
            row.errors.append(error)

    row.source = _collapse(raw.get("bron", ""))
    if not row.source:
        row.errors.append(_("Name the source."))
    elif len(row.source) > MAX_SOURCE:
        row.errors.append(_("The source is longer than %(max)s characters.") % {"max": MAX_SOURCE})

    lens = _collapse(raw.get("lens", ""))
    if lens:
        key = lenses.get(lens.casefold())
        if key is None:
            row.errors.append(
                _(
                    "“%(value)s” is not one of the foto's lenses. Leave it empty for Data, or "
                    "use one of: %(lenses)s."
                )
                % {
                    "value": lens,
                    "lenses": ", ".join(str(lens.label) for lens in method.FOTO_LENSES),
                }
            )
        else:
            row.lens = key


def _check_against_journey(journey: Journey, rows: list[ImportRow]) -> None:
    """Units and dates against the journey's figures and the file's earlier rows. An
    indicator or unit written in other capitals than before takes the earlier spelling."""
    spelling: dict[str, str] = {}
    units: dict[str, dict[str, str]] = {}  # indicator key -> {unit key: unit}
    dates: set[tuple[str, date]] = set()
    for name, unit, measured_on in DataPoint.objects.filter(journey=journey).values_list(
        "indicator", "unit", "measured_on"
    ):
        key = _key(name)
        spelling.setdefault(key, name)
        units.setdefault(key, {}).setdefault(unit.casefold(), unit)
        dates.add((key, measured_on))

    file_units: dict[str, tuple[str, int]] = {}
    file_dates: dict[tuple[str, date], int] = {}
    for row in rows:
        if not row.indicator or len(row.indicator) > MAX_INDICATOR:
            continue
        key = _key(row.indicator)
        row.indicator = spelling.setdefault(key, row.indicator)
        if len(row.unit) <= MAX_UNIT:
            if key in units:
                known = units[key]
                if row.unit.casefold() in known:
                    row.unit = known[row.unit.casefold()]
                else:
                    row.errors.append(
                        _(
                            "Unit differs: this journey already records “%(indicator)s” in "
                            "%(expected)s, this row says %(unit)s."
                        )
                        % {
                            "indicator": row.indicator,
                            "expected": " / ".join(_unit_text(u) for u in known.values()),
                            "unit": _unit_text(row.unit),
                        }
                    )
            elif key in file_units:
                unit, number = file_units[key]
                if row.unit.casefold() == unit.casefold():
                    row.unit = unit
                else:
                    row.errors.append(
                        _(
                            "Unit differs: row %(row)s gives “%(indicator)s” in %(expected)s, "
                            "this row says %(unit)s."
                        )
                        % {
                            "row": number,
                            "indicator": row.indicator,
                            "expected": _unit_text(unit),
                            "unit": _unit_text(row.unit),
                        }
                    )
            else:
                file_units[key] = (row.unit, row.number)
        if row.measured_on is not None:
            if (key, row.measured_on) in dates:
                row.errors.append(
                    _("This journey already has a figure for “%(indicator)s” on %(date)s.")
                    % {"indicator": row.indicator, "date": date_format(row.measured_on, "j F Y")}
                )
            elif (key, row.measured_on) in file_dates:
                row.errors.append(
                    _("Row %(row)s already gives “%(indicator)s” on this date.")
                    % {"row": file_dates[(key, row.measured_on)], "indicator": row.indicator}
                )
            else:
                file_dates[(key, row.measured_on)] = row.number


def check_rows(
    journey: Journey, raws: Iterable[tuple[int, dict[str, str]]], *, today: date | None = None
) -> list[ImportRow]:
    """Every row with its meaning and its errors: the cells on their own, then against
    the journey's figures and the file's earlier rows. One query."""
    today = today or timezone.localdate()
    lenses = _lens_names()
    rows = []
    for number, raw in raws:
        row = ImportRow(number=number, raw=dict(raw))
        _check_cells(row, lenses, today)
        rows.append(row)
    _check_against_journey(journey, rows)
    return rows


def parse_csv(journey: Journey, content: bytes | str, *, today: date | None = None) -> ParsedImport:
    """Read and check a whole file. Never raises for bad input: file-level problems come
    back in `file_errors`, row problems in each row's `errors`."""
    try:
        raws, delimiter = read_csv(content)
    except FileProblem as problem:
        return ParsedImport(file_errors=[str(problem)])
    return ParsedImport(rows=check_rows(journey, raws, today=today), delimiter=delimiter)


# --- Writing ------------------------------------------------------------------------------


def _row_numbers(rows: Sequence[ImportRow], limit: int = 10) -> str:
    numbers = [str(row.number) for row in rows[:limit]]
    if len(rows) > limit:
        numbers.append("…")
    return ", ".join(numbers)


@transaction.atomic
def import_data_points(
    actor: User, journey: Journey, rows: Sequence[ImportRow], *, cycle: int | None = None
) -> list[DataPoint]:
    """Write the rows of a checked file as the journey's figures: all of them or, when
    any row is wrong now, none. The rows are checked again from their cells as written,
    against the journey as it is at this moment."""
    journey_services._require(
        journey_services._access(actor, journey).can_contribute,
        _("Only contributing members add data."),
    )
    cycle = cycle or journey.cycle
    if not 1 <= cycle <= journey.cycle:
        raise RuleViolation(_("Choose one of the journey's cycles."))
    if not rows:
        raise RuleViolation(_("There are no figures to import."))
    if len(rows) > MAX_ROWS:
        raise RuleViolation(
            _("Import at most %(max)s rows at a time.")
            % {"max": number_format(MAX_ROWS, force_grouping=True)}
        )
    # One import into a journey at a time (PostgreSQL locks the row; SQLite the database),
    # so two imports cannot both pass the unit check with different units.
    list(Journey.objects.select_for_update().filter(pk=journey.pk).values_list("pk"))
    checked = check_rows(journey, [(row.number, row.raw) for row in rows])
    wrong = [row for row in checked if row.errors]
    if wrong:
        raise RuleViolation(
            ngettext(
                "Row %(rows)s has an error; nothing was imported.",
                "Rows %(rows)s have errors; nothing was imported.",
                len(wrong),
            )
            % {"rows": _row_numbers(wrong)}
        )
    points = DataPoint.objects.bulk_create(
        [
            DataPoint(
                journey=journey,
                cycle=cycle,
                lens=row.lens,
                indicator=row.indicator,
                value=row.value,
                unit=row.unit,
                source=row.source,
                measured_on=row.measured_on,
                added_by=actor,
            )
            for row in checked
        ]
    )
    names = sorted({row.indicator for row in checked})
    journey_services._record(
        actor,
        "journey.data_imported",
        journey,
        count=len(points),
        indicator=", ".join(names)[:500],
        indicators=names[:50],
        cycle=cycle,
    )
    return points


@transaction.atomic
def add_data_point(
    actor: User,
    journey: Journey,
    *,
    lens: str,
    indicator: str,
    value: Decimal,
    unit: str,
    source: str,
    measured_on: date,
    cycle: int | None = None,
) -> DataPoint:
    """A figure entered by hand, held to the same rules as an imported row (one unit per
    indicator, no future dates, one figure per date), then added through
    journeys.services.add_data_point."""
    journey_services._require(
        journey_services._access(actor, journey).can_contribute,
        _("Only contributing members add data."),
    )
    row = ImportRow(
        number=0,
        raw={},
        indicator=_collapse(indicator),
        value=value,
        unit=_collapse(unit),
        measured_on=measured_on,
        source=source,
        lens=lens,
    )
    if measured_on > timezone.localdate():
        raise RuleViolation(
            _("%(date)s lies in the future: only figures that were measured can be added.")
            % {"date": date_format(measured_on, "j F Y")}
        )
    _check_against_journey(journey, [row])
    if row.errors:
        raise RuleViolation(row.errors[0])
    return journey_services.add_data_point(
        actor,
        journey,
        lens=lens,
        indicator=row.indicator,
        value=value,
        unit=row.unit,
        source=source,
        measured_on=measured_on,
        cycle=cycle,
    )
