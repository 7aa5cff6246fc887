"""PostgreSQL restarted under load: a private cluster (initdb, pg_ctl) on a free port,
a copy of the test database in it, gunicorn serving member pages from it to a few client
threads without pause. Then `pg_ctl restart`: only requests in flight may fail, the
service answers again within 5 s of PostgreSQL being back, and the same worker processes
serve before and after (the connection pool checks each connection it hands out:
config/settings/components.py)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.urls import reverse

from community import services
from community.models import ForumCategory
from community.services import forum
from tests.faults.conftest import database_url, free_port, signed_in, wait_until

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CLIENTS = 4
RECOVERY_SECONDS = 5


def postgres_bin(name: str) -> str | None:
    """The tool from the newest installed PostgreSQL (Debian keeps initdb and pg_ctl out
    of PATH), else from PATH."""
    found = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4])
    )
    return found[-1] if found else shutil.which(name)


def as_cluster_owner() -> list[str]:
    """initdb refuses root: as root, run the cluster as the postgres OS user."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no postgres OS user to own a cluster")
    return ["runuser", "-u", "postgres", "--"]


class Cluster:
    def __init__(self) -> None:
        self.port = free_port()
        self.owner = as_cluster_owner()
        self.root = Path(tempfile.mkdtemp(prefix="h_faults_pg_"))
        self.data = self.root / "data"
        if self.owner:
            shutil.chown(self.root, "postgres", "postgres")
        self.log = self.root / "postgres.log"

    def pg_ctl(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            [*self.owner, postgres_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), *args],
            check=True,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        subprocess.run(
            [
                *(*self.owner, postgres_bin("initdb"), "-D", str(self.data), "-U", "postgres"),
                *("--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"),
            ],
            check=True,
            timeout=120,
            stdout=subprocess.DEVNULL,
        )
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("start", "-w", "-o", options)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("stop", "-m", "immediate", "-w")
        shutil.rmtree(self.root, ignore_errors=True)

    def restore(self, source_settings: dict, name: str) -> str:
        """A copy of the source database as `name`; its DATABASE_URL."""
        target = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        subprocess.run([postgres_bin("createdb"), *target, name], check=True, timeout=60)
        env = {**os.environ, "PGPASSWORD": source_settings.get("PASSWORD") or ""}
        source = [
            "-h", source_settings.get("HOST") or "127.0.0.1",
            "-p", str(source_settings.get("PORT") or 5432),
            "-U", source_settings.get("USER") or "postgres",
        ]  # fmt: skip
        dump = subprocess.Popen(
            [postgres_bin("pg_dump"), *source, "--no-owner", source_settings["NAME"]],
            stdout=subprocess.PIPE,
            env=env,
        )
        subprocess.run(
            [postgres_bin("psql"), *target, "-q", "-v", "ON_ERROR_STOP=1", "-d", name],
            stdin=dump.stdout,
            check=True,
            timeout=120,
            stdout=subprocess.DEVNULL,
        )
        assert dump.wait(60) == 0
        return database_url({"USER": "postgres", "NAME": name, "HOST": "127.0.0.1"}, port=self.port)


@dataclass
class Outcome:
    started: float
    ended: float
    ok: bool
    detail: str


def worker_pids(master_pid: int) -> set[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return {int(pid) for pid in children}


def test_postgres_restart_under_load_fails_only_requests_in_flight_and_recovers_within_5_s(
    platform,
):
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite: there is no PostgreSQL to restart")
    if not postgres_bin("initdb") or not postgres_bin("pg_ctl"):
        pytest.skip("initdb and pg_ctl are not installed")

    ans = services.register_member(
        None, email="ans@example.org", password="Proef-wachtwoord-2026", email_verified=True
    )
    category = ForumCategory.objects.create(name="Wat werkt", slug="wat-werkt")
    thread = forum.start_thread(
        ans, title="Buurtkamers die werken", body="Wie heeft ervaring?", category=category
    )
    path = reverse("community:plein_thread", args=[thread.pk])
    cookies = signed_in(ans).cookies

    cluster = Cluster()
    try:
        cluster.start()
        url = cluster.restore(connection.settings_dict, "h_faults_restart")
        web = platform(
            "wsgi", {"DATABASE_URL": url, "REDIS_URL": "", "PAGE_CACHE_SECONDS": "0"}, workers=2
        )
        workers_before = worker_pids(web.pid)

        outcomes: list[Outcome] = []
        stop = threading.Event()

        def client() -> None:
            session = requests.Session()
            session.cookies.update(cookies)
            while not stop.is_set():
                started = time.monotonic()
                try:
                    response = session.get(web.url + path, timeout=30, allow_redirects=False)
                    ok = response.status_code == 200 and "Buurtkamers die werken" in response.text
                    detail = str(response.status_code)
                except requests.RequestException as error:
                    ok, detail = False, type(error).__name__
                outcomes.append(Outcome(started, time.monotonic(), ok, detail))

        clients = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
        for thread_ in clients:
            thread_.start()
        wait_until(lambda: sum(o.ok for o in outcomes) >= 20, 60, what="20 answers before")
        restart_began = time.monotonic()
        cluster.pg_ctl("restart", "-m", "fast", "-w")
        back = time.monotonic()
        wait_until(lambda: any(o.ok and o.started > back for o in outcomes), 30, what="recovery")
        time.sleep(3)  # keep the stream going a little after recovery
        stop.set()
        for thread_ in clients:
            thread_.join(35)
    finally:
        cluster.stop()

    before = [o for o in outcomes if o.ended < restart_began]
    failed = [o for o in outcomes if not o.ok]
    assert before and all(o.ok for o in before)
    # Only requests in flight while PostgreSQL went down and came back may fail.
    late = [o for o in failed if o.started > back]
    assert not late, f"{len(late)} requests failed after PostgreSQL was back: {late[:3]}"
    first_answer = min(o.ended for o in outcomes if o.ok and o.started > back)
    assert first_answer - back < RECOVERY_SECONDS, f"answered {first_answer - back:.1f} s after"
    assert sum(o.ok for o in outcomes if o.started > back) >= CLIENTS
    # The same workers: nothing was restarted to recover.
    assert worker_pids(web.pid) == workers_before
    print(
        f"postgres restart: {len(outcomes)} requests, {len(failed)} failed "
        f"({sorted({o.detail for o in failed})}), restart took {back - restart_began:.2f} s, "
        f"first answer {first_answer - back:.2f} s after"
    )
