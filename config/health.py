"""/health/: is every component this process depends on answering?

It lives in config/ because it checks the wiring (the configured database, cache,
channel layer, search backend and task backend), not a feature of any app.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import task_backends
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

logger = logging.getLogger(__name__)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache() -> str:
    cache = caches["default"]
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    try:
        if cache.get(key) != "ok":
            raise RuntimeError("the cache did not return what was just stored")
    finally:
        cache.delete(key)
    return type(cache).__name__


async def _round_trip(layer) -> None:
    channel = await layer.new_channel("health.")
    await layer.send(channel, {"type": "health.ping"})
    message = await asyncio.wait_for(layer.receive(channel), timeout=3)
    if message.get("type") != "health.ping":
        raise RuntimeError("the channel layer returned another message")


def check_channel_layer() -> str:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer is configured")
    async_to_sync(_round_trip)(layer)
    return type(layer).__name__


def check_search() -> str:
    backend = get_search_backend()
    client = getattr(backend, "client", None)
    if client is not None and hasattr(client, "health"):
        client.health()  # Meilisearch: raises unless the server answers "available"
    else:
        list(backend.search("gezondheid", Page)[:1])
    return type(backend).__module__


def check_tasks() -> str:
    backend = task_backends["default"]
    if type(backend).__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()
    return type(backend).__name__


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "channel_layer": check_channel_layer,
    "search": check_search,
    "tasks": check_tasks,
}


@never_cache
@require_safe
def health(request):
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            detail = check()
        except Exception as exc:
            # The response names the failing part and the kind of error, never its
            # message: that can hold hosts or credentials. The log has the whole story.
            logger.exception("health check %s failed", name)
            results[name] = {"status": "fail", "error": type(exc).__name__}
        else:
            results[name] = {"status": "ok", "backend": detail}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    failing = [name for name, result in results.items() if result["status"] != "ok"]
    body = {"status": "fail" if failing else "ok", "failing": failing, "checks": results}
    return JsonResponse(body, status=503 if failing else 200)
