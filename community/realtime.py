"""Publish events to websocket groups, only once the data they describe is committed.

Every feature that shows something live uses this helper from its services:

    publish_on_commit(group_name("thread", thread.pk), {"type": "post", "op": "created", ...})

Consumers that joined the group receive the event as a `relay.event` message and pass
`message["event"]` to the browser unchanged (see consumers.RelayConsumer). If the
transaction rolls back, nothing is sent.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

logger = logging.getLogger(__name__)

# Channel layers accept ASCII letters, digits, hyphens, periods and underscores, < 100 chars.
_GROUP_NAME = re.compile(r"^[A-Za-z0-9._-]{1,99}$")
RELAY_MESSAGE_TYPE = "relay.event"


def group_name(*parts: str | int) -> str:
    """Build a valid channel-group name such as 'journey.42.forum'."""
    name = ".".join(str(part) for part in parts)
    if not _GROUP_NAME.match(name):
        raise ValueError(f"{name!r} is not a valid channel group name")
    return name


def publish_on_commit(group: str, event: dict[str, Any]) -> None:
    """Send `event` to every socket in `group` after the current transaction commits.

    Outside a transaction (autocommit) it is sent at once. The event must carry a
    "type" and an "op"; it is made JSON-safe here, so datetimes and UUIDs arrive as
    strings on every channel layer alike.
    """
    if not _GROUP_NAME.match(group):
        raise ValueError(f"{group!r} is not a valid channel group name")
    if "type" not in event or "op" not in event:
        raise ValueError("an event needs a 'type' and an 'op'")
    payload = json.loads(json.dumps(event, cls=DjangoJSONEncoder))
    # robust: a channel layer that is down must not turn a committed write into an error.
    # (A named callable: Django logs a failing robust callback by its __qualname__.)
    transaction.on_commit(lambda: _send(group, payload), robust=True)


def _send(group: str, payload: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        logger.warning("no channel layer configured; event for %s dropped", group)
        return
    message = {"type": RELAY_MESSAGE_TYPE, "event": payload}
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        # The usual case: a request thread (inside an ASGI server async_to_sync hands the
        # send to the server's own loop) or a command.
        async_to_sync(layer.group_send)(group, message)
        return
    # An event loop runs in this very thread (async code calling sync code directly, or
    # a test driver): async_to_sync refuses to run here, so send from a helper thread.
    sender = threading.Thread(target=async_to_sync(layer.group_send), args=(group, message))
    sender.start()
    sender.join(timeout=10)
