"""Story search: the story archive's search as the member of the target journey runs it,
at the full profile (100,000 stories) and the small one (10,000), interleaved.

One search is what /verhalen/?q=<term> does before it renders: facets.parse, the search
over the member's visible stories (journeys.stories.queries.visible_stories, the permission
filter) through the search engine, facets.apply, and the first page of results in
relevance order with what a card shows (journeys.stories.views._page_of). Facet counts and
charts are not part of the search and are left out. The 40 terms come from the manifest
(common, middle and rare words and a few pairs) and rotate.

Method: one worker process per profile (its DATABASE_URL points at that profile's
database), warmed up with one pass over the terms; then BENCH_ROUNDS rounds (at least 5),
in each of which the workers take turns (the order alternates per round), each running
every term BENCH_SEARCH_REPEATS times in a shuffled order. Only one worker runs at a time.
Figures: the median over rounds of the per-round p95 at full (target <= 50 ms), and the
median of the per-round ratios p95 full / p95 small (target <= 2x).

    python -m bench.search [--full-url URL] [--small-url URL] [--rounds N] [--repeats N]
    python -m bench.search --explain TERM   # EXPLAIN ANALYZE of each query, DATABASE_URL

Environment: BENCH_DATABASE_URL_FULL / BENCH_FULL_URL, BENCH_DATABASE_URL_SMALL /
BENCH_SMALL_URL, BENCH_PROFILE_ONLY (one profile: no ratio), BENCH_ROUNDS (5),
BENCH_SEARCH_REPEATS (3).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import time

from bench.stats import median, ms, percentile, report

SCENARIO = "story_search"
TARGET_P95_MS = 50.0
TARGET_RATIO = 2.0
DEFAULT_URLS = {
    "small": "postgres://postgres@127.0.0.1:5432/bench_small",
    "full": "postgres://postgres@127.0.0.1:5432/bench_full",
}
MARK = "@@result "


def database_url(profile: str, given: str | None = None) -> str:
    return (
        given
        or os.environ.get(f"BENCH_DATABASE_URL_{profile.upper()}")
        or os.environ.get(f"BENCH_{profile.upper()}_URL")
        or DEFAULT_URLS[profile]
    )


# --- In the worker --------------------------------------------------------------------------


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()


def searcher(profile: str):
    """A function term -> (number of hits, ids on the first page), run as /verhalen/ does."""
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    from bench import targets
    from journeys.stories import facets, queries
    from journeys.stories.views import _page_of

    manifest = targets.load(profile)
    member = get_user_model().objects.get(pk=manifest["member"]["id"])
    factory = RequestFactory()

    def run(term: str) -> tuple[int, list[int]]:
        request = factory.get("/verhalen/", {"q": term})
        request.user = member
        filters = facets.parse(request.GET)
        searched = facets.search(queries.visible_stories(member), filters)
        matching = facets.apply(searched.stories, filters)
        page, stories = _page_of(request, matching, searched, filters.sort)
        return page.paginator.count, [story.pk for story in stories]

    return run, manifest


def worker(profile: str) -> None:
    """Answer 'round <seed> <repeats>' lines with one JSON line of timings each."""
    _setup()
    from django.db import connection

    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {1})  # the load generator's core; PostgreSQL runs where it may
    run, manifest = searcher(profile)
    terms = manifest["search_terms"]
    for term in terms:  # warm-up: connections, caches, the planner's statistics
        run(term)
    print(MARK + json.dumps({"ready": True, "stories": manifest["counts"]["stories"]}), flush=True)
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "quit":
            break
        seed, repeats = int(command[1]), int(command[2])
        order = [t for t in terms for _ in range(repeats)]
        random.Random(seed).shuffle(order)  # noqa: S311
        times, hits = [], {}
        for term in order:
            began = time.perf_counter()
            count, _page = run(term)
            times.append(time.perf_counter() - began)
            hits[term] = count
        print(MARK + json.dumps({"times": times, "terms": order, "hits": hits}), flush=True)
    connection.close()


def explain(term: str) -> None:
    """Print EXPLAIN ANALYZE of every query one search runs (DATABASE_URL's database)."""
    _setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    profile = os.environ.get("BENCH_PROFILE", "full")
    run, _manifest = searcher(profile)
    run(term)
    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        run(term)
        took = time.perf_counter() - began
    print(f"-- {len(captured.captured_queries)} queries, {ms(took)} ms in all")
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            print("\n-- " + query["time"] + " s\n" + query["sql"][:2000])
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


# --- In the parent --------------------------------------------------------------------------


class Worker:
    def __init__(self, profile: str, url: str) -> None:
        env = {**os.environ, "DATABASE_URL": url, "BENCH_PROFILE": profile}
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
        self.profile = profile
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "bench.search", "--worker", profile],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.info = self._read()

    def _read(self) -> dict:
        for line in self.process.stdout:
            if line.startswith(MARK):
                return json.loads(line[len(MARK) :])
        raise RuntimeError(f"the {self.profile} worker stopped (exit {self.process.wait()})")

    def round(self, seed: int, repeats: int) -> dict:
        self.process.stdin.write(f"round {seed} {repeats}\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(timeout=60)


def measure(urls: dict[str, str], rounds: int, repeats: int) -> dict:
    workers = {profile: Worker(profile, url) for profile, url in urls.items()}
    per_round = {profile: [] for profile in workers}
    try:
        for n in range(rounds):
            order = list(workers) if n % 2 == 0 else list(reversed(workers))
            for profile in order:
                result = workers[profile].round(seed=n, repeats=repeats)
                per_round[profile].append(result)
    finally:
        for w in workers.values():
            w.close()
    return {"workers": {p: w.info for p, w in workers.items()}, "rounds": per_round}


def figures(measured: dict) -> list[dict]:
    rounds = measured["rounds"]
    p95 = {p: [percentile(r["times"], 95) for r in rs] for p, rs in rounds.items()}
    p50 = {p: [percentile(r["times"], 50) for r in rs] for p, rs in rounds.items()}
    stories = {p: info["stories"] for p, info in measured["workers"].items()}
    out = []
    if "full" in p95:
        value = ms(median(p95["full"]))
        figure = {
            "name": f"story search p95 at {stories['full']:,} stories",
            "value": value,
            "unit": "ms",
            "target": f"<= {TARGET_P95_MS:g} ms",
            "met": value <= TARGET_P95_MS,
            "note": f"median of per-round p95; p50 {ms(median(p50['full']))} ms",
        }
        if not figure["met"]:
            figure["missed_by"] = f"{value - TARGET_P95_MS:.1f} ms ({value / TARGET_P95_MS:.2f}x)"
        out.append(figure)
    if "full" in p95 and "small" in p95:
        ratios = [f / s for f, s in zip(p95["full"], p95["small"], strict=True)]
        ratio = round(median(ratios), 2)
        figure = {
            "name": f"story search p95 {stories['full']:,} / {stories['small']:,} stories",
            "value": ms(median(p95["full"])),
            "unit": "ms",
            "baseline": ms(median(p95["small"])),
            "ratio": ratio,
            "target": f"<= {TARGET_RATIO:g}x the p95 at {stories['small']:,}",
            "met": ratio <= TARGET_RATIO,
            "note": "median of per-round ratios p95 full / p95 small",
        }
        out.append(figure)
    if "small" in p95:
        out.append(
            {
                "name": f"story search p95 at {stories['small']:,} stories",
                "value": ms(median(p95["small"])),
                "unit": "ms",
                "note": f"the baseline of the ratio; p50 {ms(median(p50['small']))} ms",
            }
        )
    return out


def raw(measured: dict) -> dict:
    out = {"workers": measured["workers"], "rounds": {}, "hits": {}}
    for profile, rounds in measured["rounds"].items():
        out["rounds"][profile] = [
            {
                "samples": len(r["times"]),
                "p50_ms": ms(percentile(r["times"], 50)),
                "p95_ms": ms(percentile(r["times"], 95)),
                "max_ms": ms(max(r["times"])),
            }
            for r in rounds
        ]
        by_term: dict[str, list[float]] = {}
        for r in rounds:
            for term, took in zip(r["terms"], r["times"], strict=True):
                by_term.setdefault(term, []).append(took)
        out["hits"][profile] = {
            term: {"hits": rounds[0]["hits"][term], "p50_ms": ms(median(times))}
            for term, times in by_term.items()
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--full-url")
    parser.add_argument("--small-url")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "5")))
    parser.add_argument(
        "--repeats", type=int, default=int(os.environ.get("BENCH_SEARCH_REPEATS", "3"))
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--explain", metavar="TERM")
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker)
        return 0
    if args.explain:
        explain(args.explain)
        return 0
    only = os.environ.get("BENCH_PROFILE_ONLY")
    profiles = [only] if only else ["full", "small"]
    urls = {p: database_url(p, args.full_url if p == "full" else args.small_url) for p in profiles}
    rounds = max(5, args.rounds)
    from bench.stats import environment

    env = environment()
    measured = measure(urls, rounds, args.repeats)
    report(
        SCENARIO,
        {
            "title": "Story search p95, member's permissions, 40 rotating terms",
            "profile": "full" if "full" in profiles else only,
            "rounds": rounds,
            "configs": profiles,
            "figures": figures(measured),
            "raw": {**raw(measured), "repeats": args.repeats, "databases": urls},
            "environment": {**env, "load_average": [round(x, 2) for x in os.getloadavg()]},
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
