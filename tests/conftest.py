"""Shared fixtures. Data is built through the services, as the platform itself does."""

from __future__ import annotations

import os
import socket
import uuid
from urllib.parse import urlsplit

import pytest
from django.core.cache import caches

from community import services
from community.demo import PERSONAS, register_persona
from config.settings import components

PASSWORD = "Proef-wachtwoord-2026"
TEST_REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth's rate limits count in the cache: each test starts with a clean slate.
    caches["default"].clear()
    yield


@pytest.fixture
def make_member(db):
    """make_member("a@example.org", first_name="An") -> a verified member."""

    def make(email: str, *, password: str = PASSWORD, verified: bool = True, **fields):
        return services.register_member(
            None, email=email, password=password, email_verified=verified, **fields
        )

    return make


@pytest.fixture
def personas(db) -> dict:
    """One verified member per demo role, keyed by role (reisbegeleider, ..., beheerder)."""
    return {persona.role: register_persona(persona, PASSWORD) for persona in PERSONAS}


def _persona_fixture(role: str):
    @pytest.fixture(name=role)
    def persona(personas):
        return personas[role]

    return persona


# A fixture per role: `def test_x(reisbegeleider, inwoner): ...`
for _persona in PERSONAS:
    globals()[f"persona_{_persona.role}"] = _persona_fixture(_persona.role)


def redis_is_reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(params=["in-memory", "redis", "redis-fanout"])
def channel_layer_kind(request, settings) -> str:
    """Run a test on the in-memory channel layer, on Redis, and on Redis with the local
    fan-out (REALTIME_FANOUT, community/fanout.py)."""
    if request.param.startswith("redis"):
        if not redis_is_reachable(TEST_REDIS_URL):
            pytest.skip(f"Redis is not running at {TEST_REDIS_URL}")
        layers = components.channel_layers(
            TEST_REDIS_URL, max_connections=50, fanout=request.param == "redis-fanout"
        )
        # A prefix of its own, so parallel or earlier runs cannot cross-talk.
        layers["default"]["CONFIG"]["prefix"] = f"test{uuid.uuid4().hex[:8]}"
    else:
        layers = components.channel_layers(None, max_connections=0)
    settings.CHANNEL_LAYERS = layers  # channels resets its layers on this change
    return request.param
