"""Board cards in the site search (/zoeken/): found by their text on boards the asker may
see, never waiting or hidden ones, and never with their author."""

from __future__ import annotations

import pytest
from django.utils.html import strip_tags

from community.models import Board, Card
from community.services import boards
from journeys.models import Journey

pytestmark = pytest.mark.django_db

URL = "/zoeken/"


@pytest.fixture
def open_board(personas, make_journey):
    def build(visibility):
        journey = make_journey(f"Reis {visibility}", visibility=visibility)
        leader = personas["reisbegeleider"]
        board = boards.create_board(
            leader, journey, boards.BoardDetails(title=f"Bord {visibility}"), template="vrij"
        )
        boards.set_state(leader, board, Board.State.OPEN)
        return board

    return build


def post(user, board, text, **kwargs) -> Card:
    return boards.post_card(user, board, body=text, column_id=board.columns.get().pk, **kwargs)


def card_hits(response) -> list[str]:
    return [strip_tags(hit.title) for hit in response.context["hits"] if hit.kind == "kaarten"]


def test_an_anonymous_card_is_found_by_its_text_and_shows_no_author(client, personas, open_board):
    board = open_board(Journey.Visibility.OPENBAAR)
    author = personas["professional"]
    post(author, board, "Een mandarijngesprek aan de voordeur", anonymous=True)

    client.force_login(personas["reisbegeleider"])  # even the facilitator sees no name
    response = client.get(URL, {"q": "mandarijngesprek"})

    assert card_hits(response) == ["Een mandarijngesprek aan de voordeur"]
    html = response.content.decode()
    assert author.get_full_name() not in html
    assert author.email not in html
    assert f"#kaart-{board.cards.get().pk}" in html


def test_hidden_and_besloten_cards_stay_out_of_search(client, personas, open_board):
    public = open_board(Journey.Visibility.OPENBAAR)
    secret = open_board(Journey.Visibility.BESLOTEN)
    hidden = post(personas["professional"], public, "Mandarijngesprek dat weg moet")
    boards.set_card_status(personas["reisbegeleider"], hidden, Card.Status.HIDDEN)
    post(personas["professional"], secret, "Mandarijngesprek in de besloten reis")

    client.force_login(personas["trainer"])  # signed in, member of neither
    response = client.get(URL, {"q": "mandarijngesprek"})

    assert card_hits(response) == []
    assert "besloten reis" not in response.content.decode()
