"""Websocket consumers. Thin: they check who may listen, join groups and relay events;
input goes through services."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
import weakref
from collections import deque
from typing import Any
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext as _

from community import limits
from community.models import Board, BoardPresence, Thread, User
from community.queries import boards as board_queries
from community.queries import forum as forum_queries
from community.realtime import RELAY_MESSAGE_TYPE, group_name
from community.services import boards as board_services
from journeys.models import Journey

logger = logging.getLogger(__name__)

# Tasks started without an awaiting caller: referenced here until done, so they are not
# garbage-collected midway.
_running: set[asyncio.Task] = set()


def _spawn(coro) -> None:
    task = asyncio.get_running_loop().create_task(coro)
    _running.add(task)
    task.add_done_callback(_running.discard)


PING_GROUP = group_name("ping")


# The longest message a client may send: what the browser sends is a ping or a resume of a
# few dozen characters; the servers' own frame limits (daphne, uvicorn) are megabytes.
MAX_MESSAGE_CHARS = 4096


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
        if not await self._within_limit():
            return
        # Bad input gets an answer, not a dropped connection.
        if text_data is None:
            await self.send_error(_("Only text messages in JSON are accepted."))
            return
        if len(text_data) > MAX_MESSAGE_CHARS:
            # Clients only send pings and resumes: a long frame is not read at all.
            await self.send_error(_("This message is too long."))
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):  # RecursionError: nested too deep
            await self.send_error(_("This message is not valid JSON."))
            return
        if not isinstance(content, dict):
            await self.send_error(_("A message must be a JSON object."))
            return
        await self.receive_json(content, **kwargs)

    async def send_error(self, message: str) -> None:
        await self.send_json({"type": "error", "op": "reply", "message": message})

    # Until then this socket's messages are dropped unread (community.limits).
    _quiet_until: float = 0.0

    async def _within_limit(self) -> bool:
        """RATE_LIMITS["websocket"]: messages per member (or address) over all their
        sockets. The first one over gets an error frame saying how long to wait; the rest
        of the window is dropped without reading or counting. The socket stays open: what
        it relays to the browser is not the flood, and a close would only make the
        browser reconnect and ask for a replay."""
        if time.monotonic() < self._quiet_until:
            return False
        wait = await sync_to_async(limits.hit_socket, thread_sensitive=False)(self.scope)
        if wait is None:
            return True
        self._quiet_until = time.monotonic() + wait
        await self.send_json(
            {
                "type": "error",
                "op": "reply",
                "code": "rate_limited",
                "retry_after": wait,
                "message": limits.message("websocket", wait),
            }
        )
        return False


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

_last_frame: tuple[Any, dict[str, Any]] | None = None


def websocket_frame(event: dict[str, Any]) -> dict[str, Any]:
    """The ASGI send message for an event, encoded once for all the sockets the fan-out
    hands it to (they share the very same object; the reference kept here keeps its
    identity unique). Servers only read it."""
    global _last_frame
    if _last_frame is not None and _last_frame[0] is event:
        return _last_frame[1]
    frame = {"type": "websocket.send", "text": json.dumps(event)}
    _last_frame = (event, frame)
    return frame


def _run_now(coro) -> asyncio.Task | None:
    """Run a coroutine at once, in this call, instead of as a task per socket: a send on
    an open socket finishes without waiting. Only a send that has to wait (a client that
    reads slowly) continues as a task, returned, so one slow client holds up nobody else."""
    try:
        waiting_for = coro.send(None)
    except StopIteration:
        return None
    task = asyncio.get_running_loop().create_task(_resume(coro, waiting_for))
    _running.add(task)
    task.add_done_callback(_running.discard)
    return task


async def _resume(coro, waiting_for) -> None:
    # A hand-driven task: wait for what the coroutine waits for, then step it again.
    while True:
        with contextlib.suppress(BaseException):  # the coroutine sees the outcome itself
            await waiting_for
        try:
            waiting_for = coro.send(None)
        except StopIteration:
            return


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One handler at a time, as channels runs them; group messages that arrive
        # meanwhile wait in the backlog (see deliver).
        self._turn = asyncio.Lock()
        self._backlog: deque[dict[str, Any]] = deque()
        self._draining = False
        self._in_flight: asyncio.Task | None = None

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
        # Only now, after the permission check: the fan-out hands this socket its
        # group's messages directly (community.fanout; other layers have no attach).
        attach = getattr(type(self.channel_layer), "attach", None)
        if attach is not None:
            attach(self.channel_layer, self.channel_name, self.deliver)
        await self.accept()
        if self.RECHECK_SECONDS > 0:
            _Rechecks.of_this_loop().watch(self)

    async def revoke(self) -> None:
        """The permission was withdrawn: out of the group, and closed with 4403."""
        async with self._turn:
            if self.group is not None:
                await self.leave()
                await self.close(code=REFUSED)

    async def refuse(self) -> None:
        await self.leave()
        await self.accept()
        await self.close(code=REFUSED)

    async def leave(self) -> None:
        detach = getattr(type(self.channel_layer), "detach", None)
        if detach is not None:
            detach(self.channel_layer, self.channel_name)
        self._backlog.clear()
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None

    # --- Fan-out: one decoded group message, many sockets ------------------------------

    async def dispatch(self, message: dict[str, Any]) -> None:
        async with self._turn:
            await super().dispatch(message)
            await self._drain_backlog()

    def deliver(self, message: dict[str, Any]) -> None:
        """A group message from the fan-out, synchronously: sent at once when the checks
        need no database and no handler is running; otherwise queued behind, in order."""
        if message.get("type") != RELAY_MESSAGE_TYPE:
            self._enqueue(message)
            return
        if self._turn.locked() or self._backlog or self._in_flight is not None:
            self._enqueue(message)
            return
        event = message.get("event") or {}
        verdict = self.relay_now(event)
        if verdict is None:
            self._enqueue(message)  # a permission recheck: the full handler
        elif verdict:
            # A send that has to wait holds back the next ones (in the backlog): in order.
            self._in_flight = _run_now(self._send_frame(websocket_frame(event)))
            if self._in_flight is not None:
                self._in_flight.add_done_callback(self._landed)

    def _landed(self, _task) -> None:
        self._in_flight = None

    def relay_now(self, event: dict[str, Any]) -> bool | None:
        """relay_event's checks that need no database: True sends the event now, False
        drops it, None leaves it to relay_event (a permission recheck is due)."""
        if self.group is None:
            return False
        if self._needs_recheck(event):
            return None
        return True

    async def _send_frame(self, frame: dict[str, Any]) -> None:
        try:
            await self.base_send(frame)  # what self.send(text_data=...) ends in
        except Exception:  # the socket went away meanwhile: nothing to tell
            logger.debug("relay to %s stopped", self.channel_name, exc_info=True)

    def _enqueue(self, message: dict[str, Any]) -> None:
        self._backlog.append(message)
        if not self._turn.locked() and not self._draining:
            self._draining = True
            _spawn(self._drain())

    async def _drain(self) -> None:
        try:
            async with self._turn:
                await self._drain_backlog()
        except Exception:  # the socket went away meanwhile: nothing to tell
            logger.debug("relay to %s stopped", self.channel_name, exc_info=True)
            self._backlog.clear()
        finally:
            self._draining = False

    async def _drain_backlog(self) -> None:
        if self._backlog and self._in_flight is not None:
            await asyncio.wait([self._in_flight])  # the send before these ones
        while self._backlog and self.group is not None:
            await super().dispatch(self._backlog.popleft())
        self._backlog.clear()  # left or closed meanwhile: nothing more to send

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


class _Rechecks:
    """Keeps the permission of this process's guarded sockets fresh in the background.

    Without it the first event after RECHECK_SECONDS finds every socket's check expired,
    and a broadcast to a thousand sockets waits for a thousand checks. Here one task per
    event loop rechecks the sockets whose check is half expired, many per trip to the
    database thread, before an event needs them.
    """

    BATCH = 50
    _by_loop: dict[int, _Rechecks] = {}

    def __init__(self, loop) -> None:
        self.loop = loop
        self.sockets: weakref.WeakSet[GuardedRelayConsumer] = weakref.WeakSet()
        self.task = loop.create_task(self._run())

    @classmethod
    def of_this_loop(cls) -> _Rechecks:
        loop = asyncio.get_running_loop()
        found = cls._by_loop.get(id(loop))
        if found is None or found.loop is not loop or found.task.done():
            found = cls._by_loop[id(loop)] = cls(loop)
        return found

    def watch(self, socket: GuardedRelayConsumer) -> None:
        self.sockets.add(socket)

    async def _run(self) -> None:
        while True:
            period = GuardedRelayConsumer.RECHECK_SECONDS
            await asyncio.sleep(max(period / 4, 0.5) * random.uniform(0.8, 1.2))  # noqa: S311  spread, not secrecy
            now = time.monotonic()
            due = [
                s
                for s in list(self.sockets)
                if s.group is not None and now - s._checked_at >= s.RECHECK_SECONDS / 2
            ]
            for start in range(0, len(due), self.BATCH):
                batch = due[start : start + self.BATCH]
                try:
                    verdicts = await database_sync_to_async(_check_all)(batch)
                except Exception:  # try again next round; events still check
                    logger.exception("background permission checks failed")
                    break
                checked = time.monotonic()
                for socket, allowed in zip(batch, verdicts, strict=True):
                    if allowed:
                        socket._checked_at = checked
                    elif socket.group is not None:
                        _spawn(socket.revoke())


def _check_all(sockets: list[GuardedRelayConsumer]) -> list[bool]:
    return [socket.may_listen() for socket in sockets]


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

    def relay_now(self, event: dict[str, Any]) -> bool | None:
        # relay_event and send_json below, minus the database: the same rules, in order.
        seq = event.get("seq")
        if isinstance(seq, int) and seq <= self.last_seq:
            return False
        verdict = super().relay_now(event)
        if not verdict:
            return verdict
        if event.get("op") == "review" and not self.facilitates:
            return False
        if isinstance(seq, int):
            self.last_seq = seq
        return True

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
        # Each arrival or departure announces the count to everyone on the board; when a
        # whole session joins at once that is N announcements to N sockets, so past a
        # burst they are folded into one that follows (and says the count by then).
        gate = _presence_gate(self.board_id)
        now = time.monotonic()
        while gate.sent and now - gate.sent[0] > PRESENCE_WINDOW:
            gate.sent.popleft()
        if len(gate.sent) < PRESENCE_BURST:
            gate.sent.append(now)
            await _send_count(self.channel_layer, self.board_id)
            return
        if gate.pending:
            return
        gate.pending = True
        loop = asyncio.get_running_loop()
        delay = PRESENCE_WINDOW - (now - gate.sent[0])
        layer, board_id = self.channel_layer, self.board_id

        def follow_up() -> None:
            gate.pending = False
            gate.sent.append(time.monotonic())
            _spawn(_send_count(layer, board_id))

        loop.call_later(max(delay, 0.0), follow_up)


# At most PRESENCE_BURST count announcements per board and process in PRESENCE_WINDOW
# seconds, then one more at the end of the window.
PRESENCE_BURST = 10
PRESENCE_WINDOW = 2.0


class _PresenceGate:
    def __init__(self, loop) -> None:
        self.loop = loop
        self.sent: deque[float] = deque()
        self.pending = False


_presence_gates: dict[int, _PresenceGate] = {}


def _presence_gate(board_id: int) -> _PresenceGate:
    loop = asyncio.get_running_loop()
    gate = _presence_gates.get(board_id)
    if gate is None or gate.loop is not loop:  # a new event loop (tests): a fresh start
        gate = _presence_gates[board_id] = _PresenceGate(loop)
    return gate


def _count(board_id: int) -> int:
    board = Board.objects.filter(pk=board_id).first()
    return board_queries.participant_count(board) if board else 0


async def _send_count(layer, board_id: int) -> None:
    count = await database_sync_to_async(_count)(board_id)
    await layer.group_send(
        board_services.board_group(board_id),
        {
            "type": RELAY_MESSAGE_TYPE,
            "event": {"type": "board.presence", "op": "count", "board": board_id, "count": count},
        },
    )


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
