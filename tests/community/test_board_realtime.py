"""Live boards over websockets: who may listen, every change in order with its sequence
number, anonymity in payloads, catching up after a lost connection, waiting cards for
facilitators only, the participant count, revoked members, and bad input."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from community import consumers
from community.models import Board, BoardPresence, Card
from community.services import boards
from config.asgi import application
from journeys import services as journey_services
from journeys.models import Journey, Membership
from tests.journeys.conftest import add_member, make_journey  # noqa: F401

OWN_ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]
BESLOTEN = Journey.Visibility.BESLOTEN
OPENBAAR = Journey.Visibility.OPENBAAR
State = Board.State

# Real transactions (the sockets read through database_sync_to_async), and
# serialized_rollback to keep Wagtail's root page and Site after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# --- Helpers (as in test_forum_realtime.py) -------------------------------------------------


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def open_socket(path: str, user=None) -> WebsocketCommunicator:
    headers = list(OWN_ORIGIN)
    if user is not None:
        cookie = await database_sync_to_async(_session_cookie)(user)
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def next_output(communicator: WebsocketCommunicator, *, counts=False) -> dict:
    """The next frame, skipping participant counts unless asked for: a JSON message, or
    {"close": code} when the server closed the socket."""
    while True:
        output = await communicator.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            return {"close": output.get("code")}
        message = json.loads(output["text"])
        if counts or message["type"] != "board.presence":
            return message


async def next_events(communicator: WebsocketCommunicator, n: int) -> list[dict]:
    return [await next_output(communicator) for _ in range(n)]


async def assert_quiet(communicator: WebsocketCommunicator) -> None:
    """Nothing but participant counts arrives."""
    while not await communicator.receive_nothing(timeout=0.3):
        output = await communicator.receive_output()
        assert json.loads(output["text"])["type"] == "board.presence", output


async def assert_refused(path: str, user=None) -> None:
    communicator = await open_socket(path, user)
    assert await communicator.receive_output(timeout=2) == {
        "type": "websocket.close",
        "code": 4403,
    }
    await communicator.disconnect()


def make_board(journey, *, state=State.OPEN, **details) -> Board:
    leader = journey.memberships.get(role=Membership.Role.REISBEGELEIDER).user
    board = boards.create_board(
        leader,
        journey,
        boards.BoardDetails(title="Break-out", **details),
        template="perspectieven",
    )
    if state == State.OPEN:
        boards.set_state(leader, board, State.OPEN)
    board.refresh_from_db()
    return board


@pytest.fixture
def board_of(make_journey):  # noqa: F811
    """board_of("besloten", state="open", **details) -> an open board (seq 1: opened)."""

    @database_sync_to_async
    def build(visibility=BESLOTEN, **kwargs):
        return make_board(make_journey(visibility=visibility), **kwargs)

    return build


@database_sync_to_async
def act(function, *args, **kwargs):
    """Run a board service as a request would: in its own transaction, in a thread."""
    return function(*args, **kwargs)


@database_sync_to_async
def post(user, board, body="Gezien worden", *, at=(0, 0), **kwargs) -> Card:
    column = list(board.columns.all())[at[0]]
    row = list(board.rows.all())[at[1]]
    return boards.post_card(user, board, body=body, column_id=column.pk, row_id=row.pk, **kwargs)


@database_sync_to_async
def cell(board, column, row) -> dict:
    return {
        "column_id": list(board.columns.all())[column].pk,
        "row_id": list(board.rows.all())[row].pk,
    }


def path_of(board, after=None) -> str:
    return f"/ws/borden/{board.pk}/" + ("" if after is None else f"?na={after}")


def summary(events: list[dict]) -> list[tuple]:
    return [(e["seq"], e["type"], e["op"], e.get("card", {}).get("id")) for e in events]


def assert_names_nobody(payload, author) -> None:
    text = json.dumps(payload)
    for secret in (author.email, author.first_name, author.last_name, author.email.split("@")[0]):
        assert secret not in text
    card = payload["card"]
    assert card["author"] is None and card["anonymous"] is True
    assert not {"author_id", "user", "user_id", "email"} & set(card)


# --- Tests ------------------------------------------------------------------------------------


async def test_members_receive_every_change_in_order_and_outsiders_cannot_listen(
    channel_layer_kind, board_of, personas, make_member
):
    board = await board_of(BESLOTEN, anonymity="choice")
    leader, writer = personas["reisbegeleider"], personas["professional"]

    @database_sync_to_async
    def secret_member():
        member = make_member("stil.schrijver@example.org", first_name="Quirina", last_name="Zwart")
        add_member(board.journey, member, Membership.Role.REIZIGER)
        return member

    shy = await secret_member()
    # Two tabs of one member and the meelezer: every one hears everything.
    listeners = [
        await open_socket(path_of(board), writer),
        await open_socket(path_of(board), writer),
        await open_socket(path_of(board), personas["inwoner"]),
    ]
    # Not a member of the besloten journey, or not signed in: refused.
    await assert_refused(path_of(board), personas["onderzoeker"])
    await assert_refused(path_of(board))
    await assert_refused("/ws/borden/999999/", personas["beheerder"])

    card = await post(writer, board, "Eerst luisteren", at=(0, 0))
    hidden_name = await post(shy, board, "Niemand weet van wie", at=(1, 1), anonymous=True)
    await act(boards.toggle_reaction, personas["opdrachtgever"], card, "eens")
    await act(boards.move_card, leader, card, **(await cell(board, 2, 0)), position=0)
    await act(boards.set_state, leader, board, State.BEVROREN)

    expected = [
        (2, "board.card", "created", card.pk),
        (3, "board.card", "created", hidden_name.pk),
        (4, "board.card", "reacted", card.pk),
        (5, "board.card", "moved", card.pk),
        (6, "board.state", "bevroren", None),
    ]
    for listener in listeners:
        events = await next_events(listener, 5)
        assert summary(events) == expected
        assert events[0]["card"]["text"] == "Eerst luisteren"
        assert events[0]["card"]["author"] == "Pieter de Wit"
        assert_names_nobody(events[1], shy)
        assert events[2]["card"]["reactions"] == {"eens": 1}
        assert events[3]["card"]["column"] == (await cell(board, 2, 0))["column_id"]
        assert events[4]["state"] == "bevroren"
        await listener.disconnect()


async def test_a_client_that_reconnects_gets_exactly_what_it_missed(
    channel_layer_kind, board_of, personas
):
    board = await board_of(BESLOTEN)
    leader, writer, other = (
        personas["reisbegeleider"],
        personas["professional"],
        personas["opdrachtgever"],
    )
    socket = await open_socket(path_of(board, after=1), writer)
    first = await post(writer, board, "Eerste kaart")
    assert summary([await next_output(socket)]) == [(2, "board.card", "created", first.pk)]
    await socket.disconnect()

    # While the client is away: a card, a reaction, the first card hidden, another card.
    second = await post(other, board, "Tweede kaart")
    await act(boards.toggle_reaction, other, first, "eens")
    await act(boards.set_card_status, leader, first, Card.Status.HIDDEN)
    third = await post(other, board, "Derde kaart", at=(1, 0))

    socket = await open_socket(path_of(board, after=2), writer)
    missed = await next_events(socket, 4)
    assert summary(missed) == [
        (3, "board.card", "created", second.pk),
        (4, "board.card", "removed", first.pk),  # hidden meanwhile: no text
        (5, "board.card", "removed", first.pk),
        (6, "board.card", "created", third.pk),
    ]
    assert missed[1]["card"] == missed[2]["card"] == {"id": first.pk}
    assert "Eerste kaart" not in json.dumps(missed)

    # Live again: the next change arrives once.
    fourth = await post(other, board, "Vierde kaart")
    assert summary([await next_output(socket)]) == [(7, "board.card", "created", fourth.pk)]
    await assert_quiet(socket)

    # A client that saw a gap asks again over the open socket: in order, nothing twice.
    await socket.send_json_to({"type": "resume", "after": 5})
    assert [e["seq"] for e in await next_events(socket, 2)] == [6, 7]
    await socket.send_json_to({"type": "resume", "after": 7})
    await assert_quiet(socket)
    fifth = await post(other, board, "Vijfde kaart")
    assert summary([await next_output(socket)]) == [(8, "board.card", "created", fifth.pk)]
    await assert_quiet(socket)
    await socket.disconnect()


async def test_waiting_cards_reach_the_facilitators_only(channel_layer_kind, board_of, personas):
    board = await board_of(BESLOTEN, requires_approval=True)
    leader, writer = personas["reisbegeleider"], personas["professional"]
    facilitator = await open_socket(path_of(board), leader)
    participant = await open_socket(path_of(board), personas["opdrachtgever"])
    own_tab = await open_socket(path_of(board), writer)

    card = await post(writer, board, "Graag eerst bekijken")

    review = {"type": "board.card", "op": "review", "board": board.pk, "card": {"id": card.pk}}
    assert await next_output(facilitator) == review
    await assert_quiet(participant)
    await assert_quiet(own_tab)

    await act(boards.set_card_status, leader, card, Card.Status.VISIBLE)
    for socket in (facilitator, participant, own_tab):
        event = await next_output(socket)
        assert (event["seq"], event["op"], event["card"]["text"]) == (
            2,
            "created",
            "Graag eerst bekijken",
        )

    await act(boards.set_card_status, leader, card, Card.Status.HIDDEN)
    for socket in (participant, own_tab):
        assert await next_output(socket) == {
            "type": "board.card",
            "op": "removed",
            "board": board.pk,
            "seq": 3,
            "card": {"id": card.pk},
        }
        await assert_quiet(socket)
    assert summary(await next_events(facilitator, 1)) == [(3, "board.card", "removed", card.pk)]
    assert await next_output(facilitator) == review
    for socket in (facilitator, participant, own_tab):
        await socket.disconnect()


async def test_a_concept_board_admits_its_facilitator_only_and_the_count_follows_connections(
    board_of, personas
):
    concept = await board_of(BESLOTEN, state=State.CONCEPT)
    for role in ("professional", "opdrachtgever", "beheerder"):
        await assert_refused(path_of(concept), personas[role])
    preparing = await open_socket(path_of(concept), personas["reisbegeleider"])
    assert (await next_output(preparing, counts=True))["count"] == 1
    await preparing.disconnect()

    # An openbaar board: everyone listens, and each person (or anonymous socket) counts once.
    board = await board_of(OPENBAAR)
    leader = await open_socket(path_of(board), personas["reisbegeleider"])
    assert (await next_output(leader, counts=True))["count"] == 1

    replayed = []

    async def join(user=None, after=None) -> WebsocketCommunicator:
        socket = await open_socket(path_of(board, after), user)
        while (frame := await next_output(socket, counts=True))["type"] != "board.presence":
            replayed.append(frame)  # until its own arrival is counted
        return socket

    first_tab = await join(personas["professional"])
    second_tab = await join(personas["professional"])  # the same person counts once
    visitor = await join(after=0)  # not signed in: each anonymous socket counts
    counts = [(await next_output(leader, counts=True))["count"] for _ in range(3)]
    assert counts == [2, 2, 3]
    assert summary(replayed) == [(1, "board.state", "open", None)]  # the visitor's ?na=0

    await second_tab.disconnect()
    assert (await next_output(leader, counts=True))["count"] == 3
    await first_tab.disconnect()
    assert (await next_output(leader, counts=True))["count"] == 2
    await visitor.disconnect()
    assert (await next_output(leader, counts=True))["count"] == 1
    await leader.disconnect()
    assert await database_sync_to_async(BoardPresence.objects.count)() == 0


async def test_a_removed_member_stops_receiving_and_a_demoted_facilitator_stops_reviewing(
    board_of, personas, monkeypatch
):
    monkeypatch.setattr(consumers.GuardedRelayConsumer, "RECHECK_SECONDS", 0)
    board = await board_of(BESLOTEN, requires_approval=True)
    leader, leaving, staying = (
        personas["reisbegeleider"],
        personas["professional"],
        personas["opdrachtgever"],
    )
    co_leader = personas["trainer"]
    await database_sync_to_async(lambda: add_member(board.journey, co_leader, "reisbegeleider"))()
    sockets = {
        "leaving": await open_socket(path_of(board), leaving),
        "staying": await open_socket(path_of(board), staying),
        "co_leader": await open_socket(path_of(board), co_leader),
    }

    @database_sync_to_async
    def remove_and_demote():
        journey = board.journey
        journey_services.remove_member(leader, journey.memberships.get(user=leaving))
        journey_services.change_role(
            leader, journey.memberships.get(user=co_leader), Membership.Role.REIZIGER
        )

    await remove_and_demote()
    card = await post(leader, board, "Voor wie er nog is")

    assert await next_output(sockets["leaving"]) == {"close": 4403}
    assert (await next_output(sockets["staying"]))["seq"] == 2
    assert (await next_output(sockets["co_leader"]))["seq"] == 2
    # The one who left is no longer counted.
    assert await database_sync_to_async(BoardPresence.objects.filter(user=leaving).count)() == 0

    await post(staying, board, "Wacht op goedkeuring")
    await assert_quiet(sockets["co_leader"])  # no longer hears of waiting cards
    await sockets["staying"].send_json_to({"type": "resume", "after": 0})
    assert [e["seq"] for e in await next_events(sockets["staying"], 2)] == [1, 2]
    assert card.pk
    for socket in sockets.values():
        await socket.disconnect()


async def test_malformed_messages_get_an_error_frame_and_the_connection_stays_open(
    board_of, personas
):
    board = await board_of(BESLOTEN)
    # A nonsense ?na= is a first visit; a huge one replays nothing.
    for after in ("abc", "-3", str(10**30)):
        socket = await open_socket(f"/ws/borden/{board.pk}/?na={after}", personas["inwoner"])
        await assert_quiet(socket)
        await socket.disconnect()
    socket = await open_socket(path_of(board), personas["professional"])

    async def error_for(**frame) -> str:
        await socket.send_to(**frame)
        reply = await next_output(socket)
        assert (reply["type"], reply["op"]) == ("error", "reply")
        return reply["message"]

    assert await error_for(text_data="{geen json") == "Dit bericht is geen geldige JSON."
    assert await error_for(text_data="[1, 2]") == "Een bericht moet een JSON-object zijn."
    assert await error_for(text_data='"resume"') == "Een bericht moet een JSON-object zijn."
    assert await error_for(bytes_data=b"\x00\x01") == (
        "Alleen tekstberichten in JSON worden geaccepteerd."
    )
    assert await error_for(text_data='{"type": "board.card", "op": "created"}') == (
        "Onbekend berichttype."
    )
    assert await error_for(text_data="{}") == "Onbekend berichttype."
    resume_error = "Geef bij hervatten het laatste volgnummer dat je zag."
    for after in (
        "",
        ', "after": null',
        ', "after": -1',
        ', "after": "3"',
        ', "after": 2.5',
        ', "after": true',
        ', "after": [1]',
    ):
        assert await error_for(text_data=f'{{"type": "resume"{after}}}') == resume_error

    await socket.send_json_to({"type": "ping", "id": 9})
    assert await next_output(socket) == {"type": "pong", "op": "reply", "id": 9}
    await socket.send_json_to({"type": "resume", "after": 10**30})
    await assert_quiet(socket)
    await socket.send_json_to({"type": "resume", "after": 0})
    assert summary([await next_output(socket)]) == [(1, "board.state", "open", None)]
    await socket.disconnect()
