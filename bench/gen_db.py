"""Bulk writes for the generator: rows go straight into the tables (COPY on PostgreSQL,
executemany elsewhere) with ids the generator chose itself, so related rows can point at
them without reading anything back. No model save(), no signals: the generator fills
denormalised counters and search entries itself. Sequences are reset at the end."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models


class Writer:
    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.touched: set[type[models.Model]] = set()
        self.counts: dict[str, int] = {}

    def next_id(self, model: type[models.Model]) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {table}")  # noqa: S608
            return cursor.fetchone()[0] + 1

    def insert(self, model: type[models.Model], fields: list[str], rows: Iterable[tuple]) -> int:
        """Insert `rows` (tuples in the order of `fields`, attnames such as journey_id)."""
        meta = model._meta
        model_fields = [meta.get_field(name) for name in fields]
        json_at = [i for i, f in enumerate(model_fields) if isinstance(f, models.JSONField)]
        table = connection.ops.quote_name(meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in model_fields)
        self.touched.add(model)
        n = 0
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        if json_at:
                            row = _dump_json(row, json_at)
                        copy.write_row(row)
                        n += 1
            else:
                sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
                batch = []
                for row in rows:
                    batch.append(
                        [
                            f.get_db_prep_save(value, connection)
                            for f, value in zip(model_fields, row, strict=True)
                        ]
                    )
                    if len(batch) >= 2000:
                        cursor.executemany(sql, batch)
                        n += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    n += len(batch)
        self.counts[meta.label] = self.counts.get(meta.label, 0) + n
        return n

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), sorted(self.touched, key=str))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    def analyze(self) -> None:
        """Planner statistics for every table, and on PostgreSQL outside a transaction a
        VACUUM too: the search index's title_norm update leaves a dead copy of each row."""
        if self.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def _dump_json(row: tuple, positions: list[int]) -> tuple:
    row = list(row)
    for i in positions:
        row[i] = json.dumps(row[i], cls=DjangoJSONEncoder)
    return tuple(row)
