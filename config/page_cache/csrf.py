"""CSRF tokens in cached pages.

Every page carries a CSRF token (the htmx header in base.html, the language switch). A
token is the visitor's CSRF secret (from their cookie) under a random mask, so a page
stored with one visitor's token would fail the next visitor's POST. Before storing, the
tokens that belong to the request's secret are replaced by a placeholder; on a hit the
placeholder becomes a fresh token for this visitor's secret, and the CSRF cookie is set
as Django's CsrfViewMiddleware would have set it.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.middleware.csrf import (
    CSRF_TOKEN_LENGTH,
    InvalidTokenFormat,
    _check_token_format,
    _get_new_csrf_string,
    _mask_cipher_secret,
    _unmask_cipher_token,
)
from django.utils.cache import patch_vary_headers

# NUL bytes never occur in rendered HTML, so the placeholder cannot collide with content.
PLACEHOLDER = b"\x00page-cache-csrf-token\x00"
_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{%d}(?![A-Za-z0-9])" % CSRF_TOKEN_LENGTH)


def strip_tokens(body: bytes, secret: str) -> bytes:
    """The body with every token masked from `secret` replaced by the placeholder."""

    def swap(match: re.Match) -> bytes:
        token = match.group().decode("ascii")
        return PLACEHOLDER if _unmask_cipher_token(token) == secret else match.group()

    return _TOKEN.sub(swap, body)


def visitor_secret(request) -> str:
    """The visitor's CSRF secret from their cookie, or a new one (as CsrfViewMiddleware
    does for a missing or malformed cookie)."""
    value = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if value:
        try:
            _check_token_format(value)
        except InvalidTokenFormat:
            return _get_new_csrf_string()
        # Django before 4.0 stored the secret masked.
        return _unmask_cipher_token(value) if len(value) == CSRF_TOKEN_LENGTH else value
    return _get_new_csrf_string()


def fill_tokens(body: bytes, request, response) -> bytes:
    secret = visitor_secret(request)
    if PLACEHOLDER in body:
        body = body.replace(PLACEHOLDER, _mask_cipher_secret(secret).encode("ascii"))
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        secret,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    patch_vary_headers(response, ("Cookie",))
    return body
