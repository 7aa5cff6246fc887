"""Wagtail's database search backend, with a cheap title-norm refresh on PostgreSQL.

modelsearch ranks a title match by title_norm = average title length / this title's
length. After every indexed save it recomputes the average over the whole index and then
scans the whole index again for new rows (title_norm = 1.0): at 200,000 forum posts that
is about 300 ms per reply (measured in bench/, see docs/performance.md). The average
hardly moves from one save to the next, so here it is kept in the cache for an hour, and
the new rows are found through a partial index (learning migration 0006). A full refresh
(`update_index`) still recomputes everything exactly.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from modelsearch.backends import database
from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    PostgresIndex,
    PostgresSearchBackend,
)

AVERAGE_KEY = "search:title-length-average"
AVERAGE_SECONDS = 60 * 60


class QuickNormsPostgresIndex(PostgresIndex):
    def _refresh_title_norms(self, full: bool = False) -> None:
        if full:
            super()._refresh_title_norms(full=True)
            cache.set(AVERAGE_KEY, self._average_title_length(), AVERAGE_SECONDS)
            return
        average = cache.get(AVERAGE_KEY)
        if average is None:
            average = self._average_title_length()
            cache.set(AVERAGE_KEY, average, AVERAGE_SECONDS)
        if not average:
            return
        table = connection.ops.quote_name(IndexEntry._meta.db_table)
        with self.write_connection.cursor() as cursor:
            # The same predicate as the partial index, so only new rows are read.
            cursor.execute(
                f"UPDATE {table} SET title_norm = %s / length(title) "  # noqa: S608 (model's table)
                "WHERE title_norm = 1.0 AND length(title) > 0",
                [float(average)],
            )

    def _average_title_length(self) -> float | None:
        table = connection.ops.quote_name(IndexEntry._meta.db_table)
        with self.read_connection.cursor() as cursor:
            cursor.execute(
                f"SELECT avg(length(title)) FROM {table} WHERE length(title) > 0"  # noqa: S608
            )
            (average,) = cursor.fetchone()
        return float(average) if average is not None else None


class QuickNormsPostgresSearchBackend(PostgresSearchBackend):
    index_class = QuickNormsPostgresIndex


def SearchBackend(params):  # noqa: N802 (Wagtail looks for this name)
    """The backend for the default database: the quicker one on PostgreSQL, modelsearch's
    own everywhere else."""
    if connection.vendor == "postgresql":
        return QuickNormsPostgresSearchBackend(params)
    return database.SearchBackend(params)
