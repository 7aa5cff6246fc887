"""Memory per idle authenticated websocket, and no growth over connect-disconnect cycles.

    python -m bench.ws_memory [--sockets 1000] [--cycles 10]

uvicorn serves config.asgi:application (config.settings.bench) on core 0, as in
production. Signed-in members open N idle sockets on a board of the target journey from
this process (core 1). RSS (VmRSS) and Pss of the server process are read from /proc
before and after: per socket = delta / N. A warm-up of a few sockets first makes the
server import and cache what any first socket needs, which is not per-socket memory.

Then `cycles` times: connect N, wait until all are counted, disconnect all, wait until
none is counted. RSS after the last cycle may exceed RSS after the first by at most
GROWTH_TOLERANCE_KIB: Python keeps freed memory in its own arenas (RSS does not shrink
back), so the first cycle sets the high-water mark; a leak of even half a KiB per
connection would add ~4.5 MiB over the 9,000 connections that follow and exceed it.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from bench import ws_common as common
from bench.stats import report

SCENARIO = "ws_memory"
PORT = 8504
TARGET_KIB = 64
GROWTH_TOLERANCE_KIB = 4096
WARM_UP = 20


async def presence_rows(board_id: int) -> int:
    from asgiref.sync import sync_to_async

    from community.models import BoardPresence

    return await sync_to_async(BoardPresence.objects.filter(board_id=board_id).count)()


async def settle(board_id: int, expected: int, limit: float = 300.0) -> float:
    """Until the server has recorded (or forgotten) every socket; then a short rest."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if await presence_rows(board_id) == expected:
            break
        await asyncio.sleep(0.25)
    else:
        raise RuntimeError(f"presence did not reach {expected} sockets in {limit} s")
    await asyncio.sleep(3.0)  # the last presence announcements go out
    return time.monotonic() - started


async def connect(url: str, cookies: list[str]) -> common.Crowd:
    crowd = common.Crowd(url, cookies)
    await crowd.connect()
    return crowd


async def run(sockets: int, cycles: int, ws: str | None) -> dict:
    common.pin_load_generator()
    common.setup_django()
    from asgiref.sync import sync_to_async

    who = await sync_to_async(common.audience)(sockets + WARM_UP)
    members = who["members"]
    cookies_by_id = await sync_to_async(common.session_cookies)(members)
    cookies = [cookies_by_id[pk] for pk in members[:sockets]]
    warm = [cookies_by_id[pk] for pk in members[sockets : sockets + WARM_UP]]
    extra = ["--ws", ws] if ws else []
    server = common.start_uvicorn("config.asgi:application", PORT, extra=extra)
    url = f"ws://{common.HOST}:{PORT}{who['board_path']}"
    board = who["board"]
    raw: dict = {"cycles": []}
    try:
        crowd = await connect(url, warm)
        await settle(board, WARM_UP)
        await crowd.close()
        await settle(board, 0)
        before = common.memory_kib(server.pid)
        crowd = await connect(url, cookies)
        raw["settle_seconds"] = round(await settle(board, sockets), 1)
        after = common.memory_kib(server.pid)
        await crowd.close()
        await settle(board, 0)
        raw["before_kib"], raw["connected_kib"] = before, after
        print(f"before {before}, {sockets} connected {after}", flush=True)
        raw["after_close_kib"] = common.memory_kib(server.pid)
        for number in range(cycles):
            crowd = await connect(url, cookies)
            await settle(board, sockets)
            connected = common.memory_kib(server.pid)
            await crowd.close()
            try:
                await settle(board, 0, limit=120)
            except RuntimeError:
                # Sockets the server never finished closing: a leak, reported as such.
                raw["not_closed_after_cycle"] = {
                    "cycle": number + 1,
                    "presence_rows": await presence_rows(board),
                }
                raw["cycles"].append(
                    {
                        "cycle": number + 1,
                        "connected": connected,
                        "closed": common.memory_kib(server.pid),
                    }
                )
                break
            closed = common.memory_kib(server.pid)
            raw["cycles"].append({"cycle": number + 1, "connected": connected, "closed": closed})
            print(f"cycle {number + 1}: connected {connected}, closed {closed}", flush=True)
    finally:
        common.stop(server)

    per_socket = (after["rss"] - before["rss"]) / sockets
    per_socket_pss = (after.get("pss", 0) - before.get("pss", 0)) / sockets
    first, last = raw["cycles"][0]["closed"]["rss"], raw["cycles"][-1]["closed"]["rss"]
    growth = last - first
    stuck = raw.get("not_closed_after_cycle")
    return {
        "title": "Memory per idle authenticated websocket",
        "profile": "bench",
        "rounds": cycles,
        "configs": [f"uvicorn --ws {ws or 'auto (websockets-sansio)'}"],
        "figures": [
            {
                "name": "RSS per idle authenticated websocket",
                "value": round(per_socket, 1),
                "unit": "KiB",
                "target": f"<= {TARGET_KIB} KiB",
                "met": per_socket <= TARGET_KIB,
                "note": f"{sockets} member sockets on a board; Pss per socket "
                f"{per_socket_pss:.1f} KiB",
            },
            {
                "name": f"RSS growth after {cycles} connect-disconnect cycles",
                "value": growth,
                "unit": "KiB",
                "target": f"<= {GROWTH_TOLERANCE_KIB} KiB over the first cycle",
                "met": growth <= GROWTH_TOLERANCE_KIB and not stuck,
                "note": (
                    f"stopped: sockets not cleaned up after a cycle: {stuck}"
                    if stuck
                    else "RSS after the last cycle minus after the first, all sockets "
                    "closed; the tolerance would catch a leak of ~0.5 KiB per connection"
                ),
            },
        ],
        "raw": raw,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--ws", default=None, help="uvicorn --ws implementation to use")
    args = parser.parse_args()
    payload = asyncio.run(run(args.sockets, args.cycles, args.ws))
    report(SCENARIO, payload)


if __name__ == "__main__":
    main()
