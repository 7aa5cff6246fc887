"""The targets manifest the generator writes (bench/results/dataset-<profile>.json): which
users, pages, sockets and search terms the scenarios use. See bench/generate.py."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def path(profile: str) -> Path:
    return RESULTS / f"dataset-{profile}.json"


def load(profile: str) -> dict:
    """The manifest of `profile` (full, small or tiny)."""
    manifest = path(profile)
    if not manifest.exists():
        raise FileNotFoundError(
            f"{manifest} is missing: generate the data first "
            f"(DATABASE_URL=... python -m bench.generate --profile {profile})"
        )
    return json.loads(manifest.read_text())
