"""Serve repeat anonymous requests for public pages from the page cache.

Placed right after WhiteNoise, before sessions, CSRF, locale and authentication, so a
hit costs about as much as a hello-world view: one cache read, no database. Only
requests that cannot be personal are looked up: GET or HEAD, no htmx, no
Authorization header, and no cookie but the CSRF and language cookies (a session
cookie means a signed-in member or pending messages: such requests render as usual).
"""

from __future__ import annotations

import logging
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language_from_request
from wagtail.views import serve as wagtail_serve

from config.page_cache import PUBLIC_ATTRIBUTE, csrf, store

logger = logging.getLogger(__name__)

HEADER = "X-Page-Cache"
# Longer query strings are served but not stored: no one fills the cache with junk.
MAX_STORED_QUERY_LENGTH = 256
# What a stored page may vary on: the key covers the language (Accept-Language and the
# language cookie), Cookie (see `_anonymous_cookies`) and HX-Request (never looked up).
COVERED_VARY = frozenset({"cookie", "accept-language", "hx-request"})
UNCACHEABLE_CONTROL = ("private", "no-store", "no-cache")


@lru_cache(maxsize=4096)
def _may_be_public(urlconf: str, path_info: str) -> bool:
    """Whether the address goes to a Wagtail page or a `public_page` view: only those
    are looked up, so other requests (the hello-world floor too) pay no cache read."""
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return False
    return match.func is wagtail_serve or getattr(match.func, PUBLIC_ATTRIBUTE, False)


def _anonymous_cookies(request) -> bool:
    """True when every cookie is one the page cache accounts for: the CSRF cookie (its
    token is put in per visitor) and the language cookie (part of the key)."""
    allowed = (settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME)
    return all(name in allowed for name in request.COOKIES)


def _lookup_allowed(request) -> bool:
    meta = request.META
    return (
        "HTTP_HX_REQUEST" not in meta
        and "HTTP_AUTHORIZATION" not in meta
        and _anonymous_cookies(request)
    )


def _storable(request, response) -> bool:
    if not getattr(request, PUBLIC_ATTRIBUTE, False) or request.method != "GET":
        return False
    if response.status_code != 200 or response.streaming:
        return False
    if len(request.META.get("QUERY_STRING", "")) > MAX_STORED_QUERY_LENGTH:
        return False
    # A cookie other than the CSRF cookie (session, messages, language) is personal.
    if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
        return False
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages.used or messages.added_new):
        return False
    if settings.CSRF_USE_SESSIONS and "CSRF_COOKIE" in request.META:
        return False  # the token belongs to a session: it cannot be put in per visitor
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in UNCACHEABLE_CONTROL):
        return False
    vary = {v.lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
    return vary <= COVERED_VARY


def _entry(request, response, version: str) -> store.Entry:
    body = response.content
    uses_csrf = settings.CSRF_COOKIE_NAME in response.cookies
    secret = request.META.get("CSRF_COOKIE")
    if uses_csrf and secret:
        body = csrf.strip_tokens(body, secret)
    return store.Entry(version, store.stored_headers(response), body, uses_csrf)


def _hit(request, entry: store.Entry) -> HttpResponse:
    response = HttpResponse(headers=entry.headers)
    body = entry.body
    if entry.csrf:
        body = csrf.fill_tokens(body, request, response)
    response.content = body
    response["Content-Length"] = str(len(body))
    response[HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """X-Page-Cache says what happened to a GET or HEAD of a Wagtail page or a
    `public_page` view: hit, miss (rendered and stored), skip (looked up but not
    storable: a view restriction, or a personal response) or bypass (not looked up: a
    signed-in member, cookies, htmx). Other addresses get no header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if seconds <= 0 or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        if not _may_be_public(urlconf, request.path_info):
            return self.get_response(request)
        if not _lookup_allowed(request):
            response = self.get_response(request)
            response[HEADER] = "bypass"
            return response
        try:
            key = store.page_key(request, get_language_from_request(request))
            version, entry = store.lookup(key)
        except DisallowedHost:
            key = None  # CommonMiddleware answers it
        except Exception:
            logger.exception("Page cache: lookup failed, rendering the page")
            key = None
        if key is None:
            return self.get_response(request)
        if entry is not None:
            return _hit(request, entry)

        response = self.get_response(request)
        if _storable(request, response):
            # The version read before rendering: a change committed meanwhile has
            # written a newer one, so this page is never served as current.
            try:
                store.save(key, _entry(request, response, version), seconds)
            except Exception:
                logger.exception("Page cache: could not store %s", request.path)
            response[HEADER] = "miss"
        else:
            response[HEADER] = "skip"
        return response
