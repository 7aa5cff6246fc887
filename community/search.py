"""Asking the search engine (Wagtail's backend: the database by default, Meilisearch when
MEILISEARCH_URL is set) for matching ids. Who may see the hits is decided by each app's
queries; when the engine fails, the caller falls back to a database filter and says so.
"""

from __future__ import annotations

import logging

from django.db.models import QuerySet
from wagtail.search.backends import get_search_backend

logger = logging.getLogger(__name__)
MAX_HITS = 1000


def engine_ids(
    term: str, queryset: QuerySet, *, limit: int = MAX_HITS, operator: str | None = None
) -> list[int] | None:
    """Ids of the matches in `queryset`, most relevant first; None when the engine is
    down or refuses the query. `queryset` may only be narrowed on the model's
    index.FilterField fields; `operator="and"` asks for every word (the backend's default
    is any word)."""
    try:
        backend = get_search_backend()
        if operator is None:
            results = backend.search(term, queryset)
        else:
            results = backend.search(term, queryset, operator=operator)
        return [obj.pk for obj in results[:limit]]
    except Exception:  # any engine failure: the caller falls back and says so
        logger.warning(
            "Search for %s failed; falling back to the database",
            queryset.model.__name__,
            exc_info=True,
        )
        return None
