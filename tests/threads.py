"""Run calls at the same moment, each in a thread of its own with its own database connection."""
from __future__ import annotations

import threading

from django.db import connections


def together(*calls, database_name: str | None = None, timeout: float = 120) -> list:
    """Start every call at once (a barrier); return each one's result, or the exception it raised.

    `database_name`: a SQLite file the threads share (the test database itself is in memory, which no other
    connection can open).
    """
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        if database_name is not None:
            own = connections["default"]  # this thread's own connection, not yet opened
            own.settings_dict = {**own.settings_dict, "NAME": database_name}
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return results
