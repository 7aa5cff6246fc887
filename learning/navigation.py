"""Addresses of the editorial sections for the header navigation.

The sections are Wagtail pages, so editors may move them; the header asks the page tree
once and keeps the answer in the cache until a page is published, unpublished, moved or
deleted.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

CACHE_KEY = "learning:section-urls"
CACHE_SECONDS = 300


def _section_urls() -> dict[str, str]:
    from learning.models import CourseIndexPage, KnowledgeIndexPage, MethodPage, ScenarioIndexPage

    urls = {}
    for key, model in (
        ("method", MethodPage),
        ("knowledge", KnowledgeIndexPage),
        ("scenarios", ScenarioIndexPage),
        ("courses", CourseIndexPage),
    ):
        page = model.objects.live().public().first()
        if page is not None:
            urls[key] = page.get_url()
    return urls


def section_url(key: str) -> str | None:
    urls = cache.get(CACHE_KEY)
    if urls is None:
        urls = _section_urls()
        cache.set(CACHE_KEY, urls, CACHE_SECONDS)
    return urls.get(key)


def forget_sections(**kwargs) -> None:
    cache.delete(CACHE_KEY)


def connect() -> None:
    from wagtail.models import Page

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_sections, dispatch_uid=f"learning-nav-{id(signal)}")
    post_delete.connect(forget_sections, sender=Page, dispatch_uid="learning-nav-delete")
