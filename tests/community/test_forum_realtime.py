"""Live forum and notification sockets: who may listen, what they hear, and bad input."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from community import consumers
from community.models import ForumCategory
from community.services import forum
from config.asgi import application
from journeys import services as journey_services
from journeys.models import Journey
from tests.journeys.conftest import make_journey  # noqa: F401

OWN_ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]
BESLOTEN = Journey.Visibility.BESLOTEN
NETWERK = Journey.Visibility.NETWERK

# Real transactions (the sockets read through database_sync_to_async), and
# serialized_rollback to keep Wagtail's root page and Site after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def journey_thread(make_journey):  # noqa: F811
    """journey_thread("besloten") -> (journey, thread) started by the reisbegeleider."""

    def build(visibility=BESLOTEN):
        journey = make_journey(visibility=visibility)
        leader = journey.memberships.get(role="reisbegeleider").user
        thread = forum.start_thread(
            leader,
            title="Wie sluit aan bij de buurttafel?",
            body="Laat het weten.",
            journey=journey,
        )
        return journey, thread

    return build


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


async def assert_closed_with_4403(communicator: WebsocketCommunicator) -> None:
    assert await communicator.receive_output(timeout=2) == {
        "type": "websocket.close",
        "code": 4403,
    }


async def assert_refused(path: str, user=None) -> None:
    communicator = await open_socket(path, user)
    await assert_closed_with_4403(communicator)
    await communicator.disconnect()


@database_sync_to_async
def reply_as(user, thread, body="Ik doe mee."):
    return forum.reply(user, thread, body=body)


async def test_a_post_reaches_every_open_connection_of_members_and_none_of_a_non_member(
    channel_layer_kind, journey_thread, personas
):
    journey, thread = await database_sync_to_async(journey_thread)(BESLOTEN)
    path = f"/ws/forum/thread/{thread.pk}/"
    # The reiziger has the thread open in two tabs; the meelezer and the leader in one.
    listeners = [
        await open_socket(path, personas["professional"]),
        await open_socket(path, personas["professional"]),
        await open_socket(path, personas["inwoner"]),
        await open_socket(path, personas["reisbegeleider"]),
    ]
    # Someone outside the besloten journey cannot even listen, nor can a visitor.
    await assert_refused(path, personas["onderzoeker"])
    await assert_refused(path)
    await assert_refused(f"/ws/forum/journey/{journey.pk}/", personas["onderzoeker"])

    post = await reply_as(personas["opdrachtgever"], thread)

    expected = {
        "type": "forum.post",
        "op": "created",
        "thread": thread.pk,
        "post": post.pk,
        "number": 2,
    }
    for listener in listeners:
        assert await listener.receive_json_from(timeout=3) == expected
        await listener.disconnect()


async def test_on_a_netwerk_journey_a_non_member_reads_along_live(
    channel_layer_kind, journey_thread, personas
):
    _, thread = await database_sync_to_async(journey_thread)(NETWERK)
    outsider = await open_socket(f"/ws/forum/thread/{thread.pk}/", personas["onderzoeker"])

    post = await reply_as(personas["professional"], thread)

    event = await outsider.receive_json_from(timeout=3)
    assert (event["type"], event["op"], event["post"]) == ("forum.post", "created", post.pk)
    await outsider.disconnect()


async def test_the_thread_list_of_a_journey_hears_of_new_activity(
    channel_layer_kind, journey_thread, personas
):
    journey, thread = await database_sync_to_async(journey_thread)(BESLOTEN)
    thread_list = await open_socket(f"/ws/forum/journey/{journey.pk}/", personas["inwoner"])

    await reply_as(personas["professional"], thread)

    assert await thread_list.receive_json_from(timeout=3) == {
        "type": "forum.thread",
        "op": "activity",
        "thread": thread.pk,
        "posts": 2,
        "last_post_number": 2,
    }
    await thread_list.disconnect()


async def test_the_plein_hears_of_a_new_thread_and_is_closed_to_visitors(
    channel_layer_kind, personas
):
    await assert_refused("/ws/forum/plein/")
    plein = await open_socket("/ws/forum/plein/", personas["trainer"])

    @database_sync_to_async
    def start_on_the_plein():
        category = ForumCategory.objects.create(name="Vragen", slug="vragen")
        return forum.start_thread(
            personas["onderzoeker"], title="Wie meet eenzaamheid?", body="Tips?", category=category
        )

    thread = await start_on_the_plein()

    event = await plein.receive_json_from(timeout=3)
    assert (event["type"], event["op"], event["thread"]) == ("forum.thread", "activity", thread.pk)
    await plein.disconnect()


async def test_a_mention_tells_the_mentioned_user_their_notifications_changed(
    channel_layer_kind, journey_thread, personas
):
    _, thread = await database_sync_to_async(journey_thread)(BESLOTEN)
    mentioned = personas["inwoner"]
    bystander = personas["opdrachtgever"]
    own_bell = await open_socket("/ws/meldingen/", mentioned)
    other_bell = await open_socket("/ws/meldingen/", bystander)

    await reply_as(personas["professional"], thread, body=f"Wat vind jij, @{mentioned.handle}?")

    assert await own_bell.receive_json_from(timeout=3) == {
        "type": "notifications",
        "op": "changed",
    }
    assert await other_bell.receive_nothing(timeout=0.3)
    await own_bell.disconnect()
    await other_bell.disconnect()


async def test_notifications_are_closed_to_visitors():
    await assert_refused("/ws/meldingen/")


async def test_a_thread_that_does_not_exist_is_refused(personas):
    await assert_refused("/ws/forum/thread/999999/", personas["beheerder"])
    await assert_refused("/ws/forum/journey/999999/", personas["beheerder"])


async def test_a_malformed_message_gets_an_error_frame_and_the_connection_stays_open(
    journey_thread, personas
):
    _, thread = await database_sync_to_async(journey_thread)(BESLOTEN)
    socket = await open_socket(f"/ws/forum/thread/{thread.pk}/", personas["professional"])

    await socket.send_to(text_data="{geen json")
    assert await socket.receive_json_from() == {
        "type": "error",
        "op": "reply",
        "message": "Dit bericht is geen geldige JSON.",
    }
    await socket.send_json_to({"type": "forum.post", "body": "<script>alert(1)</script>"})
    assert (await socket.receive_json_from())["message"] == "Onbekend berichttype."
    await socket.send_to(bytes_data=b"\x00\x01")
    assert (await socket.receive_json_from())["type"] == "error"

    await socket.send_json_to({"type": "ping", "id": 3})
    assert await socket.receive_json_from() == {"type": "pong", "op": "reply", "id": 3}
    await socket.disconnect()


async def test_a_member_removed_from_a_besloten_journey_stops_hearing_it(
    journey_thread, personas, monkeypatch
):
    monkeypatch.setattr(consumers.GuardedRelayConsumer, "RECHECK_SECONDS", 0)
    journey, thread = await database_sync_to_async(journey_thread)(BESLOTEN)
    leaving = await open_socket(f"/ws/forum/thread/{thread.pk}/", personas["professional"])
    staying = await open_socket(f"/ws/forum/thread/{thread.pk}/", personas["inwoner"])

    @database_sync_to_async
    def remove():
        membership = journey.memberships.get(user=personas["professional"])
        journey_services.remove_member(personas["reisbegeleider"], membership)

    await remove()
    await reply_as(personas["opdrachtgever"], thread)

    await assert_closed_with_4403(leaving)
    assert (await staying.receive_json_from(timeout=3))["op"] == "created"
    await leaving.disconnect()
    await staying.disconnect()


async def test_hiding_a_thread_closes_the_sockets_of_those_who_may_no_longer_read_it(
    journey_thread, personas
):
    _, thread = await database_sync_to_async(journey_thread)(BESLOTEN)
    reader = await open_socket(f"/ws/forum/thread/{thread.pk}/", personas["professional"])
    moderator = await open_socket(f"/ws/forum/thread/{thread.pk}/", personas["reisbegeleider"])

    await database_sync_to_async(forum.set_thread_flag)(
        personas["reisbegeleider"], thread, flag="hidden", value=True
    )

    # At once, without waiting for the cached permission to expire.
    await assert_closed_with_4403(reader)
    event = await moderator.receive_json_from(timeout=3)
    assert (event["type"], event["op"], event["value"]) == ("forum.thread", "hidden", True)
    await reader.disconnect()
    await moderator.disconnect()
