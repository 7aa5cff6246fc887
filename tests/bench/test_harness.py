"""The benchmark harness's arithmetic and its summary: no servers, no database."""

import json

import pytest

from bench import stats, summary
from bench.query_counts import figures_for, shape


def test_percentile_interpolates_between_ranks():
    values = [10, 20, 30, 40, 50]
    assert stats.percentile(values, 0) == 10
    assert stats.percentile(values, 50) == 30
    assert stats.percentile(values, 100) == 50
    assert stats.percentile(values, 95) == pytest.approx(48)
    assert stats.percentile([4, 1, 3, 2], 50) == pytest.approx(2.5)  # order does not matter


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        stats.percentile([], 50)


def test_ratio_median_is_the_median_of_per_round_ratios():
    # A slow third round slows both configurations; the per-round ratio stays 2.
    page = [2.0, 2.2, 20.0, 2.0, 2.4]
    hello = [1.0, 1.1, 10.0, 1.0, 1.0]
    assert stats.ratio_median(page, hello) == pytest.approx(2.0)
    with pytest.raises(ValueError):
        stats.ratio_median([1.0], [1.0, 2.0])


def test_write_result_adds_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_RESULTS_DIR", str(tmp_path))
    path = stats.write_result("demo", {"title": "Demo", "figures": []})
    written = json.loads(path.read_text())
    assert path == tmp_path / "demo.json"
    assert written["scenario"] == "demo"
    assert {"cpu", "cores", "python", "started"} <= set(written["environment"])


SAMPLE = {
    "scenario": "page_service_time",
    "title": "Page service time, one connection",
    "profile": "small",
    "rounds": 5,
    "figures": [
        {
            "name": "kanban p50",
            "value": 12.3,
            "unit": "ms",
            "baseline": 0.5,
            "ratio": 24.6,
            "target": "<= 20x hello p50",
            "met": False,
            "note": "two queries per card",
        },
        {
            "name": "journey_dashboard p50",
            "value": 5.0,
            "unit": "ms",
            "baseline": 0.5,
            "ratio": 10.0,
            "target": "<= 20x hello p50",
            "met": True,
        },
        {"name": "search p95", "value": 62.0, "unit": "ms", "target": "<= 50 ms", "met": False},
    ],
}


def test_summary_marks_met_and_says_by_how_much_a_target_is_missed(tmp_path):
    (tmp_path / "page_service_time.json").write_text(json.dumps(SAMPLE))
    scenarios, datasets, run = summary.load_results(tmp_path)
    text = summary.render(scenarios, datasets, run, notes={})
    kanban = next(line for line in text.splitlines() if line.startswith("| kanban p50"))
    assert "**no**, missed by a factor 1.23 (24.6x against 20x)" in kanban
    assert "two queries per card" in kanban
    dashboard = next(line for line in text.splitlines() if "journey_dashboard p50" in line)
    assert "| yes |" in dashboard
    search = next(line for line in text.splitlines() if line.startswith("| search p95"))
    assert "missed by 12 ms (62 against 50 ms)" in search
    assert "1 met, 2 missed" in text


def test_summary_lists_modules_that_did_not_run(tmp_path):
    (tmp_path / "page_service_time.json").write_text(json.dumps(SAMPLE))
    (tmp_path / "dataset-small.json").write_text(json.dumps({"profile": "small", "counts": {}}))
    run = {
        "kind": "bench_run",
        "modules": {
            "pages": {"status": "ok", "results": ["page_service_time.json"]},
            "search": {"status": "missing"},
            "load": {"status": "failed", "returncode": 1, "log": "var/bench/load.log"},
        },
    }
    (tmp_path / "run.json").write_text(json.dumps(run))
    scenarios, datasets, run = summary.load_results(tmp_path)
    text = summary.render(scenarios, datasets, run, notes={})
    assert [s["scenario"] for s in scenarios] == ["page_service_time"]  # manifests are no results
    assert "| `bench.search` |" in text and "does not exist" in text
    assert "failed (exit 1); log var/bench/load.log" in text
    assert "| `bench.write_path` |" in text  # never run at all
    assert "| `bench.pages` |" not in text


def test_a_developer_note_is_added_to_a_missed_figure(tmp_path):
    (tmp_path / "page_service_time.json").write_text(json.dumps(SAMPLE))
    scenarios, datasets, run = summary.load_results(tmp_path)
    notes = {"page_service_time": {"kanban p50": "closed by prefetching the votes"}}
    text = summary.render(scenarios, datasets, run, notes=notes)
    assert "two queries per card closed by prefetching the votes" in text


def test_query_counts_must_be_identical_at_both_profiles_and_within_budget():
    page = {"statuses": [200, 200], "queries": []}
    measured = {
        "small": {"a": {**page, "count": 9}, "b": {**page, "count": 9}, "c": {**page, "count": 16}},
        "full": {"a": {**page, "count": 9}, "b": {**page, "count": 11}, "c": {**page, "count": 16}},
    }
    by_name = {f["name"]: f for f in figures_for(measured)}
    assert by_name["a queries, small / full"]["met"] is True
    assert by_name["a queries, small / full"]["value"] == "9 / 9"
    assert by_name["b queries, small / full"]["met"] is False
    assert "+2 at full against small" in by_name["b queries, small / full"]["missed_by"]
    assert "1 query over the budget" in by_name["c queries, small / full"]["missed_by"]


def test_queries_that_differ_only_in_values_group_together():
    one = shape("SELECT * FROM t WHERE id = 12 AND name = 'x' AND k IN (1, 2, 3)")
    two = shape("SELECT * FROM t WHERE id = 7 AND name = 'y''s' AND k IN (4, 5)")
    assert one == two
