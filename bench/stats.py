"""Statistics and result files shared by every benchmark scenario.

Percentiles interpolate linearly between the two nearest ranks (numpy's default, "type 7"):
with a few hundred samples per round the difference to nearest-rank is below the noise, and
interpolation does not jump when one sample more or less is taken.
"""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def results_dir() -> Path:
    """bench/results, or BENCH_RESULTS_DIR (tests write elsewhere)."""
    path = Path(os.environ.get("BENCH_RESULTS_DIR") or REPO / "bench" / "results")
    path.mkdir(parents=True, exist_ok=True)
    return path


def percentile(values: Iterable[float], p: float) -> float:
    """The p-th percentile (0-100), linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is outside 0-100")
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Iterable[float]) -> float:
    return percentile(values, 50)


def ratio_median(rounds_a: Sequence[float], rounds_b: Sequence[float]) -> float:
    """Median of the per-round ratios a[i] / b[i]: each round compares configurations run
    side by side, so a slow stretch of the machine cancels out within the round."""
    if len(rounds_a) != len(rounds_b):
        raise ValueError("both configurations need a value for every round")
    return median(a / b for a, b in zip(rounds_a, rounds_b, strict=True))


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],  # noqa: S607
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except OSError:
        return None
    commit = out.stdout.strip() or None
    if commit:
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
        if dirty:
            commit += " (with uncommitted changes)"
    return commit


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def environment() -> dict:
    """Where and when the figures were taken."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "os": f"{platform.system()} {platform.release()}",
        "git_commit": _git_commit(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write_result(scenario: str, payload: dict) -> Path:
    """Write bench/results/<scenario>.json; adds the environment when the payload has none."""
    payload = {"scenario": scenario, **payload}
    payload.setdefault("environment", environment())
    payload.setdefault("finished", datetime.now(UTC).isoformat(timespec="seconds"))
    path = results_dir() / f"{scenario}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    tmp.replace(path)
    return path


def report(scenario: str, payload: dict) -> Path:
    """write_result, then each figure on a line for who runs a scenario by hand."""
    path = write_result(scenario, payload)
    for figure in payload["figures"]:
        print(
            f"{figure['name']}: {figure['value']} {figure['unit']} "
            f"(ratio {figure.get('ratio', '-')}, met {figure.get('met')})"
        )
    print(f"written: {path}")
    return path


def ms(seconds: float) -> float:
    """Seconds to milliseconds, rounded for the result files."""
    return round(seconds * 1000, 3)
