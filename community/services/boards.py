"""The rules of live boards: making a board (from a template), its states, posting cards
named or anonymously, reactions, comments, facilitation (approval, hiding, moving,
highlighting) and taking a card further as a forum thread.

Functions take the acting user first, check permission (community.queries.boards), write
in one transaction, record an audit entry where a facilitator acts, and log each change
that participants see as a numbered board event, published after commit. A refusal
raises RuleViolation (a Dutch message) or PermissionDenied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community import audit, images
from community.models import (
    Board,
    BoardColumn,
    BoardEvent,
    BoardRow,
    Card,
    CardComment,
    CardReaction,
    Event,
    Thread,
    User,
)
from community.queries.boards import (
    BoardAccess,
    board_access,
    card_is_shown,
    journey_board_access,
)
from community.realtime import group_name, publish_on_commit
from journeys.models import Journey
from journeys.services import RuleViolation

State = Board.State
Status = Card.Status
Anonymity = Board.Anonymity

MAX_CARD = 5_000
MAX_COMMENT = 1_000
MAX_TITLE = 150
MAX_LANE_TITLE = 100
MAX_LANES = 12
MAX_IMAGE_PIXELS = 25_000_000
IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP", "image/gif": "GIF"}


class RateLimited(RuleViolation):
    """Too many cards in a short time; the view answers 429."""


@dataclass(frozen=True)
class BoardTemplate:
    key: str
    label: str
    layout: str
    columns: tuple = ()
    rows: tuple = ()
    instructions: str = ""


# The three perspectives against three prompts: the break-out session of the network.
TEMPLATES: dict[str, BoardTemplate] = {
    template.key: template
    for template in (
        BoardTemplate(
            "perspectieven",
            gettext_lazy("Three perspectives on impact"),
            Board.Layout.GRID,
            columns=(
                gettext_lazy("Residents"),
                gettext_lazy("Professionals"),
                gettext_lazy("Policy makers"),
            ),
            rows=(
                gettext_lazy("What is impact?"),
                gettext_lazy("Expectations"),
                gettext_lazy("Friction and dilemmas"),
            ),
            instructions=gettext_lazy(
                "Each group starts from a different perspective. Write what comes up in "
                "the conversation on a card in the matching cell."
            ),
        ),
        BoardTemplate(
            "tops-tips",
            gettext_lazy("Tops, tips and questions"),
            Board.Layout.GRID,
            columns=(gettext_lazy("Tops"), gettext_lazy("Tips"), gettext_lazy("Questions")),
        ),
        BoardTemplate(
            "vrij",
            gettext_lazy("Free board: one column of cards"),
            Board.Layout.FREE,
            columns=(gettext_lazy("Cards"),),
        ),
    )
}

# Which state may follow which, and who says so: always the facilitator.
TRANSITIONS = {
    State.CONCEPT: {State.OPEN},
    State.OPEN: {State.BEVROREN, State.GESLOTEN},
    State.BEVROREN: {State.OPEN, State.GESLOTEN},
    State.GESLOTEN: {State.OPEN},
}


@dataclass
class BoardDetails:
    title: str
    instructions: str = ""
    anonymity: str = Anonymity.CHOICE
    requires_approval: bool = False
    event: Event | None = None
    layout: str = Board.Layout.GRID
    columns: Sequence[str] = field(default_factory=list)
    rows: Sequence[str] = field(default_factory=list)


# --- Checks -------------------------------------------------------------------------------


def _clean_text(text: str, *, limit: int, empty: str, too_long: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise RuleViolation(empty)
    if len(text) > limit:
        raise RuleViolation(
            too_long
            % {"max": f"{limit:,}".replace(",", "."), "length": f"{len(text):,}".replace(",", ".")}
        )
    return text


def _clean_card_body(body: str) -> str:
    return _clean_text(
        body,
        limit=MAX_CARD,
        empty=_("Write something on the card."),
        too_long=_("A card can hold at most %(max)s characters; this one has %(length)s."),
    )


def _clean_link(link: str) -> str:
    link = (link or "").strip()
    if not link:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        raise RuleViolation(
            _("The link must be a web address starting with https:// or http://.")
        ) from None
    if len(link) > 500:
        raise RuleViolation(_("The link can be at most 500 characters."))
    return link


def _clean_lanes(titles: Iterable[str], *, what: str) -> list[str]:
    cleaned = [" ".join(str(t).split()) for t in titles]
    cleaned = [t for t in cleaned if t]
    if len(cleaned) > MAX_LANES:
        raise RuleViolation(
            _("A board can have at most %(max)s %(what)s.") % {"max": MAX_LANES, "what": what}
        )
    if any(len(t) > MAX_LANE_TITLE for t in cleaned):
        raise RuleViolation(
            _("The title of a column or row can be at most %(max)s characters.")
            % {"max": MAX_LANE_TITLE}
        )
    return cleaned


def clean_image(upload: UploadedFile) -> ContentFile:
    """An image by its content (not its name), within the size and pixel limits, saved
    again without its metadata: EXIF (place, camera, time) never reaches the board."""
    limit = settings.BOARD_MAX_IMAGE_BYTES
    if upload.size > limit:
        raise RuleViolation(
            _("The image is larger than %(max)s MB.") % {"max": round(limit / (1024 * 1024), 1)}
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    image_format = IMAGE_TYPES.get(kind.mime if kind else "")
    if image_format is None:
        raise RuleViolation(_("A card accepts images in PNG, JPEG, WebP or GIF only."))
    cleaned = images.reencode(
        upload,
        image_format,
        max_pixels=MAX_IMAGE_PIXELS,
        too_many_pixels=_("The image has too many pixels; make it smaller."),
        unreadable=_("This image cannot be read; try another file."),
    )
    return ContentFile(cleaned, name=f"kaart.{image_format.lower()}")


def _check_rate(actor: User) -> None:
    since = timezone.now() - timedelta(minutes=1)
    recent = Card.objects.filter(author=actor, created_at__gte=since).count()
    if recent >= settings.BOARD_CARDS_PER_MINUTE:
        raise RateLimited(_("You are adding cards very quickly. Wait a minute and try again."))


def _anonymous(board: Board, wanted: bool) -> bool:
    if board.anonymity == Anonymity.ANONYMOUS:
        return True
    if board.anonymity == Anonymity.NAMED:
        return False
    return bool(wanted)


def _facilitate(actor: User, board: Board) -> BoardAccess:
    access = board_access(actor, board)
    if not access.can_facilitate:
        raise PermissionDenied(_("Only the journey's reisbegeleider facilitates this board."))
    return access


def _locked_board(board: Board) -> Board:
    # One writer at a time per board: sequence numbers follow commit order. Only the board's
    # row is locked (of=self), not its journey's, which other features write.
    return Board.objects.select_for_update(of=("self",)).select_related("journey").get(pk=board.pk)


# --- Live events --------------------------------------------------------------------------


def card_data(card: Card) -> dict:
    """What every participant may know of a visible card. No author for an anonymous card;
    no author id ever."""
    counts = getattr(card, "reaction_counts", None)
    if counts is None:
        counts = {}
        for reaction in card.reactions.all():
            counts[reaction.kind] = counts.get(reaction.kind, 0) + 1
    return {
        "id": card.pk,
        "column": card.column_id,
        "row": card.row_id,
        "position": card.position,
        "text": card.body,
        "link": card.link,
        "has_image": bool(card.image),
        "image_alt": card.image_alt,
        "author": card.author_name,
        "anonymous": card.is_anonymous,
        "highlighted": card.is_highlighted,
        "reactions": counts,
        "comments": card.comment_count,
    }


def _visible_cards(board: Board, card_ids) -> dict[int, Card]:
    """The visible cards among `card_ids`, with their reaction counts, in one query."""
    kinds = CardReaction.Kind.values
    cards = (
        Card.objects.filter(pk__in=card_ids, board=board, status=Status.VISIBLE)
        .select_related("author")
        .annotate(
            **{
                f"reactions_{i}": Count("reactions", filter=Q(reactions__kind=kind))
                for i, kind in enumerate(kinds)
            }
        )
    )
    found = {}
    for card in cards:
        card.reaction_counts = {
            kind: getattr(card, f"reactions_{i}")
            for i, kind in enumerate(kinds)
            if getattr(card, f"reactions_{i}")
        }
        found[card.pk] = card
    return found


def event_payloads(board: Board, events: Sequence[BoardEvent]) -> list[dict]:
    """The messages for these log entries, built from the current state: a card that is
    no longer visible is 'removed', whatever happened to it then. One query for the cards,
    however long the log."""
    card_ids = sorted({e.card_id for e in events if e.card_id})
    cards = _visible_cards(board, card_ids) if card_ids else {}
    payloads = []
    for event in events:
        base = {"board": board.pk, "seq": event.seq}
        if event.kind == "card":
            card = cards.get(event.card_id)
            if card is None:
                payloads.append(
                    {"type": "board.card", "op": "removed", "card": {"id": event.card_id}, **base}
                )
            else:
                payloads.append(
                    {"type": "board.card", "op": event.op, "card": card_data(card), **base}
                )
        else:
            payloads.append(
                {
                    "type": "board.state",
                    "op": event.op,
                    "state": board.state,
                    "requires_approval": board.requires_approval,
                    "anonymity": board.anonymity,
                    **base,
                }
            )
    return payloads


def events_after(board: Board, after: int) -> list[dict]:
    """Everything a client that saw up to `after` has missed, in order: one query for the
    log, one for the cards it names."""
    # The board comes along with the log (a join, no query of its own): state events say
    # what the board is now, even when the caller's board object is older.
    events = list(
        BoardEvent.objects.filter(board_id=board.pk, seq__gt=after)
        .select_related("board")
        .order_by("seq")
    )
    return event_payloads(events[0].board if events else board, events)


def board_group(board_id: int) -> str:
    return group_name("board", board_id)


def facilitator_group(board_id: int) -> str:
    return group_name("board", board_id, "facilitators")


def _log(board: Board, kind: str, op: str, card: Card | None = None, *, card_id=None) -> None:
    """Number the change and publish it to everyone on the board after commit. The caller
    holds the board's lock (_locked_board): numbers follow the order of commits."""
    Board.objects.filter(pk=board.pk).update(last_seq=F("last_seq") + 1)
    board.refresh_from_db(fields=["last_seq", "state", "requires_approval", "anonymity"])
    event = BoardEvent.objects.create(
        board=board,
        seq=board.last_seq,
        kind=kind,
        op=op,
        card_id=card.pk if card is not None else card_id,
    )
    (payload,) = event_payloads(board, [event])
    publish_on_commit(board_group(board.pk), payload)


def _review(board: Board, card_id: int) -> None:
    """Tell the facilitators (only the id) that a card they see and others do not changed."""
    publish_on_commit(
        facilitator_group(board.pk),
        {"type": "board.card", "op": "review", "board": board.pk, "card": {"id": card_id}},
    )


def _card_changed(board: Board, card: Card, op: str, *, was_visible: bool) -> None:
    """Participants hear of a change to a card they see or saw; facilitators also of
    cards waiting for approval or hidden (only the card's id)."""
    if card.status == Status.VISIBLE or was_visible:
        _log(board, "card", op, card)
    if card.status != Status.VISIBLE:
        _review(board, card.pk)


# --- Boards -------------------------------------------------------------------------------


def _check_details(details: BoardDetails, journey: Journey) -> BoardDetails:
    details.title = " ".join((details.title or "").split())
    if not details.title:
        raise RuleViolation(_("Give the board a title."))
    if len(details.title) > MAX_TITLE:
        raise RuleViolation(_("A title can be at most %(max)s characters.") % {"max": MAX_TITLE})
    details.instructions = (details.instructions or "").strip()
    if len(details.instructions) > MAX_CARD:
        raise RuleViolation(
            _("The instructions can be at most %(max)s characters.")
            % {"max": f"{MAX_CARD:,}".replace(",", ".")}
        )
    if details.anonymity not in Anonymity.values:
        raise RuleViolation(_("Choose how names are shown on cards."))
    if details.event is not None and details.event.journey_id != journey.pk:
        raise RuleViolation(_("A board can only belong to a meeting of its own journey."))
    return details


@transaction.atomic
def create_board(
    actor: User, journey: Journey, details: BoardDetails, *, template: str | None = None
) -> Board:
    if not journey_board_access(actor, journey).can_facilitate:
        raise PermissionDenied(_("Only the journey's reisbegeleider makes boards."))
    if template:
        chosen = TEMPLATES.get(template)
        if chosen is None:
            raise RuleViolation(_("Choose one of the templates."))
        details.layout = chosen.layout
        details.columns = details.columns or [str(c) for c in chosen.columns]
        details.rows = details.rows or [str(r) for r in chosen.rows]
        details.instructions = details.instructions or str(chosen.instructions)
    details = _check_details(details, journey)
    if details.layout not in Board.Layout.values:
        raise RuleViolation(_("Choose a layout."))
    columns = _clean_lanes(details.columns, what=_("columns"))
    rows = _clean_lanes(details.rows, what=_("rows"))
    if details.layout == Board.Layout.FREE:
        columns, rows = columns[:1] or [_("Cards")], []
    if not columns:
        raise RuleViolation(_("Give the board at least one column."))
    board = Board.objects.create(
        journey=journey,
        event=details.event,
        title=details.title,
        instructions=details.instructions,
        layout=details.layout,
        anonymity=details.anonymity,
        requires_approval=details.requires_approval,
        created_by=actor,
    )
    BoardColumn.objects.bulk_create(
        BoardColumn(board=board, title=title, position=i) for i, title in enumerate(columns)
    )
    BoardRow.objects.bulk_create(
        BoardRow(board=board, title=title, position=i) for i, title in enumerate(rows)
    )
    audit.record(actor, "board.created", journey, board=board.pk, title=board.title)
    return board


@transaction.atomic
def update_board(actor: User, board: Board, details: BoardDetails) -> Board:
    board = _locked_board(board)
    _facilitate(actor, board)
    details = _check_details(details, board.journey)
    board.title = details.title
    board.instructions = details.instructions
    board.anonymity = details.anonymity
    board.requires_approval = details.requires_approval
    board.event = details.event
    board.save()
    audit.record(actor, "board.updated", board.journey, board=board.pk, title=board.title)
    _log(board, "board", "settings")
    return board


@transaction.atomic
def set_state(actor: User, board: Board, state: str) -> Board:
    board = _locked_board(board)
    _facilitate(actor, board)
    if state not in TRANSITIONS.get(board.state, set()):
        raise RuleViolation(
            _("A board that is %(old)s cannot become %(new)s.")
            % {
                "old": board.get_state_display(),
                "new": dict(State.choices).get(state, state),
            }
        )
    old = board.state
    board.state = state
    board.save(update_fields=["state", "updated_at"])
    audit.record(
        actor,
        "board.state_changed",
        board.journey,
        board=board.pk,
        title=board.title,
        old=old,
        new=state,
    )
    _log(board, "board", state)
    return board


# --- Cards --------------------------------------------------------------------------------


def _number(value) -> int | None:
    """A whole number from a form or a client, or None (never an exception)."""
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def _lane(board: Board, column_id, row_id) -> tuple[BoardColumn, BoardRow | None]:
    column_id, row_id = _number(column_id), _number(row_id)
    column = board.columns.filter(pk=column_id).first() if column_id else None
    if column is None:
        raise RuleViolation(_("Choose a column on this board."))
    rows = board.rows.all()
    if not rows.exists():
        return column, None
    row = rows.filter(pk=row_id).first() if row_id else None
    if row is None:
        raise RuleViolation(_("Choose a row on this board."))
    return column, row


def _next_position(board: Board, column: BoardColumn, row: BoardRow | None) -> int:
    last = (
        Card.objects.filter(board=board, column=column, row=row)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return 0 if last is None else last + 1


@transaction.atomic
def post_card(
    actor: User,
    board: Board,
    *,
    body: str,
    column_id: int | None,
    row_id: int | None = None,
    anonymous: bool = False,
    link: str = "",
    image: UploadedFile | None = None,
    image_alt: str = "",
) -> Card:
    board = _locked_board(board)
    access = board_access(actor, board)
    if not access.can_see:
        raise PermissionDenied(_("You cannot post on this board."))
    if not board.accepts_cards:
        raise RuleViolation(
            _("This board is frozen: no new cards.")
            if board.state == State.BEVROREN
            else _("This board is closed: no new cards.")
        )
    if not access.can_post:
        raise PermissionDenied(_("Only members of the journey post cards on its boards."))
    body = _clean_card_body(body)
    link = _clean_link(link)
    column, row = _lane(board, column_id, row_id)
    picture = clean_image(image) if image else None
    image_alt = " ".join((image_alt or "").split())[:200]
    if picture is not None and not image_alt:
        raise RuleViolation(_("Describe the image in a few words for those who cannot see it."))
    # Facilitators seed and import cards in bulk and moderate the board: no limit for them.
    if not access.can_facilitate:
        _check_rate(actor)
    card = Card(
        board=board,
        column=column,
        row=row,
        position=_next_position(board, column, row),
        author=actor,
        is_anonymous=_anonymous(board, anonymous),
        body=body,
        link=link,
        image_alt=image_alt if picture else "",
        status=(
            Status.PENDING
            if board.requires_approval and not access.can_facilitate
            else Status.VISIBLE
        ),
    )
    if picture is not None:
        card.image.save(picture.name, picture, save=False)
    card.save()
    if card.status == Status.VISIBLE:
        Board.objects.filter(pk=board.pk).update(card_count=F("card_count") + 1)
    _card_changed(board, card, "created", was_visible=False)
    return card


def _close_ranks(board: Board, column_id: int, row_id: int | None) -> None:
    """Positions stay 0..n-1 in a cell that a card left."""
    cards = list(
        Card.objects.filter(board=board, column_id=column_id, row_id=row_id)
        .only("pk", "position")
        .order_by("position", "pk")
    )
    changed = []
    for index, item in enumerate(cards):
        if item.position != index:
            item.position = index
            changed.append(item)
    Card.objects.bulk_update(changed, ["position"])


def _card_for_update(card: Card) -> tuple[Board, Card]:
    """The board, locked, and the card as it is now (another request may have changed or
    deleted it since the caller read it)."""
    board = _locked_board(card.board)
    current = Card.objects.select_related("author").filter(pk=card.pk, board=board).first()
    if current is None:
        raise RuleViolation(_("This card no longer exists."))
    return board, current


def _may_change_own(actor: User, board: Board, card: Card) -> BoardAccess:
    access = board_access(actor, board)
    if not (actor.is_authenticated and card.author_id == actor.pk and card_is_shown(card, access)):
        raise PermissionDenied(_("Only the author changes a card."))
    if not board.accepts_cards:
        raise RuleViolation(_("This board is frozen or closed: cards stay as they are."))
    return access


@transaction.atomic
def edit_card(actor: User, card: Card, *, body: str, link: str | None = "") -> Card:
    """The author changes the text (and the link; None keeps it). On a board that needs
    approval, a changed text waits for approval again: the facilitator approved the old one."""
    board, card = _card_for_update(card)
    access = _may_change_own(actor, board, card)
    card.body = _clean_card_body(body)
    if link is not None:
        card.link = _clean_link(link)
    card.edited_at = timezone.now()
    was_visible = card.status == Status.VISIBLE
    if was_visible and board.requires_approval and not access.can_facilitate:
        card.status = Status.PENDING
        Board.objects.filter(pk=board.pk).update(card_count=F("card_count") - 1)
    card.save(update_fields=["body", "link", "edited_at", "status"])
    _card_changed(board, card, "updated", was_visible=was_visible)
    return card


@transaction.atomic
def delete_card(actor: User, card: Card) -> None:
    """The author deletes their own card; the facilitator may delete any card. Participants
    who saw it hear 'removed' (logged as 'deleted'); facilitators hear of a waiting or hidden
    card by id."""
    board, card = _card_for_update(card)
    access = board_access(actor, board)
    if not access.can_facilitate:
        _may_change_own(actor, board, card)
    was_visible = card.status == Status.VISIBLE
    if access.can_facilitate and card.author_id != actor.pk:
        audit.record(actor, "board.card_deleted", board.journey, board=board.pk, title=board.title)
    card_id, image = card.pk, card.image.name if card.image else ""
    card.delete()
    _close_ranks(board, card.column_id, card.row_id)
    if image:
        # The file goes only when the deletion is committed.
        storage = card.image.storage
        transaction.on_commit(lambda: storage.delete(image), robust=True)
    if was_visible:
        Board.objects.filter(pk=board.pk).update(card_count=F("card_count") - 1)
        _log(board, "card", "deleted", card_id=card_id)
    else:
        _review(board, card_id)


@transaction.atomic
def set_card_status(actor: User, card: Card, status: str) -> Card:
    """Approve a waiting card, hide a card, or show a hidden one again."""
    board, card = _card_for_update(card)
    _facilitate(actor, board)
    if status not in (Status.VISIBLE, Status.HIDDEN):
        raise RuleViolation(_("A card can only be shown or hidden."))
    if card.status == status:
        return card
    was_visible = card.status == Status.VISIBLE
    old = card.status
    card.status = status
    card.save(update_fields=["status"])
    change = 1 if status == Status.VISIBLE else -1 if was_visible else 0
    if change:
        Board.objects.filter(pk=board.pk).update(card_count=F("card_count") + change)
    action = {
        (Status.PENDING, Status.VISIBLE): "board.card_approved",
        (Status.HIDDEN, Status.VISIBLE): "board.card_shown",
    }.get((old, status), "board.card_hidden")
    audit.record(actor, action, board.journey, board=board.pk, title=board.title)
    op = "created" if status == Status.VISIBLE else "hidden"
    _card_changed(board, card, op, was_visible=was_visible)
    return card


@transaction.atomic
def move_card(
    actor: User,
    card: Card,
    *,
    column_id: int,
    row_id: int | None = None,
    position: int | None = None,
) -> Card:
    """Put a card in another cell, or at `position` in its cell (0 is the top)."""
    board, card = _card_for_update(card)
    _facilitate(actor, board)
    column, row = _lane(board, column_id, row_id)
    if position is not None:
        position = _number(position)
        if position is None:
            raise RuleViolation(_("Choose a place in the cell."))
    old_cell = (card.column_id, card.row_id)
    others = list(
        Card.objects.filter(board=board, column=column, row=row)
        .exclude(pk=card.pk)
        .order_by("position", "pk")
    )
    place = len(others) if position is None else max(0, min(position, len(others)))
    others.insert(place, card)
    card.column, card.row = column, row
    changed = []
    for index, item in enumerate(others):
        if item.position != index or item.pk == card.pk:
            item.position = index
            changed.append(item)
    Card.objects.bulk_update(changed, ["position", "column", "row"])
    if old_cell != (column.pk, row.pk if row else None):
        _close_ranks(board, *old_cell)
    audit.record(actor, "board.card_moved", board.journey, board=board.pk, title=board.title)
    _card_changed(board, card, "moved", was_visible=card.status == Status.VISIBLE)
    return card


@transaction.atomic
def highlight_card(actor: User, card: Card, value: bool) -> Card:
    board, card = _card_for_update(card)
    _facilitate(actor, board)
    if card.is_highlighted == bool(value):
        return card
    card.is_highlighted = bool(value)
    card.save(update_fields=["is_highlighted"])
    audit.record(
        actor,
        "board.card_highlighted",
        board.journey,
        board=board.pk,
        title=board.title,
        value=card.is_highlighted,
    )
    _card_changed(board, card, "highlighted", was_visible=card.status == Status.VISIBLE)
    return card


def _may_respond(actor: User, board: Board, card: Card) -> None:
    access = board_access(actor, board)
    if not card_is_shown(card, access) or card.status != Status.VISIBLE:
        raise PermissionDenied(_("You cannot respond to this card."))
    if not board.accepts_cards:
        raise RuleViolation(_("This board is frozen or closed: no new reactions."))
    if not access.can_post:
        raise PermissionDenied(_("Only members of the journey respond to cards."))


@transaction.atomic
def toggle_reaction(actor: User, card: Card, kind: str) -> bool:
    """Add the reaction, or take it back when it was there. True when it is there now."""
    board, card = _card_for_update(card)
    _may_respond(actor, board, card)
    if kind not in CardReaction.Kind.values:
        raise RuleViolation(_("Choose one of the reactions."))
    existing = CardReaction.objects.filter(card=card, user=actor, kind=kind)
    if existing.exists():
        existing.delete()
        Card.objects.filter(pk=card.pk).update(reaction_count=F("reaction_count") - 1)
        added = False
    else:
        CardReaction.objects.create(card=card, user=actor, kind=kind)
        Card.objects.filter(pk=card.pk).update(reaction_count=F("reaction_count") + 1)
        added = True
    _card_changed(board, card, "reacted", was_visible=True)
    return added


@transaction.atomic
def add_comment(actor: User, card: Card, *, body: str, anonymous: bool = False) -> CardComment:
    board, card = _card_for_update(card)
    _may_respond(actor, board, card)
    body = _clean_text(
        body,
        limit=MAX_COMMENT,
        empty=_("Write a comment first."),
        too_long=_("A comment can hold at most %(max)s characters; this one has %(length)s."),
    )
    comment = CardComment.objects.create(
        card=card, author=actor, is_anonymous=_anonymous(board, anonymous), body=body
    )
    Card.objects.filter(pk=card.pk).update(comment_count=F("comment_count") + 1)
    card.refresh_from_db(fields=["comment_count"])
    _card_changed(board, card, "commented", was_visible=True)
    return comment


@transaction.atomic
def delete_comment(actor: User, comment: CardComment) -> None:
    """The author removes their own comment while the board is open; the facilitator any."""
    board, card = _card_for_update(comment.card)
    access = board_access(actor, board)
    own = actor.is_authenticated and comment.author_id == actor.pk and access.can_see
    if not (own or access.can_facilitate):
        raise PermissionDenied(_("Only the author or the facilitator removes a comment."))
    if not access.can_facilitate and not board.accepts_cards:
        raise RuleViolation(_("This board is frozen or closed: comments stay as they are."))
    deleted, _rows = CardComment.objects.filter(pk=comment.pk, card=card).delete()
    if not deleted:
        return  # removed meanwhile (a second click): counted once
    Card.objects.filter(pk=card.pk).update(comment_count=F("comment_count") - 1)
    card.refresh_from_db(fields=["comment_count"])
    _card_changed(board, card, "commented", was_visible=card.status == Status.VISIBLE)


# --- From talk to learning ----------------------------------------------------------------


@transaction.atomic
def card_to_thread(actor: User, card: Card, *, title: str = "") -> Thread:
    """Start a thread in the journey's forum from a card, linked both ways. The thread is
    the facilitator's: an anonymous card stays anonymous there too."""
    from community.services import forum

    board, card = _card_for_update(card)
    _facilitate(actor, board)
    if card.status != Status.VISIBLE:
        raise RuleViolation(_("Only a visible card can be taken further."))
    if card.thread_id:
        raise RuleViolation(_("This card already has a thread in the forum."))
    title = " ".join((title or "").split()) or " ".join(card.body.split())[:80]
    quoted = "\n".join(f"> {line}" if line else ">" for line in card.body.splitlines())
    who = card.author_name or _("anonymous")
    body = _("From the board [%(board)s](%(url)s), a card by %(who)s:") % {
        "board": board.title.replace("]", ""),
        "url": board.get_absolute_url(),
        "who": who,
    }
    thread = forum.start_thread(
        actor, title=title, body=f"{body}\n\n{quoted}", journey=board.journey
    )
    card.thread = thread
    card.save(update_fields=["thread"])
    audit.record(
        actor,
        "board.card_to_thread",
        board.journey,
        board=board.pk,
        title=board.title,
        thread=thread.pk,
    )
    _card_changed(board, card, "updated", was_visible=True)
    return thread
