"""Full-text search over journeys through Wagtail's search backend (the database by
default, Meilisearch when MEILISEARCH_URL is set).

The backend only finds matching ids; who may see them is decided by journeys.queries,
so a search never shows a journey the list would hide.
"""

from __future__ import annotations

from community.search import engine_ids
from journeys.models import Journey


def search_ids(term: str) -> tuple[list[int] | None, bool]:
    """(ids of matching journeys, whether the engine failed). On failure the ids are None
    and the caller falls back to a plain database filter."""
    ids = engine_ids(term, Journey.objects.all())
    return ids, ids is None
