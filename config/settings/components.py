"""Turn environment URLs into Django settings for the platform's real components.

Each function takes what the environment says and returns the settings block for one
component, so base.py reads as a list of decisions and the translation rules can be
tested on their own.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import environ


def database(env: environ.Env, default_sqlite_path: Path, pool_max_size: int) -> dict:
    """DATABASE_URL, or a SQLite file. PostgreSQL gets a psycopg connection pool."""
    config = env.db_url("DATABASE_URL", default=f"sqlite:///{default_sqlite_path}")
    engine = config["ENGINE"]
    if engine.endswith("sqlite3"):
        # WAL and immediate transactions let the ASGI server's threads write without
        # "database is locked" errors under concurrent requests.
        config.setdefault("OPTIONS", {}).update(
            {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
        )
    elif "postgresql" in engine:
        # A pool doubled throughput under ASGI here; CONN_MAX_AGE must stay 0 with it.
        # CONN_HEALTH_CHECKS: with a pool, Django gives it ConnectionPool.check_connection,
        # so each connection is tested (one round trip) as it leaves the pool and after a
        # PostgreSQL restart the dead ones are replaced instead of failing the requests
        # that draw them (tests/faults/test_postgres_restart.py).
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = True
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": pool_max_size,
            "timeout": 10,
        }
    return config


def cache(redis_url: str | None) -> dict:
    if redis_url:
        return {
            "default": {
                # RedisCache that serves as an empty cache while Redis is down, so
                # pages keep working (config/cache.py; tests/faults).
                "BACKEND": "config.cache.TolerantRedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "li",
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def channel_layers(redis_url: str | None, max_connections: int, *, fanout: bool = False) -> dict:
    if redis_url:
        # fanout: channels-redis' pub/sub layer with a local fan-out, one Redis message per
        # process per group handed to that process's sockets directly (community/fanout.py;
        # stock group_send to 1,000 sockets measured 6-7x a bare broadcast). Opt-in until
        # the clean-up stall under 1,000-socket churn is found (docs/realtime.md).
        # redis-py's async pool raises once it holds 100 connections and channels-redis
        # sets no limit of its own: name the ceiling explicitly.
        backend = (
            "community.fanout.FanoutChannelLayer"
            if fanout
            else "channels_redis.core.RedisChannelLayer"
        )
        return {
            "default": {
                "BACKEND": backend,
                "CONFIG": {
                    "hosts": [{"address": redis_url, "max_connections": max_connections}],
                    "prefix": "li",
                },
            }
        }
    return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def search_backends(meilisearch_url: str | None, meilisearch_key: str) -> dict:
    if meilisearch_url:
        parts = urlsplit(meilisearch_url)
        default_port = 443 if parts.scheme == "https" else 7700
        return {
            "default": {
                # wagtail-meilisearch with timeouts and filters in the engine (see there).
                "BACKEND": "learning.site_search.meilisearch_backend",
                "HOST": f"{parts.scheme}://{parts.hostname}",
                "PORT": str(parts.port or default_port),
                "MASTER_KEY": meilisearch_key,
            }
        }
    # "dutch": PostgreSQL stems Dutch words ("wijken" finds "wijk"). The SQLite and MySQL
    # database backends ignore SEARCH_CONFIG, so it can be set whatever the database.
    # learning.site_search.database_backend is Wagtail's database backend with a cheaper
    # title-weight refresh on PostgreSQL.
    return {
        "default": {"BACKEND": "learning.site_search.database_backend", "SEARCH_CONFIG": "dutch"}
    }


TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}


def tasks(backend_name: str) -> dict:
    try:
        backend = TASK_BACKENDS[backend_name]
    except KeyError as exc:
        choices = ", ".join(sorted(TASK_BACKENDS))
        raise environ.ImproperlyConfigured(
            f"TASKS_BACKEND={backend_name!r} is not one of: {choices}"
        ) from exc
    return {"default": {"BACKEND": backend, "QUEUES": ["default"]}}
