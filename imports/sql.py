"""Plain INSERTs sent with executemany, for the import's hot paths."""
from __future__ import annotations

from collections.abc import Sequence

from django.db import connection


def insert_many(model, fields: Sequence[str], rows: list[tuple]) -> None:
    """Insert `rows` (values in the order of `fields`) into the model's table in one executemany.

    Building thousands of model instances for bulk_create took longer than inserting the people themselves.
    """
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
