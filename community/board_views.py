"""The board pages under each journey: the list (/reizen/<slug>/borden/), a new board, its
settings, and the board itself with its cards; every card action is a plain form POST.

Views are thin: who may see and do what comes from community.queries.boards (a board
nobody may know of is a 404, like a besloten journey's), the rules from
community.services.boards. A refused rule shows the board again with the message,
status 400 (429 when someone posts too fast), and nothing is stored.

Every POST answers a fetch() (X-Requested-With, or an Accept header asking for a
fragment) with the card's HTML, which boards.js puts in place; a plain form post is
redirected back to the board at the card (#kaart-<id>) with a message.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from community.board_forms import (
    IMAGE_TYPES,
    BoardSettingsForm,
    CardEditForm,
    CardForm,
    CardStatusForm,
    CommentForm,
    MoveForm,
    NewBoardForm,
    ReactionForm,
    StateForm,
    ThreadTitleForm,
)
from community.limits import limited
from community.models import Board, Card, CardComment, CardReaction
from community.queries.boards import (
    BoardAccess,
    board_access,
    boards_of,
    card_is_shown,
    cards_for_page,
    journey_board_access,
    participant_count,
)
from community.services import boards as board_services
from community.services import forum as forum_services
from journeys.models import Journey
from journeys.queries import Access, journey_for
from journeys.services import RuleViolation

State = Board.State
Status = Card.Status
TAB = "borden"
EN_DASH = " \u2013 "
SENTINEL = 987654321  # stands in for a card's id in the reversed action addresses

# Which state each facilitation button leads to, and the states it is offered in.
STATE_ACTIONS = [
    ("open", State.OPEN, (State.CONCEPT,)),
    ("reopen", State.OPEN, (State.BEVROREN, State.GESLOTEN)),
    ("freeze", State.BEVROREN, (State.OPEN,)),
    ("close", State.GESLOTEN, (State.OPEN, State.BEVROREN)),
]


# --- Where we are -------------------------------------------------------------------------


@dataclass
class Place:
    """The journey and board of a request, with what the visitor may do there."""

    journey: Journey
    access: Access
    board: Board
    board_access: BoardAccess
    # Contributes to the journey's boards at all: the forms are shown (disabled while the
    # board is frozen or closed, so they come back when it opens again).
    may_contribute: bool

    @property
    def url(self) -> str:
        return reverse("community:board", args=[self.journey.slug, self.board.pk])

    def card_url(self, card_id: int) -> str:
        return f"{self.url}#kaart-{card_id}"


def _place(request: HttpRequest, slug: str, board_id: int) -> Place:
    journey, access = journey_for(request.user, slug)  # 404 for a besloten journey
    board = Board.objects.select_related("event").filter(pk=board_id, journey=journey).first()
    if board is None:
        raise Http404
    board.journey = journey
    shown = board_access(request.user, board, access)
    if not shown.can_see:
        raise Http404
    general = journey_board_access(request.user, journey, access)
    return Place(journey, access, board, shown, general.can_post)


def _card(place: Place, card_id: int) -> Card:
    """The card, or 404 when this visitor may not see it."""
    card = Card.objects.select_related("author").filter(pk=card_id, board=place.board).first()
    if card is None or not card_is_shown(card, place.board_access):
        raise Http404
    card.board = place.board
    return card


def _is_fetch(request: HttpRequest) -> bool:
    return bool(request.headers.get("X-Requested-With")) or "fragment" in request.headers.get(
        "Accept", ""
    )


def _signed_in(request: HttpRequest, place: Place) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(place.url)
    return None


def _refusal_status(refused: RuleViolation) -> int:
    limited = (board_services.RateLimited, forum_services.RateLimited)
    return 429 if isinstance(refused, limited) else 400


# --- Cards as the page shows them --------------------------------------------------------


class CardUrls:
    """Every action address of a card, reversed once per page and filled in per card."""

    NAMES = (
        "card",
        "card_edit",
        "card_delete",
        "card_react",
        "card_comment",
        "card_status",
        "card_move",
        "card_highlight",
        "card_to_thread",
        "card_image",
    )

    def __init__(self, place: Place):
        args = [place.journey.slug, place.board.pk, SENTINEL]
        self.templates = {name: reverse(f"community:{name}", args=args) for name in self.NAMES}
        self.comment_delete = reverse(
            "community:comment_delete", args=[place.journey.slug, place.board.pk, SENTINEL]
        )
        self.thread = reverse("community:journey_thread", args=[place.journey.slug, SENTINEL])

    def of(self, card: Card) -> dict[str, str]:
        ident = str(card.pk)
        urls = {
            name.removeprefix("card_") if name != "card" else "fragment": url.replace(
                str(SENTINEL), ident
            )
            for name, url in self.templates.items()
        }
        if card.thread_id:
            urls["thread"] = self.thread.replace(str(SENTINEL), str(card.thread_id))
        return urls


def _cells(columns, rows) -> list[dict]:
    """Every cell of the grid, in reading order, with its label and form value."""
    cells = []
    for row in rows or [None]:
        for column in columns:
            label = f"{column.title}{EN_DASH}{row.title}" if row else column.title
            cells.append(
                {
                    "column": column,
                    "row": row,
                    "key": f"{column.pk}:{row.pk if row else ''}",
                    "label": label,
                    "ident": f"{column.pk}-{row.pk if row else 0}",
                }
            )
    return cells


def _decorate(card: Card, place: Place, urls: CardUrls, cell_labels: dict) -> None:
    """What one card shows this visitor, computed from what cards_for_page loaded."""
    user_id = place.board_access.user_id
    counts: dict[str, int] = defaultdict(int)
    for reaction in card.reactions.all():
        counts[reaction.kind] += 1
    mine = {reaction.kind for reaction in getattr(card, "my_reactions", [])}
    card.reaction_list = [
        {"kind": kind, "label": label, "count": counts[kind], "mine": kind in mine}
        for kind, label in CardReaction.Kind.choices
    ]
    card.urls = urls.of(card)
    card.cell_key = f"{card.column_id}:{card.row_id or ''}"
    card.cell_label = cell_labels.get(card.cell_key, "")
    card.is_mine = bool(user_id) and card.author_id == user_id
    card.may_change = card.is_mine and place.board.accepts_cards
    card.may_respond = place.may_contribute and card.status == Status.VISIBLE
    facilitates = place.board_access.can_facilitate
    card.comment_list = list(card.comments.all())
    for comment in card.comment_list:
        comment.may_delete = bool(user_id) and (facilitates or comment.author_id == user_id)
        comment.delete_url = urls.comment_delete.replace(str(SENTINEL), str(comment.pk))


def _card_context(place: Place, cells: list[dict] | None = None) -> dict:
    board = place.board
    if cells is None:
        cells = _cells(list(board.columns.all()), list(board.rows.all()))
    return {
        "journey": place.journey,
        "board": board,
        "place": place,
        "facilitates": place.board_access.can_facilitate,
        "may_contribute": place.may_contribute,
        "accepting": board.accepts_cards,
        "choose_anonymity": board.anonymity == Board.Anonymity.CHOICE,
        "cells": cells,
        "image_types": IMAGE_TYPES,
        "image_limit_mb": round(settings.BOARD_MAX_IMAGE_BYTES / (1024 * 1024), 1),
    }


def _fragment(request: HttpRequest, place: Place, card_id: int, *, status: int = 200):
    """The card as the board shows it to this visitor; 404 when they may not see it."""
    card = cards_for_page(place.board, place.board_access).filter(pk=card_id).first()
    if card is None:
        raise Http404
    context = _card_context(place)
    _decorate(
        card, place, CardUrls(place), {cell["key"]: cell["label"] for cell in context["cells"]}
    )
    context["card"] = card
    return render(request, "community/boards/includes/card.html", context, status=status)


# --- The board page -----------------------------------------------------------------------


BANNERS = {
    State.CONCEPT: gettext_lazy(
        "In preparation: only the facilitators see this board. Open it when participants "
        "may write on it."
    ),
    State.OPEN: gettext_lazy("Open: add your cards and react to those of others."),
    State.BEVROREN: gettext_lazy(
        "Frozen: you can read the board, but nobody can add cards, reactions or comments."
    ),
    State.GESLOTEN: gettext_lazy("Closed: the board stays readable, nothing can be added."),
}


def _error_anchor(error: dict, cells: list[dict]) -> str:
    """Where the form that failed is, for the link in the error summary."""
    if error.get("target") == "card":
        for cell in cells:
            if cell["key"] == error.get("cell"):
                return f"#kaart-{cell['ident']}-tekst"
    if error.get("target") == "comment":
        return f"#opmerking-{error['card']}"
    if error.get("card"):
        return f"#kaart-{error['card']}"
    return ""


def _render_board(request: HttpRequest, place: Place, *, error: dict | None = None, status=200):
    board = place.board
    columns, rows = list(board.columns.all()), list(board.rows.all())
    cells = _cells(columns, rows)
    labels = {cell["key"]: cell["label"] for cell in cells}
    urls = CardUrls(place)
    cards = list(cards_for_page(board, place.board_access))
    error = error or {}
    by_cell: dict[str, list[Card]] = defaultdict(list)
    for card in cards:
        _decorate(card, place, urls, labels)
        if error.get("card") == card.pk:
            card.comment_error = error if error.get("target") == "comment" else None
            card.action_error = error if error.get("target") == "card-action" else None
        by_cell[card.cell_key].append(card)
    for cell in cells:
        cell["cards"] = by_cell.get(cell["key"], [])
        if error.get("target") == "card" and error.get("cell") == cell["key"]:
            cell["error"] = error
    grid = [
        {"row": row, "cells": [cell for cell in cells if cell["row"] is row]}
        for row in (rows or [None])
    ]
    facilitates = place.board_access.can_facilitate
    slug = place.journey.slug
    context = {
        **_card_context(place, cells),
        "access": place.access,
        "tab": TAB,
        "grid": grid,
        "has_rows": bool(rows),
        "error": error,
        "error_anchor": _error_anchor(error, cells),
        "banners": {state: str(text) for state, text in BANNERS.items()},
        "banner": str(BANNERS[board.state]),
        "state_actions": [
            {"key": key, "state": state, "from": " ".join(sources), "shown": board.state in sources}
            for key, state, sources in STATE_ACTIONS
        ],
        "pending": [card for card in cards if card.status == Status.PENDING] if facilitates else [],
        "participants": participant_count(board) if facilitates else None,
        "boards_url": reverse("community:journey_boards", args=[slug]),
        "fragment_url": reverse("community:card", args=[slug, board.pk, SENTINEL]),
        "sentinel": SENTINEL,
        "ws_path": f"/ws/borden/{board.pk}/",
        "export_urls": {
            "csv": reverse("community:board_csv", args=[slug, board.pk]),
            "markdown": reverse("community:board_markdown", args=[slug, board.pk]),
            "print": reverse("community:board_print", args=[slug, board.pk]),
        },
    }
    return render(request, "community/boards/board.html", context, status=status)


def _refused(request: HttpRequest, place: Place, refused: RuleViolation, **where) -> HttpResponse:
    """A refused action: for fetch() the message alone, otherwise the board again with the
    message next to the form it came from."""
    status = _refusal_status(refused)
    if _is_fetch(request):
        html = render_to_string(
            "community/boards/includes/refused.html", {"message": str(refused)}, request
        )
        return HttpResponse(html, status=status)
    return _render_board(request, place, error={"message": str(refused), **where}, status=status)


def _done(request: HttpRequest, place: Place, card_id: int | None, message: str) -> HttpResponse:
    """After an action: the card's fragment for fetch(), else back to the card."""
    if _is_fetch(request):
        if card_id is None:
            return HttpResponse(status=204)
        return _fragment(request, place, card_id)
    messages.success(request, message)
    return redirect(place.card_url(card_id) if card_id else place.url)


def board(request: HttpRequest, slug: str, board_id: int) -> HttpResponse:
    return _render_board(request, _place(request, slug, board_id))


# --- The list and the settings -------------------------------------------------------------


def journey_boards(request: HttpRequest, slug: str) -> HttpResponse:
    journey, access = journey_for(request.user, slug)
    general = journey_board_access(request.user, journey, access)
    boards = list(boards_of(request.user, journey, general))
    return render(
        request,
        "community/boards/list.html",
        {
            "journey": journey,
            "access": access,
            "tab": TAB,
            "boards": boards,
            "facilitates": general.can_facilitate,
        },
    )


def _facilitator_only(request: HttpRequest, journey: Journey, access: Access):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not journey_board_access(request.user, journey, access).can_facilitate:
        raise PermissionDenied(_("Only the journey's reisbegeleider makes boards."))
    return None


def _settings_page(request, journey, access, form, *, board=None, status=200) -> HttpResponse:
    return render(
        request,
        "community/boards/board_form.html",
        {
            "journey": journey,
            "access": access,
            "tab": TAB,
            "form": form,
            "board": board,
            "back_url": board.get_absolute_url()
            if board
            else reverse("community:journey_boards", args=[journey.slug]),
        },
        status=status,
    )


def board_new(request: HttpRequest, slug: str) -> HttpResponse:
    journey, access = journey_for(request.user, slug)
    if refused := _facilitator_only(request, journey, access):
        return refused
    if request.method != "POST":
        return _settings_page(request, journey, access, NewBoardForm(journey=journey))
    form = NewBoardForm(request.POST, journey=journey)
    if form.is_valid():
        try:
            new = board_services.create_board(
                request.user, journey, form.details(), template=form.chosen_template()
            )
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _(
                    "The board is ready. Try it out, then open it when participants may "
                    "write on it."
                ),
            )
            return redirect(reverse("community:board", args=[journey.slug, new.pk]))
    return _settings_page(request, journey, access, form, status=400)


def board_edit(request: HttpRequest, slug: str, board_id: int) -> HttpResponse:
    place = _place(request, slug, board_id)
    if refused := _signed_in(request, place):
        return refused
    if not place.board_access.can_facilitate:
        raise PermissionDenied(_("Only the journey's reisbegeleider facilitates this board."))
    journey, board = place.journey, place.board
    if request.method != "POST":
        form = BoardSettingsForm(initial=BoardSettingsForm.initial_for(board), journey=journey)
        return _settings_page(request, journey, place.access, form, board=board)
    form = BoardSettingsForm(request.POST, journey=journey)
    if form.is_valid():
        try:
            board_services.update_board(request.user, board, form.details())
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The board's settings are saved."))
            return redirect(place.url)
    return _settings_page(request, journey, place.access, form, board=board, status=400)


STATE_MESSAGES = {
    State.OPEN: gettext_lazy("The board is open: participants can add cards."),
    State.BEVROREN: gettext_lazy(
        "The board is frozen: everyone can read it, nobody can add to it."
    ),
    State.GESLOTEN: gettext_lazy("The board is closed: it stays readable."),
}


@require_POST
def board_state(request: HttpRequest, slug: str, board_id: int) -> HttpResponse:
    place = _place(request, slug, board_id)
    if refused := _signed_in(request, place):
        return refused
    form = StateForm(request.POST)
    try:
        if not form.is_valid():
            raise RuleViolation(_("Choose what happens to the board."))
        new = board_services.set_state(request.user, place.board, form.cleaned_data["state"])
    except RuleViolation as refused:
        return _refused(request, place, refused, target="state")
    place.board = new
    return _done(request, place, None, str(STATE_MESSAGES[new.state]))


# --- Cards ---------------------------------------------------------------------------------


@limited("card")
@require_POST
def card_post(request: HttpRequest, slug: str, board_id: int) -> HttpResponse:
    place = _place(request, slug, board_id)
    if refused := _signed_in(request, place):
        return refused
    form = CardForm(request.POST, request.FILES)
    form.is_valid()  # every field is optional here: the service says what is wrong
    data = {name: form.cleaned_data.get(name) for name in form.fields}
    cell = f"{data['column'] or ''}:{data['row'] or ''}"
    try:
        if form.errors:
            raise RuleViolation(_("Check the card: a field has an unexpected value."))
        card = board_services.post_card(request.user, place.board, **form.kwargs())
    except RuleViolation as refused:
        values = {"body": request.POST.get("body", ""), "link": request.POST.get("link", "")}
        values["image_alt"] = request.POST.get("image_alt", "")
        values["anonymous"] = bool(data.get("anonymous"))
        return _refused(request, place, refused, target="card", cell=cell, values=values)
    if card.status == Status.PENDING:
        message = _("Your card is waiting for the facilitator's approval.")
    else:
        message = _("Your card is on the board.")
    return _done(request, place, card.pk, message)


def card_fragment(request: HttpRequest, slug: str, board_id: int, card_id: int) -> HttpResponse:
    """One card as the board shows it to this visitor: the live updates fetch it."""
    place = _place(request, slug, board_id)
    response = _fragment(request, place, card_id)
    response["Cache-Control"] = "private, no-store"
    return response


def _own_card(request: HttpRequest, place: Place, card_id: int) -> Card:
    card = _card(place, card_id)
    if card.author_id != request.user.pk:
        raise PermissionDenied(_("Only the author changes a card."))
    return card


@limited("card")
def card_edit(request: HttpRequest, slug: str, board_id: int, card_id: int) -> HttpResponse:
    place = _place(request, slug, board_id)
    if refused := _signed_in(request, place):
        return refused
    card = _own_card(request, place, card_id)
    status = 200
    if request.method == "POST":
        form = CardEditForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                board_services.edit_card(
                    request.user,
                    card,
                    body=form.cleaned_data["body"],
                    link=form.cleaned_data["link"],
                )
            except RuleViolation as refused:
                form.add_error(None, str(refused))
                status = _refusal_status(refused)
            else:
                return _done(request, place, card.pk, _("Your card is changed."))
    else:
        form = CardEditForm(initial={"body": card.body, "link": card.link})
    return render(
        request,
        "community/boards/card_edit.html",
        {
            "journey": place.journey,
            "access": place.access,
            "tab": TAB,
            "board": place.board,
            "card": card,
            "form": form,
            "back_url": place.card_url(card.pk),
        },
        status=status,
    )


def card_delete(request: HttpRequest, slug: str, board_id: int, card_id: int) -> HttpResponse:
    """The author deletes their own card, the facilitator any card: asked first."""
    place = _place(request, slug, board_id)
    if refused := _signed_in(request, place):
        return refused
    card = _card(place, card_id)
    if not place.board_access.can_facilitate and card.author_id != request.user.pk:
        raise PermissionDenied(_("Only the author changes a card."))
    error, status = "", 200
    if request.method == "POST":
        try:
            board_services.delete_card(request.user, card)
        except RuleViolation as refused:
            error, status = str(refused), _refusal_status(refused)
        else:
            if _is_fetch(request):
                return HttpResponse(status=204)
            messages.success(request, _("The card is deleted."))
            return redirect(place.url)
    return render(
        request,
        "community/boards/card_delete.html",
        {
            "journey": place.journey,
            "access": place.access,
            "tab": TAB,
            "board": place.board,
            "card": card,
            "error": error,
            "back_url": place.card_url(card.pk),
        },
        status=status,
    )


@require_POST
def card_react(request: HttpRequest, slug: str, board_id: int, card_id: int) -> HttpResponse:
    place = _place(request, slug, board_id)
    if refused := _signed_in(request, place):
        return refused
    card = _card(place, card_id)
    form = ReactionForm(request.POST)
    try:
        if not form.is_valid():
            raise RuleViolation(_("Choose one of the reactions."))
        added = board_services.toggle_reaction(request.user, card, form.cleaned_data["kind"])
    except RuleViolation as refused:
        return _refused(request, place, refused, target="card-action", card=card.pk)
    message = _("Your reaction is added.") if added else _("Your reaction is taken back.")
    return _done(request, place, card.pk, message)


@limited("card")
@require_POST
def card_comment(request: HttpRequest, slug: str, board_id: int, card_id: int) -> HttpResponse:
    place = _place(request, slug, board_id)
    if refused := _signed_in(request, place):
        return refused
    card = _card(place, card_id)
    form = CommentForm(request.POST)
    form.is_valid()
    try:
        board_services.add_comment(
            request.user,
            card,
            body=form.cleaned_data.get("body", ""),
            anonymous=form.cleaned_data.get("anonymous", False),
        )
    except RuleViolation as refused:
        values = {"body": request.POST.get("body", "")}
        return _refused(request, place, refused, target="comment", card=card.pk, values=values)
    return _done(request, place, card.pk, _("Your comment is added to the card."))


@require_POST
def comment_delete(request: HttpRequest, slug: str, board_id: int, comment_id: int) -> HttpResponse:
    place = _place(request, slug, board_id)
    if refused := _signed_in(request, place):
        return refused
    comment = (
        CardComment.objects.select_related("card").filter(pk=comment_id, card__board=place.board)
    ).first()
    if comment is None or not card_is_shown(comment.card, place.board_access):
        raise Http404
    comment.card.board = place.board
    try:
        board_services.delete_comment(request.user, comment)
    except RuleViolation as refused:
        return _refused(request, place, refused, target="card-action", card=comment.card_id)
    return _done(request, place, comment.card_id, _("The comment is removed."))


# --- Facilitation ---------------------------------------------------------------------------


@require_POST
def card_status(request: HttpRequest, slug: str, board_id: int, card_id: int) -> HttpResponse:
    place = _place(request, slug, board_id)
    if refused := _signed_in(request, place):
        return refused
    card = _card(place, card_id)
    was = card.status
    form = CardStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise RuleViolation(_("A card can only be shown or hidden."))
        changed = board_services.set_card_status(request.user, card, form.cleaned_data["status"])
    except RuleViolation as refused:
        return _refused(request, place, refused, target="card-action", card=card.pk)
    if changed.status == Status.HIDDEN:
        message = _("The card is hidden from participants.")
    elif was == Status.PENDING:
        message = _("The card is approved: everyone sees it now.")
    else:
        message = _("The card is visible again.")
    return _done(request, place, card.pk, message)


@require_POST
def card_move(request: HttpRequest, slug: str, board_id: int, card_id: int) -> HttpResponse:
    place = _place(request, slug, board_id)
    if refused := _signed_in(request, place):
        return refused
    card = _card(place, card_id)
    form = MoveForm(request.POST)
    try:
        if not form.is_valid():
            raise RuleViolation(_("Choose a cell on this board."))
        column_id, row_id = form.cleaned_data["cell"]
        position = form.cleaned_data.get("position")
        board_services.move_card(
            request.user,
            card,
            column_id=column_id,
            row_id=row_id,
            position=None if position is None else position - 1,
        )
    except RuleViolation as refused:
        return _refused(request, place, refused, target="card-action", card=card.pk)
    return _done(request, place, card.pk, _("The card is moved."))


@require_POST
def card_highlight(request: HttpRequest, slug: str, board_id: int, card_id: int) -> HttpResponse:
    place = _place(request, slug, board_id)
    if refused := _signed_in(request, place):
        return refused
    card = _card(place, card_id)
    value = request.POST.get("value") == "1"
    try:
        board_services.highlight_card(request.user, card, value)
    except RuleViolation as refused:
        return _refused(request, place, refused, target="card-action", card=card.pk)
    message = _("The card is highlighted.") if value else _("The card is no longer highlighted.")
    return _done(request, place, card.pk, message)


@require_POST
def card_to_thread(request: HttpRequest, slug: str, board_id: int, card_id: int) -> HttpResponse:
    place = _place(request, slug, board_id)
    if refused := _signed_in(request, place):
        return refused
    card = _card(place, card_id)
    form = ThreadTitleForm(request.POST)
    form.is_valid()
    try:
        board_services.card_to_thread(request.user, card, title=form.cleaned_data.get("title", ""))
    except RuleViolation as refused:
        return _refused(request, place, refused, target="card-action", card=card.pk)
    return _done(request, place, card.pk, _("The card is now a thread in the journey's forum."))


def card_image(request: HttpRequest, slug: str, board_id: int, card_id: int) -> HttpResponse:
    """A card's image, only for who may see the card; shown in the page, never sniffed."""
    place = _place(request, slug, board_id)
    card = _card(place, card_id)
    if not card.image:
        raise Http404
    try:
        handle = card.image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    head = handle.read(8192)
    handle.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in IMAGE_TYPES.split(","):
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=kind.mime, as_attachment=False)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
