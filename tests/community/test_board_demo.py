"""The demo's live board: the three-perspectives board of the poverty journey, open, tied
to one of the journey's meetings, with cards in all nine cells, most of them anonymous.
A second seed changes nothing, and an anonymous card names nobody, also not in what
participants receive live or in the exports."""

from io import StringIO

import pytest
from django.core.management import call_command

from community import board_io
from community.board_demo import CARDS, TITLE, seed_boards
from community.models import Board, BoardEvent, Card, CardComment, CardReaction
from community.services import boards
from journeys.demo import POVERTY_SLUG

pytestmark = pytest.mark.django_db


def test_the_demo_board_is_made_once_with_cards_in_all_nine_cells(mailoutbox):
    call_command("seed_demo", stdout=StringIO())
    counts = (
        Board.objects.count(),
        Card.objects.count(),
        CardReaction.objects.count(),
        CardComment.objects.count(),
        BoardEvent.objects.count(),
    )
    sent = len(mailoutbox)
    call_command("seed_demo", stdout=StringIO())
    assert seed_boards() == 0
    assert (
        Board.objects.count(),
        Card.objects.count(),
        CardReaction.objects.count(),
        CardComment.objects.count(),
        BoardEvent.objects.count(),
    ) == counts
    assert len(mailoutbox) == sent

    board = Board.objects.get(title=TITLE)
    assert board.journey.slug == POVERTY_SLUG
    assert board.state == Board.State.OPEN
    assert board.event is not None and board.event.journey_id == board.journey_id
    assert board.columns.count() == 3 and board.rows.count() == 3
    cells = {(c.column_id, c.row_id) for c in board.cards.all()}
    assert len(cells) == 9
    assert board.card_count == board.cards.filter(status=Card.Status.VISIBLE).count() == len(CARDS)
    assert board.cards.filter(is_highlighted=True).count() == 1
    assert CardReaction.objects.filter(card__board=board).exists()
    assert CardComment.objects.filter(card__board=board).exists()
    anonymous = board.cards.filter(is_anonymous=True).count()
    assert anonymous > len(CARDS) / 2 and board.cards.filter(is_anonymous=False).exists()


def test_anonymous_demo_cards_name_nobody():
    call_command("seed_demo", stdout=StringIO())
    board = Board.objects.get(title=TITLE)
    anonymous = list(board.cards.filter(is_anonymous=True).select_related("author"))
    assert anonymous
    for card in anonymous:
        assert card.author is not None  # kept, only to let the author edit or delete
        assert card.author_name is None
        assert boards.card_data(card)["author"] is None
    for payload in boards.events_after(board, 0):
        if payload.get("card", {}).get("anonymous"):
            assert payload["card"]["author"] is None
    exported = board_io.board_csv(board) + board_io.board_markdown(board)
    named = {c.author.get_full_name() for c in board.cards.filter(is_anonymous=False)}
    only_anonymous = {c.author.get_full_name() for c in anonymous} - named
    for name in only_anonymous:
        assert name not in exported
    assert "Anoniem" in exported
    assert "@example.org" not in exported
