"""Insert many rows at once: the bulk paths (a partner file's import, the demo data) write thousands."""
from __future__ import annotations

from collections.abc import Sequence

from django.db import connection


def insert_many(model, fields: Sequence[str], rows: list[tuple]) -> None:
    """Insert `rows` (values in the order of `fields`) into the model's table: COPY on PostgreSQL, else multi-row INSERTs.

    Cheaper than building thousands of model instances for bulk_create, and COPY is the fastest way PostgreSQL
    takes many rows (figures in benchmarks/README.md).
    """
    if not rows:
        return
    model_fields = [model._meta.get_field(f) for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in model_fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
        size = connection.ops.bulk_batch_size(model_fields, rows)
        for start in range(0, len(rows), size):
            part = rows[start : start + size]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(part))}", [v for row in part for v in row])
