"""Foreign-Origin websockets (docs/security.md): every websocket route refuses a
connection from another site's page before any consumer runs, even with the member's
session cookie, and accepts the platform's own pages. A new route without an entry here
fails the test."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from community.routing import websocket_urlpatterns
from community.services import boards, forum
from config.asgi import application
from journeys.models import Journey
from tests.journeys.conftest import make_journey  # noqa: F401  (a fixture)

OWN_ORIGIN = b"http://127.0.0.1:8000"  # a host in ALLOWED_HOSTS, as the browser sends it
FOREIGN_ORIGINS = [
    b"https://evil.example",
    b"https://127.0.0.1.evil.example",  # the own host as a subdomain of another
    b"null",  # a sandboxed frame or a file
]

# Real transactions (the consumers read through database_sync_to_async), and
# serialized_rollback to keep Wagtail's root page and Site after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def build_world(personas, make_journey) -> tuple[dict[str, str], str]:  # noqa: F811
    """{route: a path to it that the member may open}, and the member's session cookie."""
    journey = make_journey(visibility=Journey.Visibility.BESLOTEN)
    lead = personas["reisbegeleider"]
    thread = forum.start_thread(lead, title="Wie komt?", body="Laat het weten.", journey=journey)
    board = boards.create_board(
        lead, journey, boards.BoardDetails(title="Break-out"), template="perspectieven"
    )
    boards.set_state(lead, board, board.State.OPEN)
    paths = {
        "ws/ping/": "/ws/ping/",
        "ws/forum/thread/<int:thread_id>/": f"/ws/forum/thread/{thread.pk}/",
        "ws/forum/journey/<int:journey_id>/": f"/ws/forum/journey/{journey.pk}/",
        "ws/forum/plein/": "/ws/forum/plein/",
        "ws/borden/<int:board_id>/": f"/ws/borden/{board.pk}/",
        "ws/meldingen/": "/ws/meldingen/",
    }
    client = Client()
    client.force_login(lead)
    return paths, client.cookies["sessionid"].value


async def opens(path: str, origin: bytes, cookie: str) -> bool:
    """Whether the socket is accepted and stays open (a consumer that refuses a member
    closes right after accepting)."""
    headers = [(b"origin", origin), (b"cookie", f"sessionid={cookie}".encode())]
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=3)
    if not connected:
        return False
    if await communicator.receive_nothing(timeout=0.3):
        stays_open = True
    else:
        stays_open = (await communicator.receive_output())["type"] != "websocket.close"
    await communicator.disconnect()
    return stays_open


async def test_every_websocket_route_refuses_foreign_origins_and_accepts_its_own(
    personas,
    make_journey,  # noqa: F811
):
    paths, cookie = await database_sync_to_async(build_world)(personas, make_journey)
    routes = [str(pattern.pattern) for pattern in websocket_urlpatterns]
    assert sorted(routes) == sorted(paths), "a websocket route without an entry in this test"

    for route in routes:
        path = paths[route]
        assert await opens(path, OWN_ORIGIN, cookie), f"{path} refused its own origin"
        for origin in FOREIGN_ORIGINS:
            assert not await opens(path, origin, cookie), f"{path} opened for {origin!r}"
