"""The pages under open-loop load at half of saturation: p95 against one connection's p50.

Method: gunicorn with BENCH_LOAD_WORKERS (3) sync workers, all on core 0. Sync is the
production worker class; on one core more than one worker only helps to overlap a request's
waits on PostgreSQL and Redis with another's rendering, and three is enough for that without
adding switching and memory. The load generator (aiohttp, one event loop) runs on core 1.

Per page: saturation is found first, closed-loop, with 2 x workers connections sending
back-to-back for BENCH_SATURATION_SECONDS (5). Then BENCH_ROUNDS (5) rounds, the pages
interleaved (order rotated each round); each round and page: BENCH_LOAD_SINGLE_REQUESTS (30)
requests one at a time (the same aiohttp client) for that round's single-connection p50,
then open-loop arrivals on a Poisson schedule (fixed seed) at BENCH_LOAD_FRACTION (0.5) of
saturation for BENCH_LOAD_SECONDS (15) s. Requests are sent when their time comes, whether
or not earlier ones have been answered, and each latency counts from the scheduled time, so
a stalled server shows up as latency instead of as fewer requests (no coordinated omission).
Figure: the median over rounds of the per-round ratio p95 under load / p50 single.
"""

from __future__ import annotations

import asyncio
import os
import random
import time

import aiohttp

from bench import server
from bench.pages import build_configs, fetch, problem
from bench.stats import median, percentile, ratio_median, write_result

SCENARIO = "page_load"
TARGET = 3.0


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


async def _one(session, url, cookie, scheduled, latencies, errors) -> None:
    headers = {"Accept": "text/html", "Accept-Language": "nl"}
    if cookie:
        headers["Cookie"] = cookie
    try:
        async with session.get(url, headers=headers, allow_redirects=False) as response:
            await response.read()
            status = response.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
        return
    latencies.append((time.perf_counter() - scheduled) * 1000)
    if status != 200:
        errors[f"status {status}"] = errors.get(f"status {status}", 0) + 1


def _session() -> aiohttp.ClientSession:
    # The sync worker closes every connection: no pooling, no connection limit.
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    return aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=60),
        cookie_jar=aiohttp.DummyCookieJar(),  # only the cookie we send, never one set back
    )


async def sequential(url: str, cookie: str | None, count: int):
    """One request at a time through the same client stack as the load: the single-
    connection p50 the load figure is compared with."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    async with _session() as session:
        for _ in range(count):
            await _one(session, url, cookie, time.perf_counter(), latencies, errors)
    return latencies, errors


async def saturation(url: str, cookie: str | None, connections: int, seconds: float) -> float:
    """Closed loop: requests per second the server completes with `connections` busy."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    async with _session() as session:
        deadline = time.perf_counter() + seconds

        async def worker():
            while time.perf_counter() < deadline:
                await _one(session, url, cookie, time.perf_counter(), latencies, errors)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    return len(latencies) / elapsed


async def open_loop(url: str, cookie: str | None, rate: float, seconds: float, seed: int):
    rng = random.Random(seed)  # noqa: S311 - a reproducible schedule, not a secret
    latencies: list[float] = []
    errors: dict[str, int] = {}
    tasks = []
    async with _session() as session:
        start = time.perf_counter() + 0.05
        at = start
        while True:
            at += rng.expovariate(rate)
            if at - start > seconds:
                break
            delay = at - time.perf_counter()
            # Behind schedule, still yield: the requests already sent must progress.
            await asyncio.sleep(max(delay, 0))
            tasks.append(asyncio.create_task(_one(session, url, cookie, at, latencies, errors)))
        await asyncio.gather(*tasks)
    return latencies, errors, len(tasks)


def main() -> None:
    server.pin_client()
    server.setup_django()
    manifest = server.load_manifest()
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    workers = int(os.environ.get("BENCH_LOAD_WORKERS", "3"))
    seconds = env_float("BENCH_LOAD_SECONDS", 15)
    sat_seconds = env_float("BENCH_SATURATION_SECONDS", 5)
    fraction = env_float("BENCH_LOAD_FRACTION", 0.5)
    single_n = int(os.environ.get("BENCH_LOAD_SINGLE_REQUESTS", "30"))
    port = server.base_port() + 1

    name, value = server.session_cookie(manifest["member"]["id"])
    configs = build_configs(manifest, f"{name}={value}")
    server.flush_cache()
    base = f"http://{server.HOST}:{port}"
    sat: dict[str, float] = {}
    per_round: dict[str, list[dict]] = {c.name: [] for c in configs}
    problems: dict[str, dict[str, int]] = {}
    with server.start_wsgi(port, workers=workers, name="load-gunicorn"):
        for config in configs:
            for _ in range(10):  # warm every worker's caches
                fetch(port, config.path, config.cookie)
            sat[config.name] = asyncio.run(
                saturation(base + config.path, config.cookie, 2 * workers, sat_seconds)
            )
            print(f"saturation {config.name}: {sat[config.name]:.1f} req/s", flush=True)
        for index in range(rounds):
            order = configs[index % len(configs) :] + configs[: index % len(configs)]
            for config in order:
                # The content is checked once a round; the timing is aiohttp's, as below.
                _, status, body, _cache = fetch(port, config.path, config.cookie)
                issue = problem(config, status, body)
                if issue:
                    bucket = problems.setdefault(config.name, {})
                    bucket[issue] = bucket.get(issue, 0) + 1
                single, errors = asyncio.run(
                    sequential(base + config.path, config.cookie, single_n)
                )
                for issue, count in errors.items():
                    bucket = problems.setdefault(config.name, {})
                    bucket[issue] = bucket.get(issue, 0) + count
                rate = sat[config.name] * fraction
                latencies, errors, sent = asyncio.run(
                    open_loop(base + config.path, config.cookie, rate, seconds, seed=index)
                )
                for issue, count in errors.items():
                    bucket = problems.setdefault(config.name, {})
                    bucket[issue] = bucket.get(issue, 0) + count
                per_round[config.name].append(
                    {
                        "single_p50": percentile(single, 50),
                        "load_p50": percentile(latencies, 50) if latencies else None,
                        "load_p95": percentile(latencies, 95) if latencies else None,
                        "rate": round(rate, 2),
                        "sent": sent,
                        "answered": len(latencies),
                    }
                )
            print(f"round {index + 1}/{rounds} done", flush=True)

    write_result(
        SCENARIO, result(manifest, configs, per_round, sat, problems, rounds, workers, seconds)
    )


def label(config) -> str:
    return config.name.replace("_", " ", 1) if config.kind == "anonymous" else config.name


def result(manifest, configs, per_round, sat, problems, rounds, workers, seconds) -> dict:
    figures = []
    for config in configs:
        data = per_round[config.name]
        issues = problems.get(config.name)
        if any(r["load_p95"] is None for r in data):
            figures.append(
                {
                    "name": f"{label(config)} p95 under load",
                    "value": None,
                    "unit": "ms",
                    "target": f"<= {TARGET:g}x single-connection p50",
                    "met": False,
                    "note": "no answers under load: " + str(issues),
                }
            )
            continue
        p95s = [r["load_p95"] for r in data]
        singles = [r["single_p50"] for r in data]
        ratio = ratio_median(p95s, singles)
        is_floor = config.kind == "hello"
        met = None if is_floor else (ratio <= TARGET and not issues)
        if issues:
            note = "invalid: " + "; ".join(f"{k} ({n}x)" for k, n in issues.items())
        elif met is False:
            # One core: more workers add no CPU; only a cheaper page shortens the queue.
            note = "requests queue behind each other's bursts: a cheaper page closes it"
        elif is_floor:
            note = "the floor: hello-world under the same load"
        else:
            note = ""
        figures.append(
            {
                "name": f"{label(config)} p95 under load",
                "value": round(median(p95s), 3),
                "unit": "ms",
                "baseline": round(median(singles), 3),
                "ratio": round(ratio, 2),
                "target": None if is_floor else f"<= {TARGET:g}x single-connection p50",
                "met": met,
                "note": note,
                **({"missed_by": "an invalid measurement (see note)"} if issues else {}),
                "rate": data[-1]["rate"],
            }
        )
    return {
        "title": "Pages under open-loop load at half of saturation",
        "profile": manifest.get("profile"),
        "rounds": rounds,
        "configs": [c.name for c in configs],
        "figures": figures,
        "raw": {
            "saturation_rps": {k: round(v, 1) for k, v in sat.items()},
            "per_round_ms": per_round,
            "problems": problems,
            "server": f"gunicorn, {workers} sync workers, taskset core 0",
            "client": "aiohttp on core 1, Poisson arrivals, latency from scheduled time",
            "seconds_per_round": seconds,
        },
    }


if __name__ == "__main__":
    main()
