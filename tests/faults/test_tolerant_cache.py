"""The Redis cache with nothing listening behaves as an empty cache, quickly, and comes
back by itself once Redis answers (config/cache.py)."""

from __future__ import annotations

import time

import pytest

from config import cache as tolerant
from config.cache import TolerantRedisCache
from tests.faults.conftest import RedisProcess

pytestmark = pytest.mark.faults


def test_a_cache_without_redis_misses_drops_writes_and_recovers_when_redis_answers(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(tolerant, "RETRY_AFTER", 0.2)
    redis = RedisProcess(tmp_path)  # a free port, not started yet
    cache = TolerantRedisCache(redis.url, {"KEY_PREFIX": "faults"})

    started = time.perf_counter()
    cache.set("a", 1)
    assert cache.get("a", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    assert cache.delete("a") is False
    assert cache.get_or_set("b", lambda: 2) == 2
    with pytest.raises(ValueError):
        cache.incr("a")
    assert not cache.available
    assert time.perf_counter() - started < 1

    redis.start()
    try:
        time.sleep(0.25)
        cache.set("a", 1)
        assert cache.get("a") == 1
        assert cache.incr("a") == 2
        assert cache.available
    finally:
        redis.stop()
