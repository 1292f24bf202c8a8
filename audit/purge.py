"""The one privileged path that may delete audit rows (the triggers let a DELETE through only inside it)."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connections


@contextlib.contextmanager
def purging(using: str = "default") -> Iterator[None]:
    """Allow deletes of audit rows on `using` for the block; whoever calls it must log why."""
    with connections[using].cursor() as cursor:
        cursor.execute("INSERT INTO audit_purge (id) VALUES (1)")
    try:
        yield
    finally:
        with connections[using].cursor() as cursor:
            cursor.execute("DELETE FROM audit_purge")
