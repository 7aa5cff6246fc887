"""Asking the search engine (Wagtail's backend: the database by default, Meilisearch when
MEILISEARCH_URL is set) for matching ids. Who may see the hits is decided by each app's
queries; when the engine fails, the caller falls back to a database filter and says so.
"""

from __future__ import annotations

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import QuerySet
from wagtail.search.backends import get_search_backend

logger = logging.getLogger(__name__)
MAX_HITS = 1000


def engine_ids(
    term: str,
    queryset: QuerySet,
    *,
    limit: int = MAX_HITS,
    operator: str | None = None,
    recent_window: int | None = None,
) -> list[int] | None:
    """Ids of the matches in `queryset`, most relevant first; None when the engine is
    down or refuses the query. `queryset` may only be narrowed on the model's
    index.FilterField fields; `operator="and"` asks for every word (the backend's default
    is any word).

    `recent_window`: on PostgreSQL's database backend, rank only the most recently
    indexed matches of the whole model (the queryset's filters are not applied: use it
    where the caller filters the ids itself). A common word matches most of a large
    archive, and ranking every match cost over a second at 100,000 stories."""
    try:
        backend = get_search_backend()
        if recent_window and operator is None and _is_postgres_database_backend(backend):
            return _recent_ranked_ids(backend, term, queryset.model, limit, recent_window)
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


# The backend's own ranking (title weighted by title_norm, plus body), computed only over
# the `window` newest index entries that hold every word. A word is in title || body when
# it is in either, so the GIN indexes on title and on body answer the filter; the index
# on (content_type_id, id) (community migration 0009) finds the newest entries of one
# model without stepping over the other models' entries.
_RECENT_RANKED = """
SELECT e.object_id FROM {table} e, plainto_tsquery(%(config)s::regconfig, %(terms)s) q
WHERE e.id IN (
    SELECT e.id FROM {table} e
    WHERE e.content_type_id = %(ct)s AND {words}
    ORDER BY e.id DESC
    LIMIT %(window)s
)
ORDER BY ts_rank(%(weights)s::float4[], e.title, q) * e.title_norm
       + ts_rank(%(weights)s::float4[], e.body, q) DESC, e.object_id DESC
LIMIT %(limit)s
"""
# A stop word gives an empty query, which matches nothing: such a word is left out.
_WORD_IN_ENTRY = (
    "(numnode(plainto_tsquery(%(config)s::regconfig, %(w{n})s)) = 0"
    " OR e.title @@ plainto_tsquery(%(config)s::regconfig, %(w{n})s)"
    " OR e.body @@ plainto_tsquery(%(config)s::regconfig, %(w{n})s))"
)
MAX_WORDS = 10


def _is_postgres_database_backend(backend) -> bool:
    # By name along the class tree: importing the PostgreSQL backend needs psycopg, and
    # the platform's own backend (learning.site_search.database_backend) is a subclass.
    return connection.vendor == "postgresql" and any(
        cls.__name__ == "PostgresSearchBackend" for cls in type(backend).__mro__
    )


def _recent_ranked_ids(backend, term: str, model, limit: int, window: int) -> list[int]:
    from modelsearch.backends.database.postgres.weights import get_sql_weights
    from modelsearch.conf import get_app_config

    words = term.split()[:MAX_WORDS]
    if not words:
        return []
    table = connection.ops.quote_name(get_app_config().get_model("IndexEntry")._meta.db_table)
    sql = _RECENT_RANKED.format(
        table=table, words=" AND ".join(_WORD_IN_ENTRY.format(n=i) for i in range(len(words)))
    )
    params = {
        "ct": ContentType.objects.get_for_model(model).pk,
        "config": backend.config,
        "terms": " ".join(words),
        "window": window,
        "limit": limit,
        "weights": get_sql_weights(),
        **{f"w{i}": word for i, word in enumerate(words)},
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [int(row[0]) for row in cursor.fetchall()]
