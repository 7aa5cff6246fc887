"""Wagtail pages are public by nature. Restricted ones (login, groups, password) are not
stored all the same: Wagtail's own view-restriction check marks their responses
`Cache-Control: private, no-cache, no-store`, which the middleware refuses. A page class
can opt out with `page_cache = False`."""

from wagtail import hooks

from config.page_cache import mark_public


@hooks.register("before_serve_page")
def allow_page_cache(page, request, serve_args, serve_kwargs):
    if getattr(page, "page_cache", True):
        mark_public(request)
    return None
