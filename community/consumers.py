"""Websocket consumers. Thin: they check who may listen, join groups and relay events;
input goes through services."""

from __future__ import annotations

import json
import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext as _

from community.models import Thread, User
from community.queries import forum as forum_queries
from community.realtime import group_name
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
