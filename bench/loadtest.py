"""`make loadtest`: simulated members against the production serving set-up on loopback,
then a check that nothing failed and every write is in the database.

    python -m bench.loadtest [--users 200] [--duration 600] [--profile tiny]

1. Data: bench.generate's data set of --profile in LOADTEST_DATABASE_URL (default
   postgres://postgres@127.0.0.1:5432/loadtest), generated when missing (`--keep`).
2. Serving: gunicorn (LOADTEST_WEB_WORKERS sync workers, 4 as compose.yaml) for pages and
   uvicorn for websockets (bench/server.py), with config.settings.bench and
   LOADTEST_REDIS_URL (default redis://127.0.0.1:6379/10). Posting limits are lifted:
   200 members share the data set's few accounts.
3. Load: locust, headless (bench/locustfile.py), --users for --duration seconds.
4. Check: no failed request, no 5xx, every reply and card the server accepted found in
   the database by its tag. Figures in var/loadtest/summary.json and on stdout; exit 1 on
   any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench import server

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "var" / "loadtest"
BIN = Path(sys.executable).parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest")
    parser.add_argument("--users", type=int, default=int(os.environ.get("USERS", 200)))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("DURATION", 600)))
    parser.add_argument("--profile", default=os.environ.get("LOADTEST_PROFILE", "tiny"))
    args = parser.parse_args(argv)

    database_url = os.environ.get(
        "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loadtest"
    )
    redis_url = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/10")
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MEILISEARCH_URL": "",
        "FORUM_POSTS_PER_MINUTE": "100000",
        "BOARD_CARDS_PER_MINUTE": "100000",
        "RATE_LIMIT_POST": "",
        "RATE_LIMIT_CARD": "",
        "RATE_LIMIT_SEARCH": "",
        "REQUIRE_STAFF_TWO_FACTOR": "false",
        "LOG_LEVEL": "ERROR",
    }
    os.environ.update(env)
    # Unlike `make bench`, the servers may use every core: this measures the platform
    # under load, not a service time.
    os.environ.setdefault("BENCH_SERVER_CPU", f"0-{(os.cpu_count() or 1) - 1}")
    OUT.mkdir(parents=True, exist_ok=True)

    generated = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.generate", "--profile", args.profile, "--keep"],
        cwd=REPO,
        env=server.server_env(env),
        check=False,
    )
    # 2: the database holds a data set whose counts moved (an earlier load test's writes):
    # its manifest still names the same journey, thread and board.
    if generated.returncode == 2 and server.load_manifest(args.profile):
        print("loadtest: using the data set already in the database")
    elif generated.returncode != 0:
        return generated.returncode
    context = prepare(args.profile)
    port = server.base_port() + 50
    workers = int(os.environ.get("LOADTEST_WEB_WORKERS", 4))
    web = server.start_wsgi(port, env, workers=workers, name="loadtest-web")
    realtime = None
    try:
        realtime = server.start_asgi(port + 1, env, name="loadtest-realtime")
        context["web_url"] = web.url
        context["ws_url"] = realtime.url.replace("http", "ws", 1)
        context_path, writes_path = OUT / "context.json", OUT / "writes.json"
        context_path.write_text(json.dumps(context))
        writes_path.unlink(missing_ok=True)
        started = time.time()
        locust = subprocess.run(  # noqa: S603
            [
                str(BIN / "locust"),
                "-f",
                str(REPO / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(max(1, args.users // 20)),
                "--run-time",
                f"{args.duration}s",
                "--host",
                web.url,
                "--csv",
                str(OUT / "locust"),
                "--only-summary",
                "--stop-timeout",
                "30",
            ],
            cwd=REPO,
            env={
                **os.environ,
                "LOADTEST_CONTEXT": str(context_path),
                "LOADTEST_WRITES": str(writes_path),
            },
        )
        elapsed = time.time() - started
    finally:
        if realtime is not None:
            realtime.stop()
        web.stop()
    return check(context, writes_path, args, elapsed, locust.returncode)


def prepare(profile: str) -> dict:
    """Session cookies for the target journey's members, and what the scenario visits."""
    server.setup_django()
    from django.contrib.auth import get_user_model

    from community.models import Board, Thread
    from community.queries.boards import board_access
    from community.queries.forum import thread_access

    manifest = server.load_manifest(profile)
    board = Board.objects.get(pk=manifest["board"]["id"])
    thread = Thread.objects.select_related("journey").get(pk=manifest["thread"]["id"])
    cookies = []
    for user in get_user_model().objects.filter(pk__in=manifest["members_of_target_journey"]):
        name, value = server.session_cookie(user.pk)
        # Writes only from members whose role may write there (an observer may not).
        cookies.append(
            {
                "value": value,
                "cards": board_access(user, board).can_post,
                "replies": thread_access(user, thread).can_post,
            }
        )
    return {
        "tag": f"lt{uuid.uuid4().hex[:10]}",
        "cookie_name": name,
        "cookies": cookies,
        "pages": {
            "dashboard": manifest["pages"]["journey_dashboard"],
            "thread": manifest["pages"]["thread_200"],
            "board": manifest["board"]["url"],
            "stories": manifest["pages"]["story_archive_facet"],
            "home": "/",
        },
        "thread": manifest["thread"],
        "board": {
            **manifest["board"],
            "column": board.columns.first().pk,
            "row": board.rows.first().pk,
        },
        "search_terms": manifest["search_terms"] or ["buurt"],
    }


def check(context: dict, writes_path: Path, args, elapsed: float, locust_code: int) -> int:
    from community.models import Card, Post

    stats = _stats(OUT / "locust_stats.csv")
    writes = json.loads(writes_path.read_text()) if writes_path.exists() else {}
    tag = context["tag"]
    stored_posts = set(Post.objects.filter(body__startswith=tag).values_list("body", flat=True))
    stored_cards = set(Card.objects.filter(body__startswith=tag).values_list("body", flat=True))
    lost_posts = set(writes.get("posts", [])) - stored_posts
    lost_cards = set(writes.get("cards", [])) - stored_cards
    summary = {
        "users": args.users,
        "duration_s": round(elapsed),
        "profile": args.profile,
        "requests": stats.get("requests", 0),
        "failures": stats.get("failures", 0),
        "requests_per_s": stats.get("rps", 0),
        "p50_ms": stats.get("p50"),
        "p95_ms": stats.get("p95"),
        "p99_ms": stats.get("p99"),
        "replies_accepted": len(writes.get("posts", [])),
        "replies_found": len(stored_posts),
        "cards_accepted": len(writes.get("cards", [])),
        "cards_found": len(stored_cards),
        "lost": len(lost_posts) + len(lost_cards),
        "websockets": writes.get("sockets", {}),
        "locust_exit_code": locust_code,
    }
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    ok = (
        summary["failures"] == 0
        and summary["requests"] > 0
        and summary["lost"] == 0
        and summary["replies_accepted"] > 0
        and not summary["websockets"].get("errors")
    )
    print("loadtest:", "passed" if ok else "FAILED")
    return 0 if ok else 1


def _stats(path: Path) -> dict:
    import csv

    if not path.exists():
        return {}
    with path.open() as rows:
        for row in csv.DictReader(rows):
            if row["Name"] == "Aggregated":
                return {
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": round(float(row["Requests/s"]), 1),
                    "p50": float(row["50%"] or 0),
                    "p95": float(row["95%"] or 0),
                    "p99": float(row["99%"] or 0),
                }
    return {}


if __name__ == "__main__":
    sys.exit(main())
