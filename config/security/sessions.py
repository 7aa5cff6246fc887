"""Idle and absolute timeouts for signed-in sessions.

Django's session lives as long as SESSION_COOKIE_AGE however it is used. Here a session
also ends after SESSION_IDLE_TIMEOUT seconds without a request and, however busy, after
SESSION_ABSOLUTE_TIMEOUT seconds from signing in; the member is signed out with a Dutch
message and sent to the sign-in page, which brings them back to where they were.

Two stamps live in the session: when the member signed in and when they were last seen.
The last-seen stamp is written at most once per SESSION_TOUCH_INTERVAL seconds, so an
ordinary request does not write the session (docs/performance.md); the idle timeout is
therefore exact to within that interval. Websockets are not cut off: they check
membership on every message, and the next page load meets the timeout.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

logger = logging.getLogger(__name__)

SIGNED_IN_AT = "_security_signed_in_at"
SEEN_AT = "_security_seen_at"


def _now() -> int:
    return int(time.time())


def stamp(sender=None, request=None, user=None, **kwargs) -> None:
    """On signing in (the session key has just been cycled): start both clocks."""
    session = getattr(request, "session", None)
    if session is not None:
        now = _now()
        session[SIGNED_IN_AT] = now
        session[SEEN_AT] = now


def connect() -> None:
    user_logged_in.connect(stamp, dispatch_uid="security-session-stamp")


def _expired_reason(session, now: int) -> str | None:
    idle = settings.SESSION_IDLE_TIMEOUT
    absolute = settings.SESSION_ABSOLUTE_TIMEOUT
    if absolute and now - session[SIGNED_IN_AT] > absolute:
        return "absolute"
    if idle and now - session[SEEN_AT] > idle:
        return "idle"
    return None


class SessionTimeoutMiddleware:
    """After authentication and messages. Costs a dictionary read per signed-in request,
    and a session write at most once per SESSION_TOUCH_INTERVAL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = _now()
            if SIGNED_IN_AT not in session or SEEN_AT not in session:
                # Signed in before the timeouts existed (or by a path without the
                # signal): the clocks start now.
                session.setdefault(SIGNED_IN_AT, now)
                session[SEEN_AT] = now
            elif reason := _expired_reason(session, now):
                return self._sign_out(request, reason)
            elif now - session[SEEN_AT] >= settings.SESSION_TOUCH_INTERVAL:
                session[SEEN_AT] = now
        return self.get_response(request)

    @staticmethod
    def _sign_out(request, reason: str):
        logger.info("Session of user %s ended: %s timeout", request.user.pk, reason)
        logout(request)
        if reason == "idle":
            text = _(
                "You have been signed out because you were away for a while. "
                "Sign in again to continue."
            )
        else:
            text = _(
                "For your security you are signed out once in a while. Sign in again to continue."
            )
        messages.info(request, text)
        login_url = resolve_url(settings.LOGIN_URL)
        # A form posted after the timeout is not carried out: come back to its page.
        next_url = request.get_full_path() if request.method == "GET" else request.path
        if request.headers.get("HX-Request") == "true":
            return HttpResponseClientRedirect(redirect_to_login(next_url, login_url)["Location"])
        return redirect_to_login(next_url, login_url)
