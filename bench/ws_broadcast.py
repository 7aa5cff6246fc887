"""Websocket broadcast: one board change to 1,000 subscribed clients, against a bare ASGI
broadcast on the same server software (bench/asgi_baseline.py).

    python -m bench.ws_broadcast [--clients 1000] [--rounds 5] [--repeats 5]

Platform: uvicorn serving config.asgi:application (config.settings.bench, Redis channel
layer from REDIS_URL) on core 0; every client is a signed-in member of the board's
journey on /ws/borden/<id>/. The change is a card posted by the journey's reisbegeleider
through the service layer (community.services.boards.post_card) in this process; it is
published to Redis after commit. The publish time is taken just before the channel
layer's group_send, the receipt time in each client (same process, same clock). The
time from calling the service is kept as well ("from the service call").

Baseline: the same uvicorn serving bench.asgi_baseline:app; a control socket asks it to
send one frame to every other socket; the publish time is taken just before that ask.

Both crowds stay connected; each round runs the baseline and the platform `repeats`
times each, in alternating order. Every client must get every board event exactly once
and in order (the board's sequence numbers); the baseline's frames carry a number too.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time

from bench import ws_common as common
from bench.stats import median, percentile, report

SCENARIO = "ws_broadcast"
BASELINE_PORT = 8501
PLATFORM_PORT = 8502
TIMEOUT = 30.0


class Broadcast:
    """One crowd, its trigger and what it received."""

    def __init__(self, name: str, crowd: common.Crowd, kind: str):
        self.name = name
        self.crowd = crowd
        self.kind = kind  # message "type" that counts
        self.expected: list[int] = []
        self.waiting_for: int | None = None
        self.arrived = 0
        self.done = asyncio.Event()
        crowd.watch = self._watch

    def _watch(self, index: int, message: dict) -> bool:
        if message.get("type") == self.kind and message.get("seq") == self.waiting_for:
            self.arrived += 1
            if self.arrived >= len(self.crowd.sockets) - len(self.crowd.closed):
                self.done.set()
        return False

    def arm(self, seq: int) -> None:
        self.waiting_for = seq
        self.arrived = 0
        self.done.clear()
        self.expected.append(seq)

    def latencies(self, seq: int, published: float) -> list[float]:
        found = []
        for inbox in self.crowd.received:
            for at, message in inbox:
                if message.get("type") == self.kind and message.get("seq") == seq:
                    found.append((at - published) * 1000)
        return found

    def check_sequences(self) -> dict:
        """Every client got every expected number exactly once, in order."""
        lost = doubled = disordered = 0
        for index, inbox in enumerate(self.crowd.received):
            if index in self.crowd.closed:
                continue  # counted apart: closed by the server (see closed_by_server)
            seqs = [m["seq"] for _, m in inbox if m.get("type") == self.kind and "seq" in m]
            seen = set(seqs)
            lost += sum(1 for seq in self.expected if seq not in seen)
            doubled += len(seqs) - len(seen)
            disordered += sum(1 for a, b in itertools.pairwise(seqs) if b <= a)
        return {"lost": lost, "doubled": doubled, "disordered": disordered}


class PlatformTrigger:
    """Posts a card through the service layer; stamps the moment of the group_send."""

    def __init__(self, board_id: int, facilitator_id: int):
        from channels.layers import get_channel_layer

        from community.models import Board, User

        self.board = Board.objects.get(pk=board_id)
        self.actor = User.objects.get(pk=facilitator_id)
        self.column = self.board.columns.order_by("position", "pk").first()
        self.row = self.board.rows.order_by("position", "pk").first()
        self.stamps: list[tuple[float, int]] = []
        layer = get_channel_layer()
        original = layer.group_send
        stamps = self.stamps

        async def timed_group_send(group, message):
            seq = (message.get("event") or {}).get("seq")
            if isinstance(seq, int):
                stamps.append((time.perf_counter(), seq))
            await original(group, message)

        layer.group_send = timed_group_send
        self.number = 0

    def fire(self) -> tuple[float, float, int]:
        """(service call time, publish time, seq) of one new card."""
        from community.services import boards

        self.number += 1
        called = time.perf_counter()
        boards.post_card(
            self.actor,
            self.board,
            body=f"Meting {self.number}: wat werkt er in deze wijk?",
            column_id=self.column.pk if self.column else None,
            row_id=self.row.pk if self.row else None,
        )
        published, seq = self.stamps[-1]
        return called, published, seq

    def next_seq(self) -> int:
        self.board.refresh_from_db(fields=["last_seq"])
        return self.board.last_seq + 1


async def measure_platform(bc: Broadcast, trigger: PlatformTrigger, repeats: int) -> dict:
    latencies, from_call, lost_rounds = [], [], 0
    for _ in range(repeats):
        seq = await asyncio.to_thread(trigger.next_seq)
        bc.arm(seq)
        called, published, fired_seq = await asyncio.to_thread(trigger.fire)
        assert fired_seq == seq, (fired_seq, seq)
        try:
            await asyncio.wait_for(bc.done.wait(), TIMEOUT)
        except TimeoutError:
            lost_rounds += 1
        latencies += bc.latencies(seq, published)
        from_call += bc.latencies(seq, called)
        await asyncio.sleep(0.2)
    return {"latencies": latencies, "from_call": from_call, "timeouts": lost_rounds}


async def measure_baseline(bc: Broadcast, control, repeats: int, seq_start: int) -> dict:
    latencies, lost_rounds = [], 0
    for i in range(repeats):
        seq = seq_start + i
        bc.arm(seq)
        published = time.perf_counter()
        await control.send_str(json.dumps({"broadcast": seq}))
        try:
            await asyncio.wait_for(bc.done.wait(), TIMEOUT)
        except TimeoutError:
            lost_rounds += 1
        latencies += bc.latencies(seq, published)
        await asyncio.sleep(0.2)
    return {"latencies": latencies, "timeouts": lost_rounds}


async def _discard(ws) -> None:
    async for _frame in ws:
        pass


def summarise(values: list[float]) -> dict:
    return {
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "max": round(max(values), 2) if values else None,
        "n": len(values),
    }


async def run(clients: int, rounds: int, repeats: int) -> dict:
    common.pin_load_generator()
    common.setup_django()
    from asgiref.sync import sync_to_async

    who = await sync_to_async(common.audience)(clients)
    cookies = await sync_to_async(common.session_cookies)(who["members"])
    baseline = common.start_uvicorn("bench.asgi_baseline:app", BASELINE_PORT)
    platform = common.start_uvicorn("config.asgi:application", PLATFORM_PORT)
    raw: dict = {"rounds": []}
    try:
        base_crowd = common.Crowd(f"ws://{common.HOST}:{BASELINE_PORT}/ws/", [None] * clients)
        plat_crowd = common.Crowd(
            f"ws://{common.HOST}:{PLATFORM_PORT}{who['board_path']}",
            [cookies[pk] for pk in who["members"]],
        )
        started = time.perf_counter()
        await base_crowd.connect()
        await plat_crowd.connect()
        raw["connect_seconds"] = round(time.perf_counter() - started, 2)
        # Accepted is not yet settled: each socket still records its presence and the
        # count is announced. Wait for the count of everyone, then for silence.
        await common.wait_for_count(plat_crowd, limit=300)
        await common.wait_quiet(plat_crowd, quiet=2.5, limit=120)
        raw["presence_frames_while_connecting"] = sum(len(i) for i in plat_crowd.received)
        plat_crowd.clear()
        control = await base_crowd._session.ws_connect(
            f"ws://{common.HOST}:{BASELINE_PORT}/control/", headers={"Origin": common.ORIGIN}
        )
        # Read the control socket too, so it answers the server's pings.
        control_reader = asyncio.create_task(_discard(control))
        base = Broadcast("baseline", base_crowd, "bench")
        plat = Broadcast("platform", plat_crowd, "board.card")
        trigger = await sync_to_async(PlatformTrigger)(who["board"], who["facilitator"])
        all_base, all_plat, all_call = [], [], []
        per_round = []
        for number in range(rounds):
            order = ["baseline", "platform"] if number % 2 == 0 else ["platform", "baseline"]
            result = {}
            for name in order:
                if name == "baseline":
                    result[name] = await measure_baseline(
                        base, control, repeats, number * repeats + 1
                    )
                else:
                    result[name] = await measure_platform(plat, trigger, repeats)
            b, p = result["baseline"]["latencies"], result["platform"]["latencies"]
            all_base += b
            all_plat += p
            all_call += result["platform"]["from_call"]
            entry = {
                "round": number + 1,
                "baseline": summarise(b),
                "platform": summarise(p),
                "platform_from_service_call": summarise(result["platform"]["from_call"]),
                "timeouts": {n: result[n]["timeouts"] for n in result},
            }
            per_round.append(entry)
            print(json.dumps(entry), flush=True)
        await asyncio.sleep(0.5)
        raw["rounds"] = per_round
        raw["sequence_check"] = {
            "platform": plat.check_sequences(),
            "baseline": base.check_sequences(),
        }
        raw["closed_by_server"] = {
            "platform": len(plat_crowd.closed),
            "baseline": len(base_crowd.closed),
            "codes": sorted({str(c) for c in plat_crowd.closed.values()}),
        }
        raw["platform_server_memory_kib"] = common.memory_kib(platform.pid)
        await control.close()
        control_reader.cancel()
        await base_crowd.close()
        await plat_crowd.close()
    finally:
        common.stop(baseline)
        common.stop(platform)

    ratios = [r["platform"]["p95"] / r["baseline"]["p95"] for r in per_round]
    ratio = median(ratios)
    seq = raw["sequence_check"]["platform"]
    clean = not any(seq.values()) and not any(r["timeouts"]["platform"] for r in per_round)
    base_all, plat_all, call_all = summarise(all_base), summarise(all_plat), summarise(all_call)
    raw["per_round_p95_ratios"] = [round(r, 2) for r in ratios]
    note = (
        f"{clients} member sockets on one uvicorn process; change = a card posted through "
        "community.services.boards.post_card, timed from the channel layer's group_send."
    )
    return {
        "title": f"Websocket broadcast: one board change to {clients} clients",
        "profile": "bench",
        "rounds": rounds,
        "configs": ["asgi_baseline", "platform"],
        "figures": [
            {
                "name": "board change to clients p95",
                "value": plat_all["p95"],
                "unit": "ms",
                "baseline": base_all["p95"],
                "ratio": round(ratio, 2),
                "target": "<= 2x bare ASGI broadcast p95",
                "met": ratio <= 2.0,
                "note": note,
            },
            {
                "name": "board change to clients p50",
                "value": plat_all["p50"],
                "unit": "ms",
                "baseline": base_all["p50"],
                "ratio": round(
                    median([r["platform"]["p50"] / r["baseline"]["p50"] for r in per_round]),
                    2,
                ),
                "target": "(reported)",
                "met": None,
                "note": "p50 over all clients and repetitions",
            },
            {
                "name": "board change p95 from the service call",
                "value": call_all["p95"],
                "unit": "ms",
                "target": "(reported)",
                "met": None,
                "note": "includes the card's transaction (lock, insert, event log) first",
            },
            {
                "name": "board events lost, doubled or out of order",
                "value": seq["lost"] + seq["doubled"] + seq["disordered"],
                "unit": "messages",
                "target": "0",
                "met": clean,
                "note": json.dumps(seq),
            },
        ],
        "raw": raw,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    payload = asyncio.run(run(args.clients, args.rounds, args.repeats))
    report(SCENARIO, payload)


if __name__ == "__main__":
    main()
