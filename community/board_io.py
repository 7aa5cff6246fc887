"""Taking a board out of the platform (CSV, Markdown, a printable page) and bringing a
Padlet board in (its CSV export becomes a new board of the journey).

Exports hold what every participant of the board sees, nothing more: the VISIBLE cards
only, also when a facilitator exports (cards waiting for approval and hidden cards stay
on the board page and never travel in a file). An anonymous card or comment names
nobody: its author is "Anoniem", in every format. No email address, no account id.

The Padlet import is a service (actor first): only the journey's reisbegeleider imports,
everything is checked before anything is written, and the board with its cards is made
in one transaction. Names from Padlet are not carried over: they are not accounts of
this platform and those people did not agree to be named here, so every imported card
is anonymous and belongs to the facilitator who imported it.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community import audit
from community.models import Board, BoardColumn, BoardRow, Card, CardComment, CardReaction, User
from community.queries.boards import BoardAccess, cards_for_page, journey_board_access
from community.services import boards as board_services
from journeys.models import Journey
from journeys.services import RuleViolation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ZONE = "Europe/Amsterdam"

# What a visitor who may read the board sees: the visible cards. Used for every export,
# whoever asks, so that a file never holds a waiting or hidden card.
EXPORT_ACCESS = BoardAccess(can_see=True, can_post=False, can_facilitate=False, user_id=None)

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Dutch Excel reads a semicolon-separated file into columns when it is double-clicked.
CSV_DELIMITER = ";"

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 2_000


# --- The export's one read -------------------------------------------------------------


@dataclass
class ExportComment:
    text: str
    author: str
    posted: datetime


@dataclass
class ExportCard:
    text: str
    link: str
    author: str
    posted: datetime
    highlighted: bool
    reactions: dict[str, int]
    comments: list[ExportComment]
    image_alt: str = ""

    @property
    def reaction_summary(self) -> str:
        """The reactions it has, such as 'eens: 2; belangrijk: 1'; empty when none."""
        return reaction_text({kind: n for kind, n in self.reactions.items() if n})


@dataclass
class ExportCell:
    column: BoardColumn
    row: BoardRow | None
    cards: list[ExportCard] = field(default_factory=list)


@dataclass
class BoardExport:
    board: Board
    columns: list[BoardColumn]
    rows: list[BoardRow]
    cells: list[ExportCell]  # column by column, and within a column row by row
    exported_at: datetime

    @property
    def card_count(self) -> int:
        return sum(len(cell.cards) for cell in self.cells)


def _anonymous_label() -> str:
    return _("Anonymous")


def _name(author_name: str | None) -> str:
    """The name the board shows, or "Anoniem" when nobody may know who wrote it."""
    return author_name or _anonymous_label()


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment, AMSTERDAM)


def export_data(board: Board) -> BoardExport:
    """The board's visible cards with their reactions and comments, per cell, in a fixed
    number of queries however many cards there are."""
    columns = list(board.columns.all())
    rows = list(board.rows.all())
    cells: dict[tuple[int, int | None], ExportCell] = {}
    for column in columns:
        for row in rows or [None]:
            cells[(column.pk, row.pk if row else None)] = ExportCell(column, row)
    kinds = CardReaction.Kind.values
    for card in cards_for_page(board, EXPORT_ACCESS, links=False):
        cell = cells.get((card.column_id, card.row_id))
        if cell is None:  # a row on a board that has none, or the reverse: not shown anywhere
            continue
        counts = dict.fromkeys(kinds, 0)
        for reaction in card.reactions.all():
            counts[reaction.kind] = counts.get(reaction.kind, 0) + 1
        comments: list[CardComment] = list(card.comments.all())
        cell.cards.append(
            ExportCard(
                text=card.body,
                link=card.link,
                author=_name(card.author_name),
                posted=local(card.created_at),
                highlighted=card.is_highlighted,
                reactions=counts,
                comments=[
                    ExportComment(c.body, _name(c.author_name), local(c.created_at))
                    for c in comments
                ],
                image_alt=card.image_alt if card.image else "",
            )
        )
    return BoardExport(board, columns, rows, list(cells.values()), local(timezone.now()))


def export_filename(board: Board, extension: str) -> str:
    return f"{slugify(board.title)[:80].strip('-') or 'bord'}.{extension}"


def reaction_text(counts: dict[str, int]) -> str:
    labels = dict(CardReaction.Kind.choices)
    return "; ".join(f"{labels.get(kind, kind)}: {n}" for kind, n in counts.items())


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


# --- CSV ---------------------------------------------------------------------------------


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_header() -> list[str]:
    return [
        _("column"),
        _("row"),
        _("text"),
        _("link"),
        _("author"),
        _("reactions"),
        _("comments"),
        _("highlighted"),
        _("posted"),
    ]


def csv_text(export: BoardExport) -> str:
    """UTF-8 text with a byte order mark (so Excel reads the accents right), separated by
    semicolons; times in Europe/Amsterdam."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(safe_cell(h) for h in csv_header())
    yes, no = _("yes"), _("no")
    for cell in export.cells:
        for card in cell.cards:
            writer.writerow(
                safe_cell(value)
                for value in (
                    cell.column.title,
                    cell.row.title if cell.row else "",
                    card.text,
                    card.link,
                    card.author,
                    reaction_text(card.reactions),
                    len(card.comments),
                    yes if card.highlighted else no,
                    _when(card.posted),
                )
            )
    return out.getvalue()


def board_csv(board: Board) -> str:
    return csv_text(export_data(board))


# --- Markdown ----------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_MD_BULLET = re.compile(r"(?m)^(\s*)([-+])(\s|$)")
_MD_NUMBER = re.compile(r"(?m)^(\s*)(\d+)([.)])(\s|$)")


def md_escape(text: str) -> str:
    """Text that reads as itself in Markdown: no accidental emphasis, links, headings or
    lists inside a card."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_BULLET.sub(r"\1\\\2\3", text)
    return _MD_NUMBER.sub(r"\1\2\\\3\4", text)


def _indented(text: str, first: str, rest: str) -> list[str]:
    lines = text.replace("\r\n", "\n").split("\n")
    return [first + lines[0]] + [(rest + line) if line.strip() else "" for line in lines[1:]]


def _md_card(card: ExportCard) -> list[str]:
    text = md_escape(card.text)
    if card.highlighted:
        text = f"**{_('Highlighted')}:** {text}"
    lines = _indented(text, "- ", "  ")
    meta = [card.author, formats.date_format(card.posted, "j F Y H:i")]
    if card.reaction_summary:
        meta.append(card.reaction_summary)
    lines.append("  " + md_escape(" · ".join(meta)))
    if card.link:
        lines.append(f"  {_('Link')}: <{card.link}>")
    if card.image_alt:
        lines.append(f"  {_('Image')}: {md_escape(card.image_alt)}")
    for comment in card.comments:
        body = f"{md_escape(comment.text)} ({md_escape(comment.author)})"
        lines.extend(_indented(body, "  - ", "    "))
    return lines


def markdown_text(export: BoardExport) -> str:
    board = export.board
    lines = [f"# {md_escape(board.title)}", ""]
    if board.instructions.strip():
        lines += [md_escape(board.instructions.strip()), ""]
    note = _(
        "Only the visible cards of the board; anonymous cards and comments name nobody. "
        "Exported on %(when)s (%(zone)s)."
    ) % {"when": formats.date_format(export.exported_at, "j F Y H:i"), "zone": ZONE}
    lines += [f"> {md_escape(note)}", ""]
    has_rows = bool(export.rows)
    current_column = None
    for cell in export.cells:
        if cell.column.pk != current_column:
            current_column = cell.column.pk
            lines += [f"## {md_escape(cell.column.title)}", ""]
        if has_rows and cell.row is not None:
            lines += [f"### {md_escape(cell.row.title)}", ""]
        if not cell.cards:
            lines += [f"_{_('No cards.')}_", ""]
            continue
        for card in cell.cards:
            lines += _md_card(card)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def board_markdown(board: Board) -> str:
    return markdown_text(export_data(board))


# --- Print -------------------------------------------------------------------------------


@dataclass
class PrintRow:
    title: str | None  # None on a board without rows
    cells: list[ExportCell]


def print_rows(export: BoardExport) -> list[PrintRow]:
    """The board as it is read on paper: row by row (a prompt), each with a cell per
    column (a perspective) holding its cards."""
    by_row: dict[int | None, PrintRow] = {}
    for row in export.rows or [None]:
        by_row[row.pk if row else None] = PrintRow(row.title if row else None, [])
    for cell in export.cells:
        by_row[cell.row.pk if cell.row else None].cells.append(cell)
    return list(by_row.values())


# --- Padlet import -----------------------------------------------------------------------

# The header names Padlet uses (English and Dutch exports) and the names people give the
# columns when they tidy a file in a spreadsheet; compared without case and punctuation.
PADLET_HEADERS: dict[str, tuple[str, ...]] = {
    "subject": ("subject", "title", "post title", "onderwerp", "titel", "kop"),
    "body": (
        "body",
        "content",
        "text",
        "post",
        "message",
        "description",
        "inhoud",
        "tekst",
        "bericht",
        "beschrijving",
    ),
    "attachment": (
        "attachment",
        "attachment url",
        "attachment link",
        "attachments",
        "link",
        "url",
        "bijlage",
        "bijlage link",
        "bijlage url",
        "bijlagen",
    ),
    "author": (
        "author",
        "author name",
        "creator",
        "posted by",
        "auteur",
        "naam",
        "maker",
        "gemaakt door",
        "geplaatst door",
    ),
    "created": (
        "created at",
        "created",
        "created on",
        "date",
        "timestamp",
        "posted at",
        "gemaakt op",
        "aangemaakt op",
        "geplaatst op",
        "datum",
        "aangemaakt",
    ),
    "section": (
        "section",
        "section title",
        "section name",
        "column",
        "group",
        "sectie",
        "sectietitel",
        "kolom",
        "groep",
        "onderdeel",
    ),
}

_DUTCH_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "jan"),
            ("februari", "feb"),
            ("maart", "mrt", "mar"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augustus", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_DUTCH_DATE = re.compile(
    r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})(?:[,\s]+(?:om\s+)?(\d{1,2})[:.](\d{2})(?::(\d{2}))?)?$"
)
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d.%m.%Y %H:%M",
    "%b %d, %Y %I:%M %p",
    "%B %d, %Y %I:%M %p",
)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass
class PadletCard:
    line: int  # the row in the spreadsheet (the header is row 1)
    section: str | None
    text: str
    link: str
    created_at: datetime | None


@dataclass
class PadletBoard:
    title: str
    sections: list[str]  # empty: a free board with one column
    cards: list[PadletCard]
    had_authors: bool = False


def _header_key(name: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", name.replace("\ufeff", "").lower()).split())


_ALIASES = {_header_key(alias): key for key, names in PADLET_HEADERS.items() for alias in names}


def _columns(header: list[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        key = _ALIASES.get(_header_key(name))
        if key:
            found.setdefault(key, []).append(index)
    return found


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise RuleViolation(_not_csv())
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RuleViolation(_not_csv())


def _not_csv() -> str:
    return _(
        "This file is not a CSV file. In Padlet, choose Share, then Export to CSV, and "
        "upload that file."
    )


def _not_padlet() -> str:
    return _(
        "This CSV file is not a Padlet export: it has no column with the text of the posts "
        "(such as Subject or Body, Onderwerp or Inhoud)."
    )


def _read_rows(text: str) -> tuple[list[str], list[list[str]]]:
    """The header and the records, with the delimiter that makes the most Padlet columns
    out of the header (Padlet writes commas; a file saved by Dutch Excel has semicolons)."""
    best: tuple[int, str] = (0, ",")
    first_line = text.split("\n", 1)[0]
    for delimiter in (",", ";", "\t"):
        try:
            header = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        score = len(_columns(header))
        if score > best[0]:
            best = (score, delimiter)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=best[1], strict=False))
    except csv.Error:
        raise RuleViolation(_not_csv()) from None
    if not records:
        raise RuleViolation(_("The file is empty."))
    return records[0], records[1:]


def _plain(value: str) -> str:
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    if _TAG.search(value):
        value = re.sub(r"(?i)<br\s*/?>", "\n", value)
        value = re.sub(r"(?i)</(p|div|h[1-6]|li|blockquote)>", "\n", value)
        value = re.sub(r"(?i)<li[^>]*>", "- ", value)
        value = html.unescape(strip_tags(value))
    value = "\n".join(line.rstrip() for line in value.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", value).strip()


def parse_time(value: str) -> datetime | None:
    """Padlet's 'Created At' in the forms seen in exports; None when it does not parse.
    A time without a zone is read as Dutch time."""
    value = " ".join((value or "").split())
    if not value:
        return None
    utc = False
    for suffix in (" UTC", " GMT", " Z"):
        if value.upper().endswith(suffix):
            value, utc = value[: -len(suffix)], True
    moment = None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        for form in _TIME_FORMATS:
            try:
                moment = datetime.strptime(value, form)
                break
            except ValueError:
                continue
    if moment is None:
        match = _DUTCH_DATE.match(value.lower())
        if match and match.group(2) in _DUTCH_MONTHS:
            day, _month, year, hour, minute, second = match.groups()
            try:
                moment = datetime(
                    int(year),
                    _DUTCH_MONTHS[match.group(2)],
                    int(day),
                    int(hour or 0),
                    int(minute or 0),
                    int(second or 0),
                )
            except ValueError:
                moment = None
    if moment is None or not (1990 <= moment.year <= 2999):
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC if utc else AMSTERDAM)
    return moment


def _link(value: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > 500 or not value.lower().startswith(("http://", "https://")):
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return ""
    return value


def _lane_title(value: str) -> str:
    title = " ".join((value or "").split())
    limit = board_services.MAX_LANE_TITLE
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def title_from_filename(filename: str) -> str:
    """'impact_break_out_room.csv' -> 'Impact break out room'."""
    stem = PurePath(filename or "").stem
    stem = re.sub(r"[-_]+", " ", stem)
    stem = " ".join(stem.split())[: board_services.MAX_TITLE]
    return (stem[:1].upper() + stem[1:]) if stem else _("Imported Padlet board")


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def parse_padlet(data: bytes, filename: str = "") -> PadletBoard:
    """Read a Padlet CSV export. Refuses with a Dutch message (RuleViolation) whatever it
    cannot use; reads nothing from the database and writes nothing."""
    if len(data) > MAX_IMPORT_BYTES:
        raise RuleViolation(
            _("The file is larger than %(max)s MB; split the board or export fewer posts.")
            % {"max": MAX_IMPORT_BYTES // (1024 * 1024)}
        )
    text = _decode(data)
    if not text.strip():
        raise RuleViolation(_("The file is empty."))
    header, records = _read_rows(text)
    columns = _columns(header)
    if "subject" not in columns and "body" not in columns:
        raise RuleViolation(_not_padlet())
    records = [r for r in records if any(value.strip() for value in r)]
    if len(records) > MAX_IMPORT_ROWS:
        raise RuleViolation(
            _("The file has %(count)s posts; a board takes at most %(max)s.")
            % {"count": _count(len(records)), "max": _count(MAX_IMPORT_ROWS)}
        )

    def first(record: list[str], key: str) -> str:
        for index in columns.get(key, []):
            if index < len(record) and record[index].strip():
                return record[index]
        return ""

    has_sections = "section" in columns
    sections: dict[str, str] = {}  # casefolded -> title, in the order they first appear
    cards: list[PadletCard] = []
    had_authors = False
    for number, record in enumerate(records, start=2):
        section = None
        if has_sections:
            section = _lane_title(first(record, "section")) or _("Without section")
            sections.setdefault(section.casefold(), section)
            section = sections[section.casefold()]
        subject, body = _plain(first(record, "subject")), _plain(first(record, "body"))
        link = ""
        for index in columns.get("attachment", []):
            link = _link(record[index]) if index < len(record) else ""
            if link:
                break
        had_authors = had_authors or bool(first(record, "author").strip())
        parts = [part for part in (subject, body) if part]
        if len(parts) == 2 and parts[0] == parts[1]:
            parts = parts[:1]
        card_text = "\n\n".join(parts) or link
        if not card_text:
            continue  # an empty post, or a file or image that cannot come along
        if len(card_text) > board_services.MAX_CARD:
            raise RuleViolation(
                _(
                    "Row %(row)s: a card can hold at most %(max)s characters; this one has "
                    "%(length)s. Shorten it in the file and try again."
                )
                % {
                    "row": number,
                    "max": _count(board_services.MAX_CARD),
                    "length": _count(len(card_text)),
                }
            )
        cards.append(
            PadletCard(number, section, card_text, link, parse_time(first(record, "created")))
        )
    if not cards:
        raise RuleViolation(_("The file holds no posts with text or a link."))
    if len(sections) > board_services.MAX_LANES:
        raise RuleViolation(
            _("The Padlet has %(count)s sections; a board has at most %(max)s columns.")
            % {"count": len(sections), "max": board_services.MAX_LANES}
        )
    return PadletBoard(
        title=title_from_filename(filename),
        sections=list(sections.values()),
        cards=cards,
        had_authors=had_authors,
    )


def read_upload(upload) -> bytes:
    """The uploaded file's bytes, refusing a file over the limit before reading it all."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_IMPORT_BYTES:
        raise RuleViolation(
            _("The file is larger than %(max)s MB; split the board or export fewer posts.")
            % {"max": MAX_IMPORT_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    return upload.read(MAX_IMPORT_BYTES + 1)


@transaction.atomic
def import_padlet(
    actor: User,
    journey: Journey,
    data: bytes,
    *,
    filename: str = "",
    title: str = "",
    anonymity: str = Board.Anonymity.CHOICE,
) -> Board:
    """A new board (in preparation) of the journey with the Padlet export's posts as
    cards: sections become columns (a free board when there are none), Subject and Body
    the text, an http(s) attachment the link, Created At the time when it parses. Every
    card is anonymous and the importing facilitator's. Nothing is stored on a refusal."""
    if not journey_board_access(actor, journey).can_facilitate:
        raise PermissionDenied(_("Only the journey's reisbegeleider imports boards."))
    padlet = parse_padlet(data, filename)
    details = board_services.BoardDetails(
        title=" ".join((title or "").split()) or padlet.title,
        anonymity=anonymity,
        layout=Board.Layout.GRID if padlet.sections else Board.Layout.FREE,
        columns=padlet.sections,
        rows=[],
    )
    board = board_services.create_board(actor, journey, details)
    columns = list(board.columns.all())
    by_section = {column.title.casefold(): column for column in columns}
    positions: dict[int, int] = {}
    now = timezone.now()
    cards = []
    for item in padlet.cards:
        column = by_section.get((item.section or "").casefold(), columns[0])
        position = positions.get(column.pk, 0)
        positions[column.pk] = position + 1
        cards.append(
            Card(
                board=board,
                column=column,
                row=None,
                position=position,
                author=actor,
                is_anonymous=True,
                body=item.text,
                link=item.link,
                status=Card.Status.VISIBLE,
                created_at=item.created_at or now,
            )
        )
    Card.objects.bulk_create(cards)
    Board.objects.filter(pk=board.pk).update(card_count=len(cards))
    board.card_count = len(cards)
    audit.record(
        actor, "board.imported", journey, board=board.pk, title=board.title, cards=len(cards)
    )
    return board
