"""Websocket consumers. Thin: they check who may listen, join groups and relay events;
input goes through services."""

from __future__ import annotations

import json
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from community.realtime import group_name

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
