"""Where the pages are kept: the key of a page, the version every entry carries, and the
entries themselves (headers and body, never cookies).

One cache round trip per request: the version and the page are read together, and an
entry counts only if it was stored under the current version. Invalidating is writing a
new version; old entries are then never served and expire on their own.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from typing import NamedTuple

from django.core.cache import caches

logger = logging.getLogger(__name__)

CACHE_ALIAS = "default"
VERSION_KEY = "pagecache:version"
PAGE_PREFIX = "pagecache:page:"
# Headers not kept: the length is set again (the CSRF token may change it), and whether
# a response was a hit is said per response.
UNSTORED_HEADERS = frozenset({"content-length", "x-page-cache"})


class Entry(NamedTuple):
    version: str
    headers: dict[str, str]
    body: bytes
    csrf: bool  # the page carries the visitor's CSRF token (placeholders in body)


def _cache():
    return caches[CACHE_ALIAS]


def page_key(request, language: str) -> str:
    """Everything an anonymous page may depend on: scheme, host, path with its query
    string, and the language. Hashed, so any query string makes a safe key."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}\n{language}"
    return PAGE_PREFIX + hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()


def _new_version() -> str:
    return secrets.token_hex(8)


def lookup(key: str) -> tuple[str, Entry | None]:
    """(the current version, the entry if one is stored under it)."""
    cache = _cache()
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        # First request, or the version was evicted: start a new one (add: another
        # process may just have done so too), so nothing stored before counts.
        cache.add(VERSION_KEY, _new_version(), timeout=None)
        return cache.get(VERSION_KEY) or "", None
    entry = found.get(key)
    if entry is None or entry[0] != version:
        return version, None
    return version, Entry(*entry)


def save(key: str, entry: Entry, seconds: int) -> None:
    _cache().set(key, tuple(entry), timeout=seconds)


def stored_headers(response) -> dict[str, str]:
    return {name: value for name, value in response.items() if name.lower() not in UNSTORED_HEADERS}


def bump() -> None:
    """Retire every stored page. Never raises: a cache outage must not fail the write
    that caused it (the pages then live at most until their TTL)."""
    try:
        _cache().set(VERSION_KEY, _new_version(), timeout=None)
    except Exception:
        logger.exception("Page cache: could not write a new version")
