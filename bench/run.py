"""`make bench`: data sets when needed, every scenario, then bench/results/SUMMARY.md.

    python -m bench.run [--profile-only small|full] [--scenario NAME ...] [--quick]

1. PostgreSQL and Redis must answer (else it stops and says which one).
2. The databases bench_small and bench_full are (re)generated with `python -m bench.generate`
   only when their manifest is missing or their fingerprint changed: the seed, the
   generator's source and the migration state (migration files and the versions of the
   packages that bring migrations). The fingerprint is kept as the database's COMMENT, so a
   dropped or hand-filled database is regenerated too.
3. Each scenario module runs as `python -m bench.<name>` in its own process, with the
   environment below; a missing or failing module is recorded in run.json and shown in the
   summary, and the run goes on.

Environment (defaults in brackets):
  BENCH_DATABASE_URL_FULL   [postgres://postgres@127.0.0.1:5432/bench_full]
  BENCH_DATABASE_URL_SMALL  [postgres://postgres@127.0.0.1:5432/bench_small]
  BENCH_REDIS_URL           [redis://127.0.0.1:6379/9]  emptied by the scenarios: keep it apart
  BENCH_PORT                [8400]  each module gets seven ports from here on
  BENCH_MODULE_TIMEOUT      [5400]  seconds per module
  and the scenarios' own knobs (BENCH_ROUNDS, ...; see docs/performance.md).
Scenarios see DATABASE_URL (the main profile's database: full, or small with
--profile-only small), BENCH_PROFILE, BENCH_PROFILE_ONLY, BENCH_DATABASE_URL_SMALL/_FULL,
REDIS_URL and DJANGO_SETTINGS_MODULE=config.settings.bench.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import summary
from bench.stats import REPO, environment, results_dir

DEFAULTS = {
    "BENCH_DATABASE_URL_FULL": "postgres://postgres@127.0.0.1:5432/bench_full",
    "BENCH_DATABASE_URL_SMALL": "postgres://postgres@127.0.0.1:5432/bench_small",
    "BENCH_REDIS_URL": "redis://127.0.0.1:6379/9",
}
SEED = 2026
MIGRATING_PACKAGES = ("django", "wagtail", "django-allauth", "django-taggit", "django-tasks-db")
LOGS = REPO / "var" / "bench"


def setting(name: str) -> str:
    return os.environ.get(name) or DEFAULTS[name]


def database_url(profile: str) -> str:
    return setting(f"BENCH_DATABASE_URL_{profile.upper()}")


# --- Services -------------------------------------------------------------------------


def _maintenance(url: str):
    """A connection to the server's `postgres` database (to create and drop others)."""
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=5
    )


def check_services() -> None:
    import redis

    problems = []
    try:
        with _maintenance(database_url("full")) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        problems.append(f"PostgreSQL ({database_url('full')}): {exc}")
    try:
        redis.Redis.from_url(setting("BENCH_REDIS_URL"), socket_timeout=5).ping()
    except Exception as exc:
        problems.append(f"Redis ({setting('BENCH_REDIS_URL')}): {exc}")
    if problems:
        raise SystemExit("bench: cannot reach\n  " + "\n  ".join(problems))


# --- Data sets ------------------------------------------------------------------------


def fingerprint(profile: str) -> str:
    digest = hashlib.sha256(f"{profile}:{SEED}".encode())
    for path in sorted((REPO / "bench").glob("gen*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    for path in sorted(REPO.glob("*/migrations/*.py")):
        if ".venv" not in path.parts:
            digest.update(str(path.relative_to(REPO)).encode())
    for package in MIGRATING_PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            digest.update(f"{package}=={importlib.metadata.version(package)}".encode())
    return digest.hexdigest()[:20]


def _dbname(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def stored_fingerprint(url: str) -> str | None:
    with _maintenance(url) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [_dbname(url)],
        ).fetchone()
    return row[0] if row else None


def manifest_ok(profile: str) -> bool:
    path = REPO / "bench" / "results" / f"dataset-{profile}.json"
    try:
        return json.loads(path.read_text()).get("profile") == profile
    except (OSError, json.JSONDecodeError):
        return False


def ensure_dataset(profile: str) -> str:
    """'kept' or 'generated'; raises when the generator fails."""
    from psycopg import sql

    url = database_url(profile)
    wanted = fingerprint(profile)
    if manifest_ok(profile) and stored_fingerprint(url) == wanted:
        print(f"bench: {profile} data set is current ({_dbname(url)}, {wanted})", flush=True)
        return "kept"
    name = sql.Identifier(_dbname(url))
    print(f"bench: generating the {profile} data set into {_dbname(url)}", flush=True)
    with _maintenance(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"generate-{profile}.log"
    with log.open("w") as out:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.generate", "--profile", profile, "--seed", str(SEED)],
            cwd=REPO,
            env=scenario_env(profile, profile),
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode != 0:
        raise SystemExit(f"bench: generating {profile} failed; see {log}")
    with _maintenance(url) as conn:
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(name, sql.Literal(wanted)))
    return "generated"


# --- Scenarios ------------------------------------------------------------------------


def scenario_env(main_profile: str, only: str | None, port: int | None = None) -> dict:
    env = dict(os.environ)
    for key in ("BENCH_DATABASE_URL_FULL", "BENCH_DATABASE_URL_SMALL"):
        env[key] = setting(key)
    env["DATABASE_URL"] = database_url(main_profile)
    env["REDIS_URL"] = setting("BENCH_REDIS_URL")
    env["BENCH_PROFILE"] = main_profile
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    if only:
        env["BENCH_PROFILE_ONLY"] = only
    if port is not None:
        env["BENCH_PORT"] = str(port)
    return env


def scenario_files(directory: Path) -> dict[str, float]:
    files = {}
    for path in directory.glob("*.json"):
        if path.name == "run.json" or path.name.startswith("dataset-"):
            continue
        files[path.name] = path.stat().st_mtime
    return files


def run_module(module: str, env: dict, previous: dict) -> dict:
    directory = results_dir()
    if importlib.util.find_spec(f"bench.{module}") is None:
        return {"status": "missing"}
    # Its results from an earlier run would pass for this run's if it fails now.
    for name in previous.get("results", []):
        (directory / name).unlink(missing_ok=True)
    before = scenario_files(directory)
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{module}.log"
    started = time.monotonic()
    print(f"bench: running bench.{module} (log {log.relative_to(REPO)})", flush=True)
    timeout = float(os.environ.get("BENCH_MODULE_TIMEOUT", "5400"))
    with log.open("w") as out:
        try:
            done = subprocess.run(  # noqa: S603
                [sys.executable, "-m", f"bench.{module}"],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
            code = done.returncode
        except subprocess.TimeoutExpired:
            code = "timeout"
    after = scenario_files(directory)
    written = sorted(n for n, t in after.items() if before.get(n) != t)
    info = {
        "status": "ok" if code == 0 else "failed",
        "returncode": code,
        "seconds": round(time.monotonic() - started, 1),
        "log": str(log.relative_to(REPO)),
        "results": written,
    }
    if code != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-1:]
        info["error"] = tail[0][:300] if tail else ""
    print(f"bench: bench.{module}: {info['status']} in {info['seconds']} s", flush=True)
    return info


QUICK = {
    "BENCH_HELLO_REQUESTS": "100",
    "BENCH_PAGE_REQUESTS": "30",
    "BENCH_LOAD_SECONDS": "6",
    "BENCH_SATURATION_SECONDS": "3",
    "BENCH_LOAD_SINGLE_REQUESTS": "15",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--profile-only", choices=["small", "full"])
    parser.add_argument(
        "--scenario", action="append", choices=list(summary.MODULES), help="repeatable"
    )
    parser.add_argument("--quick", action="store_true", help="fewer requests, shorter load")
    parser.add_argument("--no-generate", action="store_true", help="use the databases as they are")
    args = parser.parse_args(argv)
    if args.quick:
        for key, value in QUICK.items():
            os.environ.setdefault(key, value)

    check_services()
    profiles = [args.profile_only] if args.profile_only else ["small", "full"]
    datasets = {}
    if not args.no_generate:
        for profile in profiles:
            datasets[profile] = ensure_dataset(profile)
    main_profile = args.profile_only or "full"

    run_path = results_dir() / "run.json"
    previous = json.loads(run_path.read_text()) if run_path.is_file() else {}
    modules = dict(previous.get("modules", {})) if args.scenario else {}
    record = {
        "kind": "bench_run",
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "environment": environment(),
        "profiles": profiles,
        "datasets": datasets,
        "modules": modules,
    }
    base = int(os.environ.get("BENCH_PORT", "8400"))
    for index, module in enumerate(summary.MODULES):
        if args.scenario and module not in args.scenario:
            continue
        env = scenario_env(main_profile, args.profile_only, port=base + 7 * index)
        modules[module] = run_module(module, env, previous.get("modules", {}).get(module, {}))
        record["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
        run_path.write_text(json.dumps(record, indent=2) + "\n")
    summary.main()
    failed = [m for m, info in modules.items() if info.get("status") == "failed"]
    if failed:
        # Reported in the summary; the run itself did its job.
        print(f"bench: failed modules: {', '.join(failed)} (see SUMMARY.md)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
