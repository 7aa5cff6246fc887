"""Write path: a forum reply saved and delivered to 200 connected members.

    python -m bench.write_path [--listeners 200] [--rounds 5] [--replies 5]

As in production: gunicorn serves the pages (config.wsgi, WSGI) and uvicorn the
websockets (config.asgi), both with config.settings.bench and on core 0. `listeners`
signed-in members of the target journey listen on /ws/forum/thread/<id>/ from this
process (core 1). Another member posts a reply through the thread page's reply form (a
POST with the CSRF token, as the browser does). Measured: from sending the POST to the
"forum.post created" event at each listener. Every reply must reach every listener
exactly once (the event carries the post's number in the thread).
FORUM_POSTS_PER_MINUTE is raised in this environment only (bench_env).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import time

import aiohttp

from bench import ws_common as common
from bench.stats import median, percentile, report

SCENARIO = "write_path"
WSGI_PORT = 8505
ASGI_PORT = 8506
TARGET_MS = 100.0
TIMEOUT = 30.0

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Poster:
    """A member with a browser session who replies through the form."""

    def __init__(self, session: aiohttp.ClientSession, base: str, url: str, cookie: str):
        self.session, self.base, self.url = session, base, url
        self.cookies = {"sessionid": cookie}
        self.token = ""
        self.count = 0

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def open_page(self) -> None:
        async with self.session.get(
            self.base + self.url, headers={"Cookie": self._cookie_header()}
        ) as response:
            html = await response.text()
            if response.status != 200:
                raise RuntimeError(f"the thread page answered {response.status}")
            for cookie in response.cookies.values():
                self.cookies[cookie.key] = cookie.value
        found = CSRF_INPUT.search(html)
        if not found:
            raise RuntimeError("no reply form with a CSRF token on the thread page")
        self.token = found.group(1)

    async def reply(self) -> tuple[float, int]:
        """(time the POST was sent, HTTP status)."""
        self.count += 1
        form = {
            "csrfmiddlewaretoken": self.token,
            "body": f"Meting {self.count}: wat we deze week leerden over de aanpak.",
        }
        sent = time.perf_counter()
        async with self.session.post(
            self.base + self.url,
            data=form,
            headers={"Cookie": self._cookie_header(), "Referer": self.base + self.url},
            allow_redirects=False,
        ) as response:
            await response.read()
            return sent, response.status


async def run(listeners: int, rounds: int, replies: int) -> dict:
    common.pin_load_generator()
    common.setup_django()
    from asgiref.sync import sync_to_async

    who = await sync_to_async(common.audience)(listeners + 1)
    cookies = await sync_to_async(common.session_cookies)(who["members"])
    poster_id, listener_ids = who["members"][0], who["members"][1 : listeners + 1]
    wsgi = common.start_gunicorn(WSGI_PORT)
    asgi = common.start_uvicorn("config.asgi:application", ASGI_PORT)
    raw: dict = {"rounds": []}
    latencies_all: list[float] = []
    per_round_p95: list[float] = []
    numbers: list[int] = []
    statuses: list[int] = []
    try:
        crowd = common.Crowd(
            f"ws://{common.HOST}:{ASGI_PORT}{who['thread_path']}",
            [cookies[pk] for pk in listener_ids],
        )
        await crowd.connect()
        await asyncio.sleep(1.0)
        async with aiohttp.ClientSession() as session:
            poster = Poster(
                session, f"http://{common.HOST}:{WSGI_PORT}", who["thread_url"], cookies[poster_id]
            )
            await poster.open_page()
            pending: dict = {}

            def watch(index: int, message: dict) -> bool:
                if message.get("type") == "forum.post" and message.get("op") == "created":
                    pending["seen"] = pending.get("seen", 0) + 1
                    if pending["seen"] >= listeners:
                        pending["done"].set()
                return False

            crowd.watch = watch
            for number in range(rounds):
                round_latencies = []
                for _ in range(replies):
                    crowd.clear()
                    pending.clear()
                    pending["done"] = asyncio.Event()
                    sent, status = await poster.reply()
                    statuses.append(status)
                    with contextlib.suppress(TimeoutError):  # counted below as missing
                        await asyncio.wait_for(pending["done"].wait(), TIMEOUT)
                    await asyncio.sleep(0.05)  # anything doubled arrives meanwhile
                    post_numbers = set()
                    for inbox in crowd.received:
                        got = [
                            (at, m["number"])
                            for at, m in inbox
                            if m.get("type") == "forum.post" and m.get("op") == "created"
                        ]
                        post_numbers.update(n for _, n in got)
                        round_latencies += [(at - sent) * 1000 for at, _ in got[:1]]
                        raw.setdefault("per_client_counts", []).append(len(got))
                    numbers.append(len(post_numbers))
                    await asyncio.sleep(0.2)
                latencies_all += round_latencies
                p95 = percentile(round_latencies, 95)
                per_round_p95.append(p95)
                entry = {
                    "round": number + 1,
                    "p50": round(percentile(round_latencies, 50), 2),
                    "p95": round(p95, 2),
                    "deliveries": len(round_latencies),
                }
                raw["rounds"].append(entry)
                print(entry, flush=True)
        await crowd.close()
    finally:
        common.stop(asgi)
        common.stop(wsgi)

    counts = raw.pop("per_client_counts", [])
    expected = rounds * replies
    exactly_once = (
        len(counts) == expected * listeners
        and all(c == 1 for c in counts)
        and all(n == 1 for n in numbers)
    )
    raw["http_statuses"] = sorted(set(statuses))
    raw["deliveries_not_exactly_once"] = sum(1 for c in counts if c != 1)
    p95_all = percentile(latencies_all, 95)
    return {
        "title": f"Write path: a forum reply delivered to {listeners} members",
        "profile": "bench",
        "rounds": rounds,
        "configs": ["gunicorn (reply form) + uvicorn (websockets)"],
        "figures": [
            {
                "name": "reply POST to receipt p95",
                "value": round(p95_all, 2),
                "unit": "ms",
                "target": f"<= {TARGET_MS:.0f} ms",
                "met": p95_all <= TARGET_MS,
                "note": f"{rounds} rounds x {replies} replies; median of per-round p95 "
                f"{median(per_round_p95):.1f} ms",
            },
            {
                "name": "reply POST to receipt p50",
                "value": round(percentile(latencies_all, 50), 2),
                "unit": "ms",
                "target": "(reported)",
                "met": None,
                "note": "",
            },
            {
                "name": "replies delivered exactly once to every listener",
                "value": expected * listeners - raw["deliveries_not_exactly_once"],
                "unit": f"of {expected * listeners}",
                "target": "all",
                "met": exactly_once and raw["http_statuses"] == [302],
                "note": f"HTTP statuses of the POSTs: {raw['http_statuses']}",
            },
        ],
        "raw": raw,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listeners", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--replies", type=int, default=5)
    args = parser.parse_args()
    payload = asyncio.run(run(args.listeners, args.rounds, args.replies))
    report(SCENARIO, payload)


if __name__ == "__main__":
    main()
