"""SQL queries per page at the small and the full profile: the same count, at most 15.

Method: in-process, Django's test client (no server) with CaptureQueriesContext, once per
profile in a child process whose DATABASE_URL points at that profile's database
(BENCH_DATABASE_URL_SMALL, BENCH_DATABASE_URL_FULL). The cache (Redis, REDIS_URL) is
emptied first; each page is requested twice and the second request is counted (the steady
state: per-process caches such as Wagtail's site root are warm; the first count is in the
raw part). The member is logged in with force_login; anonymous pages use a fresh client.
A count that grows with the data is an N+1 query or a missing select/prefetch. Pages over
budget list their queries, grouped by shape, most frequent first, in raw.over_budget.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench import server
from bench.pages import page_path
from bench.stats import write_result

SCENARIO = "query_counts"
BUDGET = 15
PROFILES = ("small", "full")
DEFAULT_URLS = {
    "small": "postgres://postgres@127.0.0.1:5432/bench_small",
    "full": "postgres://postgres@127.0.0.1:5432/bench_full",
}


def database_url(profile: str) -> str:
    return os.environ.get(f"BENCH_DATABASE_URL_{profile.upper()}", DEFAULT_URLS[profile])


def shape(sql: str) -> str:
    """The query with its values taken out, so repeats of one query group together."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    sql = re.sub(r"\((?:\s*\?\s*,)+\s*\?\s*\)", "(?...)", sql)
    return re.sub(r"\s+", " ", sql).strip()


def measure(profile: str) -> dict:
    """In the child: count the queries of every page of this profile's manifest."""
    server.setup_django()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    manifest = server.load_manifest(profile)
    cache.clear()
    member = get_user_model().objects.get(pk=manifest["member"]["id"])
    member_client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="nl")
    member_client.force_login(member)
    pages = {k: page_path(k, v) for k, v in manifest["pages"].items() if k != "hello"}
    jobs = [(name, path, member_client) for name, path in pages.items()]
    for name, path in manifest.get("anonymous_pages", {}).items():
        jobs.append((f"anonymous_{name}", path, Client(HTTP_HOST="127.0.0.1")))

    out = {}
    for name, path, client in jobs:
        counts, statuses, queries = [], [], []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            counts.append(len(captured.captured_queries))
            statuses.append(response.status_code)
            queries = [q["sql"] for q in captured.captured_queries]
        out[name] = {
            "path": path,
            "cold": counts[0],
            "count": counts[1],
            "statuses": statuses,
            "queries": queries,
        }
    return out


def run_child(profile: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(profile),
        "BENCH_PROFILE": profile,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
    }
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        target = Path(handle.name)
    try:
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.query_counts", "--measure", profile, str(target)],
            env=env,
            check=True,
            cwd=server.REPO,
        )
        return json.loads(target.read_text())
    finally:
        target.unlink(missing_ok=True)


def figures_for(measured: dict[str, dict]) -> list[dict]:
    names = list(dict.fromkeys(n for data in measured.values() for n in data))
    figures = []
    for name in names:
        small = measured.get("small", {}).get(name)
        full = measured.get("full", {}).get(name)
        counts = {p: d["count"] for p, d in (("small", small), ("full", full)) if d}
        bad_status = {p: d["statuses"] for p, d in (("small", small), ("full", full)) if d}
        bad_status = {p: s for p, s in bad_status.items() if any(code != 200 for code in s)}
        worst = max(counts.values())
        figure = {
            "name": f"{name.replace('anonymous_', 'anonymous ', 1)} queries, small / full",
            "value": " / ".join(str(counts.get(p, "not run")) for p in PROFILES),
            "unit": "",
            "target": f"identical, <= {BUDGET}",
        }
        misses = []
        if worst > BUDGET:
            over = worst - BUDGET
            misses.append(f"{over} {'query' if over == 1 else 'queries'} over the budget")
        if len(counts) == 2 and counts["small"] != counts["full"]:
            misses.append(f"{counts['full'] - counts['small']:+d} at full against small")
        if bad_status:
            misses.append(f"invalid: status {bad_status}")
        if misses:
            figure["met"] = False
            figure["missed_by"] = "; ".join(misses)
            figure["note"] = "see raw.over_budget for its queries, grouped by shape"
        elif len(counts) < 2:
            figure["met"] = None
            figure["note"] = "only one profile measured: identical? not judged"
        else:
            figure["met"] = True
        figures.append(figure)
    return figures


def over_budget(measured: dict[str, dict]) -> dict:
    listing = {}
    for profile, data in measured.items():
        for name, page in data.items():
            if page["count"] <= BUDGET and page["count"] == _other_count(measured, profile, name):
                continue
            grouped = Counter(shape(sql) for sql in page["queries"])
            listing[f"{profile}:{name}"] = [
                {"times": times, "sql": sql[:600]} for sql, times in grouped.most_common()
            ]
    return listing


def _other_count(measured, profile, name) -> int | None:
    for other, data in measured.items():
        if other != profile and name in data:
            return data[name]["count"]
    return measured[profile][name]["count"]


def main() -> None:
    only = os.environ.get("BENCH_PROFILE_ONLY")
    measured = {}
    for profile in PROFILES:
        if only and profile != only:
            continue
        measured[profile] = run_child(profile)
        print(f"{profile}: " + ", ".join(f"{k}={v['count']}" for k, v in measured[profile].items()))
    write_result(
        SCENARIO,
        {
            "title": "SQL queries per page, small and full profile",
            "profile": "+".join(measured),
            "rounds": 1,
            "configs": list(measured),
            "figures": figures_for(measured),
            "raw": {
                "counts": {
                    p: {
                        n: {"count": d["count"], "cold": d["cold"], "path": d["path"]}
                        for n, d in data.items()
                    }
                    for p, data in measured.items()
                },
                "over_budget": over_budget(measured),
                "method": "Django test client in-process, second request counted",
            },
        },
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        Path(sys.argv[3]).write_text(json.dumps(measure(sys.argv[2])))
    else:
        main()
