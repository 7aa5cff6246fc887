"""A Redis cache that fails softly: with Redis down the platform works without a cache.

Django's RedisCache raises redis.ConnectionError on every call while Redis is down, and
the cache sits under every page (the page cache, rate limits, allauth, search weights):
one stopped Redis would answer 500 everywhere. TolerantRedisCache answers as an empty
cache instead (a read finds nothing, a write is dropped, a delete deletes nothing) and
logs the outage once. After a failure it leaves Redis alone for RETRY_AFTER seconds, so
a request does not pay a refused connection per cache call; the first call after that
tries again, and once Redis answers the cache is back.

What a dropped write means: a retired page-cache or tally version is not retired in
Redis. Production's Redis keeps nothing across a restart (compose.yaml: no save, no
append-only file), so it comes back empty and nothing stale survives; a Redis that was
only unreachable keeps its entries until their expiry (the page cache: PAGE_CACHE_SECONDS).
"""

from __future__ import annotations

import logging
import threading
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER = 1.0  # seconds without trying Redis after a failure
OUTAGE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)

# Short socket timeouts: a Redis that accepts and never answers must not hold a request
# for long. Overridable through the cache's OPTIONS.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}


class _Breaker:
    """Per process: when Redis last failed, and whether the outage was logged."""

    def __init__(self) -> None:
        self.down_until = 0.0
        self.logged = False
        self.lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self.down_until

    def trip(self, error: BaseException) -> None:
        with self.lock:
            self.down_until = time.monotonic() + RETRY_AFTER
            first = not self.logged
            self.logged = True
        if first:
            logger.error("Redis cache unreachable, serving without a cache: %s", error)

    def close(self) -> None:
        if self.logged:
            with self.lock:
                self.logged = False
            logger.warning("Redis cache reachable again")


def _tolerant(fallback):
    """Run the RedisCache method; during an outage return fallback(*args, **kwargs)."""

    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._breaker.is_open():
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except OUTAGE as error:
                self._breaker.trip(error)
                return fallback(*args, **kwargs)
            if self._breaker.logged:
                self._breaker.close()
            return result

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty(*args, **kwargs):
    return {}


def _missing(key, *args, **kwargs):
    # What Django's caches do for a key they do not hold; callers already handle it.
    raise ValueError(f"Key {key!r} not found (the cache is unreachable)")


class TolerantRedisCache(RedisCache):
    """django.core.cache.backends.redis.RedisCache that behaves as an empty cache while
    Redis is unreachable (see the module's docstring)."""

    def __init__(self, server, params):
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._breaker = _Breaker()

    @property
    def available(self) -> bool:
        """False while the cache is serving as empty after a failure."""
        return not self._breaker.is_open()

    add = _tolerant(_false)(RedisCache.add)
    get = _tolerant(_default)(RedisCache.get)
    set = _tolerant(_nothing)(RedisCache.set)
    touch = _tolerant(_false)(RedisCache.touch)
    delete = _tolerant(_false)(RedisCache.delete)
    get_many = _tolerant(_empty)(RedisCache.get_many)
    has_key = _tolerant(_false)(RedisCache.has_key)
    incr = _tolerant(_missing)(RedisCache.incr)
    set_many = _tolerant(lambda *args, **kwargs: [])(RedisCache.set_many)
    delete_many = _tolerant(_nothing)(RedisCache.delete_many)
    clear = _tolerant(_false)(RedisCache.clear)
