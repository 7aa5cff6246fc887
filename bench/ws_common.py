"""What the websocket scenarios share: the environment, the servers under test (pinned to
core 0), sessions for member sockets, a crowd of clients (on core 1), RSS and statistics.

The harness helpers (bench.server, bench.stats) are used when they are there; the small
local versions below keep these scenarios runnable on their own.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
ORIGIN = f"http://{HOST}"
PYTHON = sys.executable

# The production realtime server's flags (compose.yaml, service "realtime"), minus the
# proxy headers, which only matter behind Caddy.
UVICORN_FLAGS = ["--no-server-header", "--log-level", "warning", "--no-access-log"]


def bench_env(**extra: str) -> dict[str, str]:
    """The environment of every process of a websocket scenario."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_w1")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
    # The benches post far faster than a person: the limits stay at their defaults elsewhere.
    env.setdefault("FORUM_POSTS_PER_MINUTE", "100000")
    env.setdefault("BOARD_CARDS_PER_MINUTE", "100000")
    env.update(extra)
    return env


def setup_django() -> None:
    """Django in the load generator (sessions, service calls), with the bench settings."""
    for key, value in bench_env().items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()


def pin_load_generator() -> None:
    """The clients run on core 1, the server under test on core 0."""
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {1})


# --- Servers ------------------------------------------------------------------------------


def wait_for_port(port: int, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {proc.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


def start_uvicorn(
    app: str, port: int, *, env: dict[str, str] | None = None, extra: Iterable[str] = ()
) -> subprocess.Popen:
    """uvicorn serving `app` on core 0, with the production realtime flags."""
    taskset = ["taskset", "-c", "0"] if (os.cpu_count() or 1) > 1 else []
    command = [
        *taskset,
        PYTHON,
        "-m",
        "uvicorn",
        app,
        "--host",
        HOST,
        "--port",
        str(port),
        *UVICORN_FLAGS,
        *extra,
    ]
    proc = subprocess.Popen(  # noqa: S603  our own command line
        command, cwd=REPO, env=env or bench_env(), start_new_session=True
    )
    wait_for_port(port, proc=proc)
    return proc


def start_gunicorn(port: int, *, env: dict[str, str] | None = None, workers: int = 2):
    """The WSGI page server as in production (compose.yaml, service "web"), on core 0."""
    taskset = ["taskset", "-c", "0"] if (os.cpu_count() or 1) > 1 else []
    command = [
        *taskset,
        PYTHON,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(  # noqa: S603  our own command line
        command, cwd=REPO, env=env or bench_env(), start_new_session=True
    )
    wait_for_port(port, proc=proc)
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def server_pid(proc: subprocess.Popen) -> int:
    """The python process itself (taskset execs it, so it is the same pid)."""
    return proc.pid


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS from /proc/<pid>/status and Pss from smaps_rollup, in KiB."""
    found = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                found["rss"] = int(line.split()[1])
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    found["pss"] = int(line.split()[1])
    except OSError:
        pass
    return found


# --- Sessions and clients -----------------------------------------------------------------


def session_cookies(user_ids: Iterable[int]) -> dict[int, str]:
    """A signed-in Django session per user, as the login view would leave it."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    users = get_user_model().objects.filter(pk__in=list(user_ids))
    backend = settings.AUTHENTICATION_BACKENDS[0]
    cookies = {}
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[user.pk] = session.session_key
    return cookies


class Crowd:
    """Many websocket clients in this process, each recording what arrives and when."""

    def __init__(self, url: str, cookies: list[str | None], *, connect_concurrency: int = 50):
        self.url = url
        self.cookies = cookies
        self.connect_concurrency = connect_concurrency
        self.sockets: list[aiohttp.ClientWebSocketResponse] = []
        self.received: list[list[tuple[float, dict]]] = []
        self._readers: list[asyncio.Task] = []
        self._session: aiohttp.ClientSession | None = None
        self.arrivals = asyncio.Event()
        self.watch = None  # a predicate on (client index, message): sets `arrivals`

    async def connect(self) -> None:
        connector = aiohttp.TCPConnector(limit=0, force_close=True)
        self._session = aiohttp.ClientSession(connector=connector)
        gate = asyncio.Semaphore(self.connect_concurrency)

        async def one(index: int, cookie: str | None):
            headers = {"Origin": ORIGIN}
            if cookie:
                headers["Cookie"] = f"sessionid={cookie}"
            async with gate:
                return await self._session.ws_connect(
                    self.url, headers=headers, autoping=True, heartbeat=None, max_msg_size=0
                )

        self.sockets = list(await asyncio.gather(*(one(i, c) for i, c in enumerate(self.cookies))))
        self.received = [[] for _ in self.sockets]
        self.closed: dict[int, int | None] = {}
        self._readers = [
            asyncio.create_task(self._read(i, ws)) for i, ws in enumerate(self.sockets)
        ]

    async def _read(self, index: int, ws: aiohttp.ClientWebSocketResponse) -> None:
        inbox = self.received[index]
        clock = time.perf_counter
        async for frame in ws:
            if frame.type != aiohttp.WSMsgType.TEXT:
                break
            now = clock()
            message = json.loads(frame.data)
            inbox.append((now, message))
            if self.watch is not None and self.watch(index, message):
                self.arrivals.set()
        self.closed[index] = ws.close_code

    def clear(self) -> None:
        for inbox in self.received:
            inbox.clear()

    async def close(self) -> None:
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        for task in self._readers:
            task.cancel()
        await asyncio.gather(*self._readers, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
        self.sockets = []


async def wait_for_count(crowd: Crowd, limit: float = 300.0) -> None:
    """Until the board's participant count at some client reaches the number of sockets
    still open (those the server closed meanwhile are reported apart)."""
    deadline = time.monotonic() + limit
    count = len(crowd.sockets)
    while time.monotonic() < deadline:
        count = len(crowd.sockets) - len(crowd.closed)
        for inbox in crowd.received:
            if inbox and any(
                m.get("type") == "board.presence" and m.get("count", 0) >= count
                for _, m in inbox[-3:]
            ):
                return
        await asyncio.sleep(0.25)
    raise RuntimeError(f"the participant count did not reach {count} in {limit} s")


async def wait_quiet(crowd: Crowd, quiet: float = 0.5, limit: float = 60.0) -> None:
    """Until nothing has arrived at any client for `quiet` seconds."""
    deadline = time.monotonic() + limit
    last_total = -1
    while time.monotonic() < deadline:
        total = sum(len(inbox) for inbox in crowd.received)
        if total == last_total:
            return
        last_total = total
        await asyncio.sleep(quiet)


# --- Who listens --------------------------------------------------------------------------

AUDIENCE_EMAIL = "bench-ws-{:05d}@example.invalid"


def audience(n: int) -> dict:
    """The board, thread and journey the scenarios listen to, a facilitator and `n` member
    ids of that journey.

    With BENCH_PROFILE set, the generator's targets manifest names them; otherwise (or
    when the manifest names fewer members) members are added to the journey of an open
    board here, in bulk, so a database with only the demo data serves too.
    """
    from django.contrib.auth import get_user_model

    from community.models import Board, BoardPresence, Thread
    from journeys.models import Membership

    manifest = None
    profile = os.environ.get("BENCH_PROFILE")
    if profile:
        try:
            from bench import targets

            manifest = targets.load(profile)
        except (ImportError, OSError):
            manifest = None
    if manifest and manifest.get("board"):
        board = Board.objects.select_related("journey").get(pk=manifest["board"]["id"])
        thread = Thread.objects.get(pk=manifest["thread"]["id"])
        facilitator_id = manifest["facilitator"]["id"]
        members = list(manifest.get("members_of_target_journey") or [])
    else:
        board = (
            Board.objects.select_related("journey")
            .filter(state=Board.State.OPEN, journey__threads__isnull=False)
            .order_by("pk")
            .first()
        )
        if board is None:
            raise SystemExit("no open board in a journey with a thread: run seed_demo first")
        thread = Thread.objects.filter(journey=board.journey).order_by("pk").first()
        facilitator_id = (
            Membership.objects.filter(
                journey=board.journey, role=Membership.Role.REISBEGELEIDER
            ).values_list("user_id", flat=True)
        ).first()
        members = []
    journey = board.journey
    # Presence rows left by a server that was killed earlier would inflate the count.
    BoardPresence.objects.filter(board=board).delete()
    members = [pk for pk in members if pk != facilitator_id]
    if len(members) < n:
        user_model = get_user_model()
        emails = [AUDIENCE_EMAIL.format(i) for i in range(n)]
        existing = set(user_model.objects.filter(email__in=emails).values_list("email", flat=True))
        user_model.objects.bulk_create(
            [
                user_model(email=email, first_name="Deelnemer", last_name=email[9:14])
                for email in emails
                if email not in existing
            ]
        )
        ids = list(user_model.objects.filter(email__in=emails).values_list("pk", flat=True))
        Membership.objects.bulk_create(
            [Membership(journey=journey, user_id=pk, role=Membership.Role.REIZIGER) for pk in ids],
            ignore_conflicts=True,
        )
        members = (members + [pk for pk in ids if pk not in set(members)])[:n]
    return {
        "board": board.pk,
        "board_path": f"/ws/borden/{board.pk}/",
        "journey": journey.pk,
        "journey_slug": journey.slug,
        "thread": thread.pk,
        "thread_path": f"/ws/forum/thread/{thread.pk}/",
        "thread_url": f"/reizen/{journey.slug}/forum/{thread.pk}/",
        "facilitator": facilitator_id,
        "members": members[:n],
    }
