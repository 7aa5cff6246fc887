"""An ASGI live server for browser tests that need websockets.

pytest-django's live_server speaks WSGI only. `asgi_site` runs the project's ASGI
application (pages, static files through WhiteNoise, websockets) under uvicorn in a
daemon thread of the test process, so the in-memory channel layer is the one the views
publish to. Tests using it need
`@pytest.mark.django_db(transaction=True, serialized_rollback=True)`: the server's
threads only see committed data.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

START_TIMEOUT = 15.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _share_in_memory_databases(monkeypatch) -> list:
    """An in-memory SQLite test database lives in one connection: hand that connection to
    every thread the server runs code in, as Django's own live server does."""
    from django.db import connections

    shared = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    if not shared:
        return []
    create = connections.create_connection

    def create_connection(alias):
        return shared[alias] if alias in shared else create(alias)

    monkeypatch.setattr(connections, "create_connection", create_connection)
    for conn in shared.values():
        conn.inc_thread_sharing()
    return list(shared.values())


@pytest.fixture
def asgi_site(transactional_db, monkeypatch) -> Iterator[str]:
    """'http://127.0.0.1:<port>' of a uvicorn server running config.asgi.application."""
    import uvicorn

    from config.asgi import application

    shared = _share_in_memory_databases(monkeypatch)
    port = _free_port()
    config = uvicorn.Config(
        app=application,
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        ws="websockets-sansio",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="asgi-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the ASGI test server did not start on port {port}")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        for conn in shared:
            conn.dec_thread_sharing()
