"""What retires the cached pages: any write that can show on a public page.

- every Wagtail page (save, delete, publish, unpublish, move) and view restriction;
- sites, snippets (menus included, once there are any), site and generic settings,
  images, documents and tags;
- member content that public pages list (MEMBER_MODELS): the home page counts public
  journeys, the method and scenario pages list them; stories may be shown beside the
  werkzame elementen;
- migrations (a fresh or regenerated database).

The version is written at once (the writer's own later reads see it) and again after
the transaction commits, so a page rendered from the old data while the transaction
was open is stored under a version that is already retired.

Not seen: queryset.update(), bulk_create() and raw SQL send no signals. Code that
changes public content that way calls `invalidate()` itself; otherwise the pages live
until their TTL (PAGE_CACHE_SECONDS).
"""

from __future__ import annotations

from functools import cache

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_delete, post_migrate, post_save

from config.page_cache import store

# Member-made models shown on public pages (app_label.ModelName).
MEMBER_MODELS = frozenset({"journeys.Journey", "journeys.Story"})
EDITORIAL_MODELS = frozenset({"taggit.Tag"})


def invalidate(using: str | None = None, **kwargs) -> None:
    store.bump()
    connection = transaction.get_connection(using or DEFAULT_DB_ALIAS)
    if connection.in_atomic_block:
        transaction.on_commit(store.bump, using=using or DEFAULT_DB_ALIAS)


@cache
def shows_on_public_pages(model) -> bool:
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site

    if issubclass(model, (Page, PageViewRestriction, Site, BaseGenericSetting, BaseSiteSetting)):
        return True
    if issubclass(model, (get_image_model(), get_document_model())):
        return True
    if getattr(model, "snippet_viewset", None) is not None:
        return True
    label = model._meta.label
    return label in MEMBER_MODELS or label in EDITORIAL_MODELS


def _on_model_change(sender, using=None, **kwargs) -> None:
    if shows_on_public_pages(sender):
        invalidate(using)


def _on_page_signal(sender, **kwargs) -> None:
    invalidate()


def connect() -> None:
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(_on_model_change, dispatch_uid="page-cache-save")
    post_delete.connect(_on_model_change, dispatch_uid="page-cache-delete")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_on_page_signal, dispatch_uid=f"page-cache-{id(signal)}")
    post_migrate.connect(_on_page_signal, dispatch_uid="page-cache-migrate")
