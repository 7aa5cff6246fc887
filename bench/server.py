"""The servers under test, on loopback and pinned to core 0, and what clients need to use them.

Pages: gunicorn, the production command's worker class (sync). Websockets: uvicorn, as the
production "realtime" service. Both with DJANGO_SETTINGS_MODULE=config.settings.bench, so
/bench/hello/ (the floor) is served by the same process as the pages. Logs: var/bench/*.log.

Environment read here:
  BENCH_PROFILE        full | small (the data set the scenario runs on; default full)
  BENCH_MANIFEST       a targets manifest to use instead of bench/results/dataset-<profile>.json
  BENCH_PORT           first port a scenario may use (default 8400)
  BENCH_SERVER_CPU     core(s) for the server (default 0), BENCH_CLIENT_CPU for the client (1)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LOGS = REPO / "var" / "bench"
HOST = "127.0.0.1"
BIN = Path(sys.executable).parent


def server_cpu() -> str:
    return os.environ.get("BENCH_SERVER_CPU", "0")


def client_cpu() -> int:
    return int(os.environ.get("BENCH_CLIENT_CPU", "1"))


def base_port() -> int:
    return int(os.environ.get("BENCH_PORT", "8400"))


def profile() -> str:
    return os.environ.get("BENCH_PROFILE", "full")


def pin_client() -> None:
    """The load generator and timing client run on their own core, away from the server."""
    cpu = client_cpu()
    if hasattr(os, "sched_setaffinity") and cpu < (os.cpu_count() or 1):
        os.sched_setaffinity(0, {cpu})


def server_env(env: dict[str, str] | None = None) -> dict[str, str]:
    merged = {**os.environ, **(env or {})}
    merged["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    merged.setdefault("PYTHONUNBUFFERED", "1")
    return merged


@dataclass
class Server:
    """A running server under test; stop() ends it (and its workers)."""

    name: str
    port: int
    process: subprocess.Popen
    log: Path
    command: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, timeout: float = 15) -> None:
        if self.process.poll() is not None:
            return
        # The server leads its own process group: this ends the workers too.
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _start(name: str, port: int, command: list[str], env, ready_path: str) -> Server:
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{name}-{port}.log"
    pinned = ["taskset", "-c", server_cpu(), *command]
    with log.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603
            pinned,
            cwd=REPO,
            env=server_env(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(name, port, process, log, pinned)
    try:
        wait_ready(server, ready_path)
    except BaseException:
        server.stop()
        raise
    return server


def wait_ready(server: Server, path: str = "/bench/hello/", timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = server.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{server.name} exited while starting; log {server.log}:\n{tail}")
        try:
            with urllib.request.urlopen(server.url + path, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer {path} within {timeout:.0f} s")


def start_wsgi(
    port: int,
    env: dict[str, str] | None = None,
    workers: int = 1,
    *,
    worker_class: str = "sync",
    threads: int = 1,
    name: str = "gunicorn",
    ready_path: str = "/bench/hello/",
) -> Server:
    """gunicorn serving config.wsgi on 127.0.0.1:port, pinned to the server core.

    The sync worker (compose.yaml's) closes the connection after each response: clients
    open one per request. One worker measures service time without queueing; more workers
    on one core only overlap waits on PostgreSQL and Redis.
    """
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--backlog",
        "4096",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    return _start(name, port, command, env, ready_path)


def start_asgi(
    port: int,
    env: dict[str, str] | None = None,
    *,
    name: str = "uvicorn",
    ready_path: str = "/bench/hello/",
) -> Server:
    """uvicorn serving config.asgi (pages and websockets) on 127.0.0.1:port, pinned."""
    command = [
        str(BIN / "uvicorn"),
        "config.asgi:application",
        "--host",
        HOST,
        "--port",
        str(port),
        "--no-server-header",
        "--no-access-log",
        "--log-level",
        "warning",
        "--backlog",
        "4096",
    ]
    return _start(name, port, command, env, ready_path)


def flush_cache(redis_url: str | None = None) -> None:
    """Empty the bench Redis database: the small and full data sets share page paths, so a
    page cached from one must never answer for the other."""
    url = redis_url or os.environ.get("REDIS_URL")
    if not url:
        return
    import redis

    redis.Redis.from_url(url).flushdb()


# --- What the client side needs ---------------------------------------------------------


def load_manifest(name: str | None = None) -> dict:
    """The targets manifest of the profile: BENCH_MANIFEST, else bench.targets.load()."""
    override = os.environ.get("BENCH_MANIFEST")
    if override:
        return json.loads(Path(override).read_text())
    name = name or profile()
    try:
        from bench import targets
    except ImportError:
        path = REPO / "bench" / "results" / f"dataset-{name}.json"
        return json.loads(path.read_text())
    return targets.load(name)


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


def session_cookie(user_id: int) -> tuple[str, str]:
    """(cookie name, value) of a fresh logged-in session for the user, written straight to
    the session store: the same session the login form would create, without its rate
    limits and password hashing. Needs setup_django() first."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    user = get_user_model().objects.get(pk=user_id)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return settings.SESSION_COOKIE_NAME, store.session_key
