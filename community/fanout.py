"""Broadcast to many sockets: one Redis message per process per group, fanned out here.

Stock channels-redis pushes a copy of a group message onto Redis for every member
channel and each process then pops them one by one: 1,000 sockets on a board cost 1,000
Redis round trips and 1,000 trips through channels' per-consumer receive loop, 6-7x a
bare ASGI broadcast on this hardware. This layer builds on channels-redis' pub/sub layer
(each process subscribes once to each group it has members of, Redis sends each process
one message per group_send) and adds one thing: a consumer may *attach* a receiver for
its channel. A group message is then deserialized once and handed to every attached
receiver in this process directly (see consumers.GuardedRelayConsumer.deliver); channels
without a receiver get it through their queue as before.

Pub/sub delivers at most once: a process that loses its Redis connection misses what is
published meanwhile. Board events are numbered, so a client sees the gap and asks for
what it missed; other live features are hints that the page refreshes from the server.
The in-memory layer (make run, tests) is left as it is.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from channels_redis.pubsub import (
    RedisPubSubChannelLayer,
    RedisPubSubLoopLayer,
    RedisSingleShardConnection,
)
from channels_redis.utils import _wrap_close, decode_hosts

logger = logging.getLogger(__name__)

Receiver = Callable[[dict[str, Any]], None]


class FanoutChannelLayer(RedisPubSubChannelLayer):
    """RedisPubSubChannelLayer whose group messages reach attached receivers directly."""

    def _get_layer(self) -> FanoutLoopLayer:
        loop = asyncio.get_running_loop()
        try:
            return self._layers[loop]
        except KeyError:
            layer = FanoutLoopLayer(*self._args, **self._kwargs, channel_layer=self)
            self._layers[loop] = layer
            _wrap_close(self, loop)
            return layer

    def attach(self, channel: str, receiver: Receiver) -> None:
        """Hand this channel's group messages to `receiver` (called synchronously, in
        order, with a message that other receivers share: read it, do not change it)."""
        self._get_layer().receivers[channel] = receiver

    def detach(self, channel: str) -> None:
        self._get_layer().receivers.pop(channel, None)


class FanoutLoopLayer(RedisPubSubLoopLayer):
    def __init__(self, hosts=None, **kwargs):
        super().__init__(hosts=hosts, **kwargs)
        self.receivers: dict[str, Receiver] = {}
        self._shards = [FanoutShard(host, self) for host in decode_hosts(hosts)]


class FanoutShard(RedisSingleShardConnection):
    def _receive_message(self, message) -> None:
        if message is None:
            return
        layer = self.channel_layer
        name = message["channel"]
        if isinstance(name, bytes):
            name = name.decode()
        members = layer.groups.get(name)
        if members is None:
            super()._receive_message(message)
            return
        data = message["data"]
        decoded = None
        for channel in list(members):
            receiver = layer.receivers.get(channel)
            if receiver is not None:
                if decoded is None:
                    decoded = layer.channel_layer.deserialize(data)
                try:
                    receiver(decoded)
                except Exception:
                    # One broken socket must not cost the others their message.
                    logger.exception("a receiver of %s failed", name)
            elif channel in layer.channels:
                layer.channels[channel].put_nowait(data)
