"""Abuse limits: how often one member, or one address when signed out, may post, search,
register or send websocket messages (docs/security.md).

The rates are in settings.RATE_LIMITS ({action: "count/period"}, each overridable with
RATE_LIMIT_<ACTION>; "" turns one off). Counting is django-ratelimit's: a fixed window per
action and key in the default cache, which is Redis (shared by every worker) when REDIS_URL
is set and local memory (one process) otherwise. The key is the member's id, or for a
visitor who is not signed in the address allauth reads (ALLAUTH_TRUSTED_PROXY_COUNT), so
one member cannot use up another's allowance and a proxy does not count as one visitor.

Over the limit a view answers 429 with a Dutch message and Retry-After: the page shell
(429.html) for a page, a fragment (includes/rate_limited.html) with an HX-Trigger event for
htmx and fetch requests. A websocket gets one error frame and then its messages are
dropped until the window ends; the socket stays open. allauth's own limits (login,
sign-up, password reset: ACCOUNT_RATE_LIMITS) render the same 429.html, and
RetryAfterMiddleware gives every 429 a Retry-After.

The forum and board services keep their own per-minute rules on what is stored
(FORUM_POSTS_PER_MINUTE, BOARD_CARDS_PER_MINUTE): those keep the typed text in the form.
The limits here count every attempt, valid or not, at the door.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.request import HttpHeaders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
SAFE = ("GET", "HEAD")
# Retry-After for a 429 that did not say how long (allauth's, the services' per-minute rules).
DEFAULT_RETRY_AFTER = 60

# What a refused member reads, per action (the wait follows in its own sentence).
MESSAGES = {
    "post": gettext_lazy("You are posting very quickly."),
    "card": gettext_lazy("You are adding cards very quickly."),
    "story": gettext_lazy("You are sending stories very quickly."),
    "registration": gettext_lazy("You are changing your registration very quickly."),
    "search": gettext_lazy("You are searching very quickly."),
    "withdrawal_code": gettext_lazy("Too many withdrawal codes were tried from here."),
    "websocket": gettext_lazy("Too many messages over the live connection."),
}
GENERIC = gettext_lazy("Too many attempts in a short time.")


# --- Counting ---------------------------------------------------------------------------


def client_ip(request) -> str:
    """The visitor's address as allauth reads it (behind ALLAUTH_TRUSTED_PROXY_COUNT
    proxies), IPv6 cut to its /64 as allauth does: one key per visitor for both."""
    from allauth.account.adapter import get_adapter

    try:
        ip = get_adapter().get_client_ip(request)
    except (PermissionDenied, ValueError):
        return "unknown"
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return ip


def _key(group: str, request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"member:{user.pk}"
    return f"ip:{client_ip(request)}"


def _rate(group: str, request) -> str | None:
    return settings.RATE_LIMITS.get(group) or None


def hit(request, action: str) -> int | None:
    """Count one attempt at `action`. None when it is allowed; else the seconds until the
    window ends. A cache that cannot count (Redis down) lets it through: the limits guard
    against floods, they must not take the platform down with the cache."""
    try:
        usage = get_usage(request, group=action, key=_key, rate=_rate, increment=True)
    except Exception:
        logger.warning("rate limit %s not counted: the cache did not answer", action, exc_info=True)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    if usage["count"] == 0:  # the cache refused to count (django-ratelimit fails closed)
        logger.warning("rate limit %s not counted: the cache did not answer", action)
        return None
    return max(1, usage["time_left"])


def message(action: str | None, wait: int | None) -> str:
    what = MESSAGES.get(action or "", GENERIC)
    if wait is None:  # allauth's limits: a window that slides, no count to quote
        when = _("Wait a few minutes and try again.")
    elif wait >= 120:
        minutes = (wait + 59) // 60
        when = ngettext(
            "Wait %(count)s minute and try again.", "Wait %(count)s minutes and try again.", minutes
        ) % {"count": minutes}
    else:
        when = ngettext(
            "Wait %(count)s second and try again.", "Wait %(count)s seconds and try again.", wait
        ) % {"count": wait}
    return f"{what} {when}"


# --- Answers ----------------------------------------------------------------------------


def wants_fragment(request: HttpRequest) -> bool:
    """htmx or fetch() asked, not the browser's own navigation."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        or bool(headers.get("X-Requested-With"))
        or "fragment" in headers.get("Accept", "")
    )


def too_many(request: HttpRequest, action: str | None, wait: int | None = None):
    """The 429 answer: the page shell, or a fragment for htmx and fetch()."""
    text = message(action, wait)
    wait = wait or DEFAULT_RETRY_AFTER
    context = {"rate_limit_message": text, "retry_after": wait}
    if wants_fragment(request):
        html = render_to_string("includes/rate_limited.html", context, request)
        response = HttpResponse(html, status=429)
        # htmx leaves a 429 unswapped; the page's script shows this event (static/js/live.js).
        response["HX-Trigger"] = json.dumps({"platform:rate-limited": text})
    else:
        response = HttpResponse(render_to_string("429.html", context, request), status=429)
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response


def account_rate_limited(request: HttpRequest) -> HttpResponse:
    """allauth's 429 (handler429): the same page, without a count to quote."""
    return too_many(request, None)


def limited(
    action: str,
    *,
    methods: Iterable[str] = UNSAFE,
    when: Callable[[HttpRequest], bool] | None = None,
) -> Callable:
    """View decorator: count `methods` requests (those for which `when` holds) against
    RATE_LIMITS[action]; over the limit answer 429 before the view runs, so nothing is
    saved and nothing is searched."""
    methods = frozenset(m.upper() for m in methods)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if request.method in methods and (when is None or when(request)):
                wait = hit(request, action)
                if wait is not None:
                    return too_many(request, action, wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def has_query(request: HttpRequest) -> bool:
    """A search was asked for (?q= with something in it), not just the page opened."""
    return bool(request.GET.get("q", "").strip())


class RetryAfterMiddleware:
    """Every 429 says when to come back: allauth's and the services' too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(DEFAULT_RETRY_AFTER)
        return response


# --- Websockets -------------------------------------------------------------------------


class _SocketRequest:
    """What the counting reads from a request, made from a websocket's scope."""

    method = "WEBSOCKET"

    def __init__(self, scope: dict[str, Any]) -> None:
        self.user = scope.get("user") or AnonymousUser()
        client = scope.get("client") or ("", 0)
        meta = {"REMOTE_ADDR": client[0] or ""}
        for name, value in scope.get("headers") or ():
            key = name.decode("latin-1").upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = f"HTTP_{key}"
            meta[key] = value.decode("latin-1")
        self.META = meta
        self.headers = HttpHeaders(meta)


def hit_socket(scope: dict[str, Any], action: str = "websocket") -> int | None:
    """hit() for one message on a websocket (synchronous: the cache may be Redis)."""
    return hit(_SocketRequest(scope), action)
