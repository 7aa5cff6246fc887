"""Websocket consumers. Thin: they check who may listen, join groups and relay events;
input goes through services."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext as _

from community.models import Board, BoardPresence, Thread, User
from community.queries import boards as board_queries
from community.queries import forum as forum_queries
from community.realtime import RELAY_MESSAGE_TYPE, group_name
from community.services import boards as board_services
from journeys.models import Journey

PING_GROUP = group_name("ping")


class RelayConsumer(AsyncJsonWebsocketConsumer):
    """Base for live features: relays events published with realtime.publish_on_commit."""

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Messages to the browser speak the language the visitor chose for the pages.
        with translation.override(self._language()):
            await super().dispatch(message)

    def _language(self) -> str:
        chosen = self.scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        return chosen if chosen in supported else settings.LANGUAGE_CODE

    async def relay_event(self, message: dict[str, Any]) -> None:
        await self.send_json(message["event"])

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Bad input gets an answer, not a dropped connection.
        if text_data is None:
            await self.send_error(_("Only text messages in JSON are accepted."))
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_error(_("This message is not valid JSON."))
            return
        if not isinstance(content, dict):
            await self.send_error(_("A message must be a JSON object."))
            return
        await self.receive_json(content, **kwargs)

    async def send_error(self, message: str) -> None:
        await self.send_json({"type": "error", "op": "reply", "message": message})


class PingConsumer(RelayConsumer):
    """/ws/ping/: answers pings and relays events published to the 'ping' group.

    Lets a client (and the tests) check the whole path: origin check, session, channel
    layer and the publish-on-commit helper.
    """

    async def connect(self) -> None:
        await self.channel_layer.group_add(PING_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(PING_GROUP, self.channel_name)

    async def receive_json(self, content: dict[str, Any], **kwargs) -> None:
        if content.get("type") != "ping":
            await self.send_error(_("Unknown message type."))
            return
        user = self.scope.get("user")
        await self.send_json(
            {
                "type": "pong",
                "op": "reply",
                "id": content.get("id"),
                "authenticated": bool(user and user.is_authenticated),
            }
        )


# --- Forums and notifications ----------------------------------------------------------------

# A refused or revoked socket is closed with this code: the browser stops reconnecting.
REFUSED = 4403


class GuardedRelayConsumer(RelayConsumer):
    """Relays one group's events to a visitor who may read them.

    The permission is checked on connect (refused: accepted, then closed with 4403, so the
    browser sees why) and again before relaying an event once the last check is older than
    RECHECK_SECONDS: a member removed from a besloten journey stops receiving within that
    time. Clients may only send {"type": "ping"}; anything else gets an error frame.
    """

    RECHECK_SECONDS = 30.0

    group: str | None = None
    _checked_at: float = 0.0

    def group_for(self) -> str:
        raise NotImplementedError

    def may_listen(self) -> bool:
        """Synchronous permission check (runs in a database thread)."""
        raise NotImplementedError

    async def connect(self) -> None:
        if not await database_sync_to_async(self.may_listen)():
            await self.refuse()
            return
        self.group = self.group_for()
        self._checked_at = time.monotonic()
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def refuse(self) -> None:
        await self.leave()
        await self.accept()
        await self.close(code=REFUSED)

    async def leave(self) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None

    async def disconnect(self, code: int) -> None:
        await self.leave()

    async def relay_event(self, message: dict[str, Any]) -> None:
        if self.group is None:
            return
        if self._needs_recheck(message.get("event") or {}):
            if not await database_sync_to_async(self.may_listen)():
                await self.leave()
                await self.close(code=REFUSED)
                return
            self._checked_at = time.monotonic()
        await super().relay_event(message)

    def _needs_recheck(self, event: dict[str, Any]) -> bool:
        # A thread that was just hidden is checked at once, not after the cache expires.
        if event.get("type") == "forum.thread" and event.get("op") == "hidden":
            return True
        return time.monotonic() - self._checked_at >= self.RECHECK_SECONDS

    async def receive_json(self, content: dict[str, Any], **kwargs) -> None:
        if content.get("type") != "ping":
            await self.send_error(_("Unknown message type."))
            return
        await self.send_json({"type": "pong", "op": "reply", "id": content.get("id")})

    # Helpers for the permission checks (sync).
    @property
    def user(self):
        return self.scope.get("user") or AnonymousUser()

    def _route_id(self, name: str) -> int:
        return int(self.scope["url_route"]["kwargs"][name])


class ThreadConsumer(GuardedRelayConsumer):
    """/ws/forum/thread/<id>/: new, edited, deleted and reacted posts of one thread."""

    def group_for(self) -> str:
        return group_name("forum", "thread", self._route_id("thread_id"))

    def may_listen(self) -> bool:
        thread = (
            Thread.objects.select_related("journey").filter(pk=self._route_id("thread_id")).first()
        )
        return thread is not None and forum_queries.thread_access(self.user, thread).can_read


class JourneyForumConsumer(GuardedRelayConsumer):
    """/ws/forum/journey/<id>/: activity in a journey's thread list."""

    def group_for(self) -> str:
        return group_name("forum", "journey", self._route_id("journey_id"))

    def may_listen(self) -> bool:
        journey = Journey.objects.filter(pk=self._route_id("journey_id")).first()
        return (
            journey is not None and forum_queries.journey_forum_access(self.user, journey).can_read
        )


class PleinConsumer(GuardedRelayConsumer):
    """/ws/forum/plein/: activity on the plein, for signed-in users."""

    def group_for(self) -> str:
        return group_name("forum", "plein")

    def may_listen(self) -> bool:
        return _active(self.user) and forum_queries.plein_access(self.user).can_read


class NotificationConsumer(GuardedRelayConsumer):
    """/ws/meldingen/: 'your notifications changed', to the signed-in user only."""

    def group_for(self) -> str:
        return group_name("user", self.user.pk)

    def may_listen(self) -> bool:
        return _active(self.user)


def _active(user) -> bool:
    """Signed in, and the account was not deactivated since the socket opened."""
    if not user.is_authenticated:
        return False
    return User.objects.filter(pk=user.pk, is_active=True).exists()


# --- Live boards ----------------------------------------------------------------------------


class BoardConsumer(GuardedRelayConsumer):
    """/ws/borden/<id>/?na=<seq>: a board's changes, numbered, for everyone who may see it.

    Every change participants see carries the board's sequence number. A client that
    reconnects says the last number it saw (in the address, or later as
    {"type": "resume", "after": n}) and gets exactly what it missed, built from the
    current state; events it already has are not sent twice. Facilitators also hear,
    without a number, of cards waiting for approval. The participant count goes to all.
    """

    board_id: int = 0
    last_seq: int = 0
    facilitates: bool = False
    present: bool = False

    def group_for(self) -> str:
        return board_services.board_group(self._route_id("board_id"))

    def may_listen(self) -> bool:
        board = (
            Board.objects.select_related("journey").filter(pk=self._route_id("board_id")).first()
        )
        if board is None:
            self.facilitates = False
            return False
        access = board_queries.board_access(self.user, board)
        self.facilitates = access.can_see and access.can_facilitate
        return access.can_see

    async def connect(self) -> None:
        self.board_id = self._route_id("board_id")
        await super().connect()
        if self.group is None:
            return
        if self.facilitates:
            await self.channel_layer.group_add(
                board_services.facilitator_group(self.board_id), self.channel_name
            )
        await self._replay(_after_from(self.scope))
        await database_sync_to_async(self._arrive)()
        self.present = True
        await self._announce_count()

    async def leave(self) -> None:
        # Refused, revoked or gone: out of both groups, and no longer counted.
        if self.board_id:
            await self.channel_layer.group_discard(
                board_services.facilitator_group(self.board_id), self.channel_name
            )
        await super().leave()
        if self.present:
            self.present = False
            await database_sync_to_async(self._leave_board)()
            await self._announce_count()

    async def relay_event(self, message: dict[str, Any]) -> None:
        event = message.get("event") or {}
        seq = event.get("seq")
        if isinstance(seq, int) and seq <= self.last_seq:
            return  # already sent by a replay
        was_facilitating = self.facilitates
        await super().relay_event(message)  # rechecks the permission now and then
        if self.group is None:
            return  # revoked: closed, nothing more
        if isinstance(seq, int):
            self.last_seq = seq
        if was_facilitating and not self.facilitates:
            # No longer the reisbegeleider: stop hearing of waiting and hidden cards.
            await self.channel_layer.group_discard(
                board_services.facilitator_group(self.board_id), self.channel_name
            )

    async def send_json(self, content, close=False):
        # A review hint (cards others do not see) reaches only who facilitates now.
        if content.get("op") == "review" and not self.facilitates:
            return
        await super().send_json(content, close=close)

    async def receive_json(self, content: dict[str, Any], **kwargs) -> None:
        if content.get("type") == "resume":
            after = content.get("after")
            if not isinstance(after, int) or isinstance(after, bool) or after < 0:
                await self.send_error(_("Resume needs the last sequence number you saw."))
                return
            # What is replayed comes from the database: check the permission first.
            if not await database_sync_to_async(self.may_listen)():
                await self.leave()
                await self.close(code=REFUSED)
                return
            self._checked_at = time.monotonic()
            await self._replay(after)
            return
        await super().receive_json(content, **kwargs)

    async def _replay(self, after: int | None) -> None:
        if after is None or self.group is None:
            return
        payloads, current = await database_sync_to_async(self._missed)(after)
        for payload in payloads:
            await self.send_json(payload)
        # Live events up to here were sent (or seen) already: never twice. A client that
        # claims more than the board has does not silence what comes next.
        self.last_seq = max(self.last_seq, min(after, current))
        if payloads:
            self.last_seq = max(self.last_seq, payloads[-1]["seq"])

    def _missed(self, after: int) -> tuple[list[dict[str, Any]], int]:
        board = Board.objects.filter(pk=self.board_id).first()
        if board is None:
            return [], 0
        return board_services.events_after(board, after), board.last_seq

    def _arrive(self) -> None:
        user = self.user if self.user.is_authenticated else None
        BoardPresence.objects.update_or_create(
            channel_name=self.channel_name, defaults={"board_id": self.board_id, "user": user}
        )

    def _leave_board(self) -> None:
        BoardPresence.objects.filter(channel_name=self.channel_name).delete()

    async def _announce_count(self) -> None:
        count = await database_sync_to_async(self._count)()
        await self.channel_layer.group_send(
            board_services.board_group(self.board_id),
            {
                "type": RELAY_MESSAGE_TYPE,
                "event": {
                    "type": "board.presence",
                    "op": "count",
                    "board": self.board_id,
                    "count": count,
                },
            },
        )

    def _count(self) -> int:
        board = Board.objects.filter(pk=self.board_id).first()
        return board_queries.participant_count(board) if board else 0


def _after_from(scope: dict[str, Any]) -> int | None:
    """The ?na= sequence number of a reconnecting client; None on a first visit."""
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("na")
    if not values:
        return None
    try:
        after = int(values[0])
    except ValueError:
        return None
    return after if after >= 0 else None
