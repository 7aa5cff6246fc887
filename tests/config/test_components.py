"""How the environment's URLs become settings: the embedded defaults and the real engines."""

import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest

from config.settings import components

ROOT = Path(__file__).resolve().parents[2]


def make_env(**values):
    env = environ.Env()
    env.ENVIRON = dict(values)
    return env


def test_without_database_url_the_platform_uses_a_sqlite_file_in_wal_mode(tmp_path):
    config = components.database(make_env(), tmp_path / "db.sqlite3", pool_max_size=5)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgresql_gets_a_connection_pool_and_no_persistent_connections(tmp_path):
    env = make_env(DATABASE_URL="postgres://app:geheim@db.example:5432/impact")
    config = components.database(env, tmp_path / "unused.sqlite3", pool_max_size=7)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "impact"
    assert config["OPTIONS"]["pool"]["max_size"] == 7
    assert config["CONN_MAX_AGE"] == 0


def test_redis_url_switches_cache_and_channel_layer_to_redis_with_a_connection_ceiling():
    cache = components.cache("redis://redis:6379/0")
    layers = components.channel_layers("redis://redis:6379/0", max_connections=250)
    assert cache["default"]["BACKEND"] == "config.cache.TolerantRedisCache"
    assert layers["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert layers["default"]["CONFIG"]["hosts"] == [
        {"address": "redis://redis:6379/0", "max_connections": 250}
    ]


def test_realtime_fanout_switches_the_redis_layer_to_the_local_fan_out():
    layers = components.channel_layers("redis://redis:6379/0", max_connections=250, fanout=True)
    assert layers["default"]["BACKEND"] == "community.fanout.FanoutChannelLayer"
    assert layers["default"]["CONFIG"]["hosts"][0]["max_connections"] == 250


def test_without_redis_url_cache_and_channel_layer_stay_in_process():
    assert components.cache(None)["default"]["BACKEND"].endswith("LocMemCache")
    assert components.channel_layers(None, 10)["default"]["BACKEND"].endswith(
        "InMemoryChannelLayer"
    )


def test_meilisearch_url_selects_the_meilisearch_backend_with_host_port_and_key():
    backends = components.search_backends("https://zoek.example.nl", "sleutel")
    assert backends["default"] == {
        "BACKEND": "learning.site_search.meilisearch_backend",
        "HOST": "https://zoek.example.nl",
        "PORT": "443",
        "MASTER_KEY": "sleutel",
    }
    assert components.search_backends(None, "")["default"]["BACKEND"] == (
        "learning.site_search.database_backend"
    )


def test_an_unknown_task_backend_is_refused_with_the_choices():
    with pytest.raises(environ.ImproperlyConfigured, match="immediate"):
        components.tasks("celery")
    assert components.tasks("database")["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def _load_production_settings(**extra_env):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", **extra_env)
    script = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.REQUIRE_STAFF_TWO_FACTOR, settings.TASKS['default']['BACKEND'],"
        " settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    )
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _load_production_settings(ALLOWED_HOSTS="leren.example.nl")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_requires_two_factor_for_staff_and_queues_tasks_in_the_database():
    result = _load_production_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS="leren.example.nl")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django_tasks_db.DatabaseBackend", "False", "True"]
