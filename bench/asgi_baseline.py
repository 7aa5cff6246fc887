"""The floor for websocket broadcast: a bare ASGI app, no Django, no channels.

Served by the same uvicorn with the same flags as the platform's realtime server:

    uvicorn bench.asgi_baseline:app

Every websocket that connects (any path) is kept in one set. A text frame
{"broadcast": n} from any socket sends {"type": "bench", "seq": n} to every other socket,
one frame each, in one loop: the least work a broadcast over this server can be.
"""

from __future__ import annotations

import json

_sockets: dict[int, object] = {}


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] == "http":
        await receive()
        body = json.dumps({"connected": len(_sockets)}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})
        return
    if scope["type"] != "websocket":
        return
    key = id(send)
    while True:
        message = await receive()
        kind = message["type"]
        if kind == "websocket.connect":
            await send({"type": "websocket.accept"})
            _sockets[key] = send
        elif kind == "websocket.receive":
            text = message.get("text") or ""
            try:
                seq = json.loads(text)["broadcast"]
            except (ValueError, KeyError, TypeError):
                continue
            frame = {"type": "websocket.send", "text": json.dumps({"type": "bench", "seq": seq})}
            for other_key, other in list(_sockets.items()):
                if other_key != key:
                    await other(frame)
        elif kind == "websocket.disconnect":
            _sockets.pop(key, None)
            return
