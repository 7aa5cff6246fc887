"""Fault tests: the platform's production serving set-up as real processes on loopback
(gunicorn for pages, uvicorn for websockets; bench/server.py starts them with
config.settings.bench), against a Redis and, for the restart test, a PostgreSQL cluster
that the test starts and stops itself.

The servers use the test's own database: on PostgreSQL the test database itself (the test
writes its data committed, with transaction=True); on SQLite, where the test database
lives in memory, a file copy of it made once the data is in (`served_database`).
Migrating a fresh database would take a minute; copying takes a fraction of a second.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.conf import settings
from django.db import connection

from bench import server as bench_server

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "faults: real processes on loopback with a component stopped or restarted"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"{what} not reached within {timeout:.0f} s")


# --- Redis ---------------------------------------------------------------------------------


class RedisProcess:
    """A redis-server of the test's own, started and stopped at will on one port. Like
    production's (compose.yaml) it keeps nothing across a restart."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *(REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(self.answers, 10, what="redis-server answering")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None


@pytest.fixture
def redis_process(tmp_path) -> Iterator[RedisProcess]:
    if not Path(REDIS_SERVER).exists():
        pytest.skip(f"no redis-server at {REDIS_SERVER}")
    redis = RedisProcess(tmp_path)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


# --- The database the servers use ----------------------------------------------------------


class ServedDatabase:
    """The database the server processes use, and SQL on it from the test."""

    def __init__(self, url: str, sqlite_path: Path | None = None) -> None:
        self.url = url
        self.sqlite_path = sqlite_path

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of a query with %s placeholders, on the database the servers write to."""
        if self.sqlite_path is not None:
            with sqlite3.connect(self.sqlite_path) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def database_url(settings_dict: dict, *, port: int | None = None) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    return (
        f"postgres://{credentials}{host}:{port or settings_dict.get('PORT') or 5432}/"
        + (settings_dict["NAME"])
    )


@pytest.fixture
def served_database(transactional_db, tmp_path):
    """share() -> ServedDatabase: call it once the test's data is written."""

    def share() -> ServedDatabase:
        if connection.vendor == "postgresql":
            return ServedDatabase(database_url(connection.settings_dict))
        assert connection.vendor == "sqlite", connection.vendor
        path = tmp_path / "served.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return ServedDatabase(f"sqlite:///{path}", sqlite_path=path)

    return share


# --- The platform's servers ----------------------------------------------------------------


@pytest.fixture
def platform() -> Iterator:
    """start(kind, env) -> bench.server.Server: 'wsgi' (gunicorn with sync workers, as the
    production web service) or 'asgi' (uvicorn, as the realtime service). Each is stopped
    at the end of the test."""
    started: list[bench_server.Server] = []

    def start(kind: str, env: dict[str, str], workers: int = 1) -> bench_server.Server:
        env = {
            # The test's key: sessions written by the test (signed_in) are valid there.
            "SECRET_KEY": settings.SECRET_KEY,
            "DEBUG": "false",
            "LOG_LEVEL": "ERROR",
            "MEILISEARCH_URL": "",
            "FORUM_POSTS_PER_MINUTE": "1000",
            "REQUIRE_STAFF_TWO_FACTOR": "false",
            **env,
        }
        port = free_port()
        name = f"faults-{kind}"
        if kind == "wsgi":
            server = bench_server.start_wsgi(port, env, workers=workers, name=name)
        else:
            server = bench_server.start_asgi(port, env, name=name)
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.stop()


def signed_in(user) -> requests.Session:
    """A requests session signed in as user on 127.0.0.1 (a session written straight to
    the store, as bench/server.py does). On SQLite: before served_database's share()."""
    session = requests.Session()
    name, value = bench_server.session_cookie(user.pk)
    session.cookies.set(name, value, domain="127.0.0.1")
    return session


def csrf_token(session: requests.Session, url: str) -> str:
    response = session.get(url, timeout=30)
    response.raise_for_status()
    token = session.cookies.get("csrftoken")
    assert token, f"no CSRF cookie from {url}"
    return token


def kill_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
