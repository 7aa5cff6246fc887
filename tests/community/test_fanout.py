"""The broadcast fan-out (community/fanout.py and GuardedRelayConsumer.deliver): on Redis
one message per process per group is handed to the local sockets directly; on both
layers each socket still gets each change once, in order, and only after its permission
check."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from community import consumers
from config.settings import components
from tests.community.test_board_realtime import (
    BESLOTEN,
    OPENBAAR,
    assert_names_nobody,
    assert_quiet,
    assert_refused,
    make_board,
    next_events,
    open_socket,
    path_of,
    post,
)
from tests.conftest import TEST_REDIS_URL, redis_is_reachable
from tests.journeys.conftest import make_journey  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def board_of(make_journey):  # noqa: F811
    @database_sync_to_async
    def build(visibility=BESLOTEN, **kwargs):
        return make_board(make_journey(visibility=visibility), **kwargs)

    return build


async def test_two_sockets_in_one_process_get_each_change_once_and_in_order(
    channel_layer_kind, board_of, personas
):
    board = await board_of(BESLOTEN)
    writer = personas["professional"]
    sockets = [
        await open_socket(path_of(board), writer),
        await open_socket(path_of(board), personas["inwoner"]),
    ]
    cards = [await post(writer, board, f"Kaart {n}") for n in range(5)]

    for socket in sockets:
        events = await next_events(socket, 5)
        assert [e["seq"] for e in events] == [2, 3, 4, 5, 6]
        assert [e["card"]["id"] for e in events] == [card.pk for card in cards]
        await assert_quiet(socket)  # nothing twice
        await socket.disconnect()


async def test_on_redis_a_group_message_is_decoded_once_for_all_local_sockets(
    board_of, personas, settings, monkeypatch
):
    if not redis_is_reachable(TEST_REDIS_URL):
        pytest.skip(f"Redis is not running at {TEST_REDIS_URL}")
    layers = components.channel_layers(TEST_REDIS_URL, max_connections=10)
    layers["default"]["CONFIG"]["prefix"] = f"test{uuid.uuid4().hex[:8]}"
    settings.CHANNEL_LAYERS = layers
    board = await board_of(OPENBAAR)
    sockets = [await open_socket(path_of(board)) for _ in range(3)]
    layer = get_channel_layer()
    decoded = []
    original = type(layer).deserialize

    def counting(self, message):
        decoded.append(message)
        return original(self, message)

    monkeypatch.setattr(type(layer), "deserialize", counting)
    await post(personas["professional"], board, "Een keer uitgepakt")
    for socket in sockets:
        (event,) = await next_events(socket, 1)
        assert event["seq"] == 2
    assert sum(b"board.card" in message for message in decoded) == 1
    for socket in sockets:
        await socket.disconnect()


async def test_a_socket_that_disconnected_stops_receiving(channel_layer_kind, board_of, personas):
    board = await board_of(BESLOTEN)
    gone = await open_socket(path_of(board), personas["inwoner"])
    staying = await open_socket(path_of(board), personas["professional"])
    await gone.disconnect()

    card = await post(personas["professional"], board, "Na het vertrek")

    (event,) = await next_events(staying, 1)
    assert event["card"]["id"] == card.pk
    layer = get_channel_layer()
    receivers = getattr(layer._get_layer(), "receivers", {}) if hasattr(layer, "attach") else {}
    assert len(receivers) <= 1  # only the socket that stayed
    await staying.disconnect()


async def test_a_refused_socket_never_joins_the_fan_out_and_anonymous_cards_stay_anonymous(
    channel_layer_kind, board_of, personas
):
    board = await board_of(BESLOTEN, anonymity="choice")
    member = await open_socket(path_of(board), personas["inwoner"])
    await assert_refused(path_of(board), personas["onderzoeker"])  # not a member
    await assert_refused(path_of(board))  # not signed in

    writer = personas["professional"]
    await post(writer, board, "Zonder naam", anonymous=True)

    (event,) = await next_events(member, 1)
    assert_names_nobody(event, writer)
    await member.disconnect()


async def test_a_change_that_arrives_while_the_socket_replays_follows_the_replay(
    channel_layer_kind, board_of, personas, monkeypatch
):
    board = await board_of(BESLOTEN)
    writer = personas["professional"]
    await post(writer, board, "Gemist")
    replayed = asyncio.Event()
    original = consumers.BoardConsumer._replay

    async def slow_replay(self, after):
        await original(self, after)
        replayed.set()
        await asyncio.sleep(0.3)  # a live change lands while the connect handler runs

    monkeypatch.setattr(consumers.BoardConsumer, "_replay", slow_replay)
    task = asyncio.ensure_future(open_socket(path_of(board, after=1), personas["inwoner"]))
    await replayed.wait()
    await post(writer, board, "Live")
    socket = await task

    assert [e["seq"] for e in await next_events(socket, 2)] == [2, 3]
    await assert_quiet(socket)
    await socket.disconnect()
