"""The real-time plumbing: origin check, /ws/ping/, and publishing on commit."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction

from community.realtime import group_name, publish_on_commit
from config.asgi import application

OWN_ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]
FOREIGN_ORIGIN = [(b"origin", b"https://evil.example.com")]

# Websocket tests write through database_sync_to_async: they need real transactions, and
# serialized_rollback to keep Wagtail's root page and Site after the flush.
websocket_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def connect(path="/ws/ping/", headers=OWN_ORIGIN):
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


@websocket_db
async def test_ping_is_answered_with_pong(channel_layer_kind):
    communicator, connected = await connect()
    assert connected
    await communicator.send_json_to({"type": "ping", "id": 7})
    assert await communicator.receive_json_from() == {
        "type": "pong",
        "op": "reply",
        "id": 7,
        "authenticated": False,
    }
    await communicator.disconnect()


@websocket_db
async def test_a_websocket_from_a_foreign_origin_is_refused():
    _, connected = await connect(headers=FOREIGN_ORIGIN)
    assert not connected


@websocket_db
async def test_a_websocket_without_origin_is_refused():
    _, connected = await connect(headers=[])
    assert not connected


@websocket_db
async def test_the_socket_knows_the_signed_in_member(make_member):
    from django.test import Client

    @database_sync_to_async
    def session_cookie():
        client = Client()
        client.force_login(make_member("live@example.org"))
        return client.cookies["sessionid"].value

    cookie = await session_cookie()
    headers = [*OWN_ORIGIN, (b"cookie", f"sessionid={cookie}".encode())]
    communicator, connected = await connect(headers=headers)
    assert connected
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from())["authenticated"] is True
    await communicator.disconnect()


@websocket_db
async def test_bad_input_gets_a_dutch_error_and_the_connection_stays_open():
    communicator, _ = await connect()
    await communicator.send_to(text_data="{niet: json")
    assert await communicator.receive_json_from() == {
        "type": "error",
        "op": "reply",
        "message": "Dit bericht is geen geldige JSON.",
    }
    await communicator.send_json_to(["een", "lijst"])
    assert (await communicator.receive_json_from())[
        "message"
    ] == "Een bericht moet een JSON-object zijn."
    await communicator.send_json_to({"type": "onbekend"})
    assert (await communicator.receive_json_from())["message"] == "Onbekend berichttype."
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from())["type"] == "pong"
    await communicator.disconnect()


@websocket_db
async def test_an_event_published_in_a_transaction_arrives_after_commit(channel_layer_kind):
    communicator, _ = await connect()

    @database_sync_to_async
    def change_and_publish():
        with transaction.atomic():
            publish_on_commit(group_name("ping"), {"type": "demo", "op": "created", "n": 1})

    await change_and_publish()
    assert await communicator.receive_json_from(timeout=3) == {
        "type": "demo",
        "op": "created",
        "n": 1,
    }
    await communicator.disconnect()


@websocket_db
async def test_an_event_of_a_rolled_back_transaction_is_never_sent(channel_layer_kind):
    communicator, _ = await connect()

    @database_sync_to_async
    def change_publish_and_fail():
        with pytest.raises(RuntimeError), transaction.atomic():
            publish_on_commit(group_name("ping"), {"type": "demo", "op": "created"})
            raise RuntimeError("the write failed")

    await change_publish_and_fail()
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


def test_group_names_are_checked_before_they_reach_the_channel_layer():
    assert group_name("journey", 42, "forum") == "journey.42.forum"
    with pytest.raises(ValueError):
        group_name("reis met spaties")
    with pytest.raises(ValueError):
        group_name("x" * 120)


def test_an_event_needs_a_type_and_an_op():
    with pytest.raises(ValueError, match="type"):
        publish_on_commit("ping", {"op": "created"})
