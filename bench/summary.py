"""bench/results/*.json -> bench/results/SUMMARY.md: every figure with its target, met or not.

Scenario results are the files with "scenario" and "figures"; the data set manifests
(dataset-<profile>.json) fill the data table and run.json (written by bench.run) says which
modules ran, failed or were missing. A missed figure says by how much, and its note why and
what would close it; bench/notes.json ({"<scenario>": {"<figure name>": "note"}}) can add
a developer's explanation to a figure without rerunning anything.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from bench.stats import REPO, results_dir

# What `make bench` runs, in order, and the figure each stands for in the issue.
MODULES = {
    "pages": "page service time, one connection, against hello-world",
    "load": "pages under open-loop load at half of saturation",
    "query_counts": "SQL queries per page at the small and the full profile",
    "search": "story search p95 at 100,000 and 10,000 stories",
    "ws_broadcast": "websocket broadcast to 1,000 clients against a bare ASGI baseline",
    "ws_memory": "memory per idle authenticated websocket, connect-disconnect cycles",
    "write_path": "forum reply saved and delivered to 200 members",
}


def load_results(directory: Path) -> tuple[list[dict], list[dict], dict | None]:
    scenarios, datasets, run = [], [], None
    for path in sorted(directory.glob("*.json")):
        try:
            data = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        if not isinstance(data, dict):
            continue
        if data.get("kind") == "bench_run":
            run = data
        elif "scenario" in data and "figures" in data:
            data["_file"] = path.name
            scenarios.append(data)
        elif path.name.startswith("dataset-"):
            datasets.append(data)
    return scenarios, datasets, run


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "—" if value is None else str(value)


def format_value(figure: dict) -> str:
    unit = figure.get("unit") or ""
    text = f"{_number(figure.get('value'))} {unit}".strip()
    if figure.get("ratio") is not None:
        baseline = figure.get("baseline")
        against = f" of {_number(baseline)} {unit}".rstrip() if baseline is not None else ""
        text += f" ({_number(figure['ratio'])}x{against})"
    return text


_LIMIT = re.compile(r"<=\s*([\d.,]+)\s*(x?)")


def missed_by(figure: dict) -> str:
    """By how much a figure misses its target, from the figure itself if it says."""
    if figure.get("missed_by"):
        return str(figure["missed_by"])
    match = _LIMIT.search(figure.get("target") or "")
    if not match:
        return ""
    limit = float(match.group(1).replace(",", ""))
    if match.group(2) and figure.get("ratio") is not None:
        ratio = float(figure["ratio"])
        return f"a factor {ratio / limit:.2f} ({ratio:.3g}x against {limit:g}x)"
    value = figure.get("value")
    if isinstance(value, int | float) and limit:
        unit = (figure.get("unit") or "").strip()
        over = f"{value - limit:.3g} {unit}".strip()
        return f"{over} ({value:.3g} against {limit:g}{' ' + unit if unit else ''})"
    return ""


def verdict(figure: dict) -> str:
    met = figure.get("met")
    if met is True:
        return "yes"
    if met is False:
        by = missed_by(figure)
        return f"**no**, missed by {by}" if by else "**no**"
    return "n/a" if not figure.get("target") else "not judged"


def _cell(text) -> str:
    return str(text or "").replace("|", "\\|").replace("\n", " ")


def scenario_table(result: dict, notes: dict) -> list[str]:
    extra = notes.get(result["scenario"], {})
    lines = [
        f"### {result.get('title') or result['scenario']}",
        "",
        f"`{result['scenario']}` · profile {result.get('profile') or '?'} · "
        f"{result.get('rounds') or '?'} rounds · finished {result.get('finished') or '?'}",
        "",
        "| figure | value | target | met | note |",
        "| --- | --- | --- | --- | --- |",
    ]
    for figure in result["figures"]:
        note = " ".join(n for n in (figure.get("note"), extra.get(figure.get("name"))) if n)
        lines.append(
            "| "
            + " | ".join(
                _cell(c)
                for c in (
                    figure.get("name"),
                    format_value(figure),
                    figure.get("target") or "—",
                    verdict(figure),
                    note,
                )
            )
            + " |"
        )
    return [*lines, ""]


def counts(scenarios: list[dict]) -> tuple[int, int, int]:
    figures = [f for s in scenarios for f in s["figures"] if f.get("target")]
    met = sum(1 for f in figures if f.get("met") is True)
    missed = sum(1 for f in figures if f.get("met") is False)
    return met, missed, len(figures) - met - missed


def render(scenarios: list[dict], datasets: list[dict], run: dict | None, notes: dict) -> str:
    environment = (run or {}).get("environment") or (
        scenarios[0].get("environment") if scenarios else None
    )
    environment = environment or {}
    met, missed, unjudged = counts(scenarios)
    lines = [
        "# Benchmark summary",
        "",
        f"Written {datetime.now(UTC).isoformat(timespec='seconds')} by `python -m bench.summary`"
        " from bench/results/*.json. How to run and what each figure means: docs/performance.md.",
        "",
        f"- machine: {environment.get('cpu', '?')}, {environment.get('cores', '?')} cores; "
        f"Python {environment.get('python', '?')}; {environment.get('os', '')}",
        f"- commit: {environment.get('git_commit') or '?'}",
        f"- run started: {(run or {}).get('started') or environment.get('started', '?')}",
        f"- targets: {met} met, {missed} missed" + (f", {unjudged} not judged" if unjudged else ""),
        "",
    ]
    if datasets:
        lines += ["## Data sets", "", "| profile | seed | seconds to generate | counts |"]
        lines += ["| --- | --- | --- | --- |"]
        for data in sorted(datasets, key=lambda d: str(d.get("profile"))):
            amounts = ", ".join(f"{k} {_number(v)}" for k, v in (data.get("counts") or {}).items())
            lines.append(
                f"| {data.get('profile')} | {data.get('seed')} | "
                f"{_number(data.get('seconds'))} | {_cell(amounts)} |"
            )
        lines.append("")
    lines += ["## Figures", ""]
    for result in sorted(scenarios, key=_order):
        lines += scenario_table(result, notes)
    lines += not_run(scenarios, run)
    return "\n".join(lines).rstrip() + "\n"


def _order(result: dict) -> tuple[int, str]:
    module = result.get("_module")
    names = list(MODULES)
    return (names.index(module) if module in names else len(names), result["scenario"])


def not_run(scenarios: list[dict], run: dict | None) -> list[str]:
    modules = (run or {}).get("modules", {})
    lines = []
    for module, what in MODULES.items():
        info = modules.get(module)
        if info and info.get("status") == "ok" and info.get("results"):
            continue
        if info is None:
            reason = "not run" if run else "not run (no run record: run `make bench`)"
        elif info.get("status") == "missing":
            reason = f"not run: bench/{module}.py does not exist"
        elif info.get("status") == "failed":
            reason = f"failed (exit {info.get('returncode')}); log {info.get('log')}"
            if info.get("error"):
                reason += f": {info['error']}"
        elif info.get("status") == "ok":
            reason = "ran but wrote no result"
        else:
            reason = str(info.get("status"))
        lines.append(f"| `bench.{module}` | {_cell(what)} | {_cell(reason)} |")
    if not lines:
        return []
    return [
        "## Not run or failed",
        "",
        "Each of these stands for figures the issue asks for; until they run, those figures",
        "count as not met.",
        "",
        "| module | figure | why |",
        "| --- | --- | --- |",
        *lines,
        "",
    ]


def attach_modules(scenarios: list[dict], run: dict | None) -> None:
    for module, info in ((run or {}).get("modules") or {}).items():
        for result in scenarios:
            if result["_file"] in info.get("results", []):
                result["_module"] = module


def main() -> Path:
    directory = results_dir()
    scenarios, datasets, run = load_results(directory)
    attach_modules(scenarios, run)
    notes_path = REPO / "bench" / "notes.json"
    notes = json.loads(notes_path.read_text()) if notes_path.is_file() else {}
    target = directory / "SUMMARY.md"
    target.write_text(render(scenarios, datasets, run, notes))
    print(f"wrote {target}")
    return target


if __name__ == "__main__":
    main()
