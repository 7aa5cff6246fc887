"""Full-text search over journeys through Wagtail's search backend (the database by
default, Meilisearch when MEILISEARCH_URL is set).

The backend only finds matching ids; who may see them is decided by journeys.queries,
so a search never shows a journey the list would hide.
"""

from __future__ import annotations

import logging

from wagtail.search.backends import get_search_backend

from journeys.models import Journey

logger = logging.getLogger(__name__)
MAX_HITS = 1000


def search_ids(term: str) -> tuple[list[int] | None, bool]:
    """(ids of matching journeys, whether the engine failed). On failure the ids are None
    and the caller falls back to a plain database filter."""
    try:
        results = get_search_backend().search(term, Journey.objects.all())
        return [journey.pk for journey in results[:MAX_HITS]], False
    except Exception:  # the engine is down or refuses the query: fall back, say so
        logger.warning("Journey search failed; falling back to the database", exc_info=True)
        return None, True
