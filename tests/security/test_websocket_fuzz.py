"""Every websocket route, given whatever a client can send (any JSON, JSON that is not an
object, text that is not JSON, binary frames, huge and deeply nested frames, known message
types with wrong fields, odd addresses): the socket answers with an error frame or ignores
the frame, stays open (a ping still gets its pong), never raises, and nothing is written.

Hypothesis draws the frames; one pass over live sockets then feeds them all to every
route (opening sockets per example would cost far more than the checks)."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from community.models import (
    Board,
    BoardEvent,
    Card,
    CardComment,
    CardReaction,
    ForumCategory,
    Notification,
    Post,
    Reaction,
    Thread,
)
from community.services import boards as board_services
from community.services import forum as forum_services
from community.services.boards import BoardDetails
from config.asgi import application
from config.settings import components
from journeys.models import Membership
from tests.security.strategies import FUZZ, TRICKY

OWN_ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# What the consumers know (community/consumers.py): ping everywhere, resume on boards.
KNOWN_TYPES = ["ping", "resume", "pong", "error", "board.card", "relay.event", "subscribe"]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.sampled_from(TRICKY),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
typed_messages = st.fixed_dictionaries(
    {"type": st.sampled_from(KNOWN_TYPES) | st.text(max_size=10) | json_values},
    optional={"after": json_values, "id": json_values, "op": json_values, "event": json_values},
)
text_frames = st.one_of(
    json_values.map(json.dumps),
    typed_messages.map(json.dumps),
    st.text(max_size=200),
    st.sampled_from(TRICKY),
).map(lambda text: ("text", text))
binary_frames = st.binary(max_size=200).map(lambda data: ("bytes", data))

# Frames no strategy draws by chance.
FIXED = [
    ("text", "[" * 2_000 + "]" * 2_000),  # nesting deeper than the JSON parser's stack
    ("text", '{"a":' * 800 + "1" + "}" * 800),
    ("text", "[" * 100_000 + "]" * 100_000),
    ("text", '{"a":' * 50_000 + "1" + "}" * 50_000),
    ("text", json.dumps({"type": "ping", "id": "x" * 2_000_000})),  # a 2 MB frame
    ("text", "x" * 3_000_000),
    ("text", json.dumps({"type": "resume", "after": 10**30})),
    ("text", json.dumps({"type": "resume", "after": -1})),
    ("text", json.dumps({"type": "resume", "after": True})),
    ("text", json.dumps({"type": "resume", "after": 1.5})),
    ("text", '{"type": "resume", "after": 1e999}'),
    ("text", '{"type": "ping", "id": NaN}'),
    ("text", "\ud800"),
    ("bytes", b"\x00" * 1_000_000),
    ("text", ""),
]


def _frames() -> list[tuple[str, str | bytes]]:
    drawn: list = []

    @FUZZ
    @given(st.lists(st.one_of(text_frames, binary_frames), min_size=1, max_size=3))
    def draw(frames):
        drawn.extend(frames)

    draw()
    return FIXED + drawn


def _setup(personas) -> dict:
    from journeys import services as journey_services

    lead = personas["reisbegeleider"]
    journey = journey_services.create_journey(lead, title="Fuzzreis", challenge="Eenzaamheid")
    category = ForumCategory.objects.create(name="Algemeen", slug="algemeen")
    thread = forum_services.start_thread(lead, title="Draad", body="Tekst", journey=journey)
    forum_services.start_thread(lead, title="Plein", body="Tekst", category=category)
    board = board_services.create_board(
        lead, journey, BoardDetails(title="Bord"), template="perspectieven"
    )
    board_services.set_state(lead, board, Board.State.OPEN)
    board_services.post_card(
        lead,
        board,
        body="Een kaart",
        column_id=board.columns.first().pk,
        row_id=getattr(board.rows.first(), "pk", None),
    )
    client = Client()
    client.force_login(lead)
    assert journey.memberships.filter(user=lead, role=Membership.Role.REISBEGELEIDER).exists()
    return {
        "cookie": client.cookies["sessionid"].value,
        "paths": [
            "/ws/ping/",
            f"/ws/forum/thread/{thread.pk}/",
            f"/ws/forum/journey/{journey.pk}/",
            "/ws/forum/plein/",
            f"/ws/borden/{board.pk}/?na=0",
            "/ws/meldingen/",
        ],
    }


WRITES = (Post, Thread, Reaction, Card, CardComment, CardReaction, BoardEvent, Notification)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITES}


async def _open(path: str, cookie: str) -> WebsocketCommunicator:
    headers = [*OWN_ORIGIN, (b"cookie", f"sessionid={cookie}".encode())]
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    assert connected, path
    return communicator


async def _answers_then_pong(communicator: WebsocketCommunicator, path: str, frame) -> list:
    """Everything the server answers to a frame, then the pong to the ping sent after it
    (a socket handles its messages in order): a close or an exception fails, and so does
    a socket that no longer answers a ping."""
    await communicator.send_json_to({"type": "ping", "id": "alive"})
    answers = []
    while True:
        output = await communicator.receive_output(timeout=5)
        assert output["type"] == "websocket.send", (path, f"{frame!r:.200}", output)
        answer = json.loads(output["text"])
        if answer.get("type") == "pong" and answer.get("id") == "alive":
            return answers
        answers.append(answer)


async def test_every_socket_answers_hostile_frames_with_errors_and_writes_nothing(
    personas, settings
):
    settings.RATE_LIMITS = {}  # the flood limit has its own tests; here every frame is read
    # The input handling is the consumers' own: the in-memory layer keeps it fast.
    settings.CHANNEL_LAYERS = components.channel_layers(None, max_connections=0)
    setup = await database_sync_to_async(_setup)(personas)
    frames = _frames()
    sockets = {path: await _open(path, setup["cookie"]) for path in setup["paths"]}
    for path, communicator in sockets.items():
        await _answers_then_pong(communicator, path, "connect")  # counts, a replay
    before = await database_sync_to_async(_counts)()
    errors = 0
    for kind, frame in frames:
        for path, communicator in sockets.items():
            await communicator.send_input({"type": "websocket.receive", kind: frame})
            for answer in await _answers_then_pong(communicator, path, frame):
                assert answer.get("type") in {"error", "pong", "board.presence", "board.card"}, (
                    path,
                    answer,
                )
                if answer["type"] == "error":
                    errors += 1
                    assert answer["message"], answer
    for communicator in sockets.values():
        await communicator.disconnect()
    assert await database_sync_to_async(_counts)() == before
    assert errors > len(frames)  # most frames were answered, not silently dropped

    # Odd addresses: refused (closed with 4403) or not routed, never a crash.
    for path in ODD_PATHS:
        communicator = WebsocketCommunicator(application, path, headers=OWN_ORIGIN)
        connected, _ = await communicator.connect(timeout=5)
        if connected:
            output = await communicator.receive_output(timeout=3)
            assert output == {"type": "websocket.close", "code": 4403}, path
        await communicator.disconnect()


ODD_PATHS = [
    "/ws/forum/thread/99999999999999999999999999/",
    "/ws/forum/journey/0/",
    "/ws/borden/99999999999999999999999999/",
    "/ws/borden/1/?na=99999999999999999999999999",
    "/ws/borden/1/?na=-5&na=x",
    "/ws/borden/1/?na=%00%ff",
]
