"""A full-page cache for anonymous visitors of public pages (docs/caching.md).

The middleware (middleware.py) answers a repeat anonymous GET from the cache before
sessions, authentication and CSRF run; only pages that say they are public are stored:
live Wagtail pages without view restrictions (wagtail_hooks.py) and views wrapped in
`public_page`. Any change that can show on those pages bumps one version number that
every entry carries (invalidation.py), so a publish is seen by the next visitor.
"""

from __future__ import annotations

from functools import wraps

# Set on the request by `public_page` and by the Wagtail hook: the page is the same for
# every anonymous visitor, so its response may be stored.
PUBLIC_ATTRIBUTE = "page_cache_public"


def mark_public(request) -> None:
    setattr(request, PUBLIC_ATTRIBUTE, True)


def public_page(view):
    """Let the page cache store this view's response for anonymous visitors.

    Only for views whose output depends on nothing but the address (query string
    included), the language and what the models behind them hold; the models must be
    listed in invalidation.MEMBER_MODELS (or be Wagtail pages, snippets or settings).
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        mark_public(request)
        return view(request, *args, **kwargs)

    setattr(wrapped, PUBLIC_ATTRIBUTE, True)  # the middleware looks these addresses up
    return wrapped
