"""A process row lock that also works inside an outer transaction.

viewflow 2.4's `select_for_update_lock` catches the NOWAIT failure *inside* its own `atomic()` block, so when
it runs within a transaction that is already open (our services are @transaction.atomic) PostgreSQL leaves that
transaction aborted and every retry fails with "current transaction is aborted" (seen in
tests/workflows/test_concurrency.py). Here each attempt is its own savepoint, rolled back on failure, and the
lock, once taken, is held until the outermost transaction ends.
"""
from __future__ import annotations

import time
from contextlib import contextmanager

from django.db import DatabaseError, transaction
from viewflow.workflow.exceptions import FlowLockFailed


class ProcessRowLock:
    def __init__(self, attempts: int = 8, first_wait: float = 0.05):
        self.attempts = attempts
        self.first_wait = first_wait

    @contextmanager
    def __call__(self, flow_class, process_pk):
        with transaction.atomic():
            rows = flow_class.process_class._default_manager.filter(pk=process_pk)
            for attempt in range(self.attempts):
                try:
                    with transaction.atomic():  # a savepoint: a failed NOWAIT rolls back only this
                        rows.select_for_update(nowait=True).exists()
                    break
                except DatabaseError as exc:
                    if attempt == self.attempts - 1:
                        raise FlowLockFailed(f"Lock failed for {flow_class}") from exc
                    time.sleep(self.first_wait * 2**attempt)  # 0.05 s … 3.2 s, about 6 s in all
            yield


process_row_lock = ProcessRowLock()
