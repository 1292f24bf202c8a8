"""Write case processes and their tasks in bulk, as the flow itself would have left them.

Running the flow row by row costs a dozen queries per case; the demo data and the import of a partner's file
write thousands of cases at once. These helpers build the same rows for bulk_create.
"""
from __future__ import annotations

import datetime

from viewflow.workflow.models import Process, Task
from viewflow.workflow.token import Token

from common.sql import insert_many
from workflows.flows import CaseFlow
from workflows.models import CaseProcess

BATCH = 2000


def case_processes_create(processes: list[Process], links: list[tuple[int, int | None]]) -> list[Process]:
    """Insert case processes, each linked to its (case id, referral id); return them with their ids."""
    processes = Process.objects.bulk_create(processes, batch_size=BATCH)
    # bulk_create cannot insert multi-table children
    insert_many(CaseProcess, ("process_ptr", "case", "referral"),
                [(p.pk, case_id, referral_id) for p, (case_id, referral_id) in zip(processes, links)])
    return processes


def task_build(process: Process, step: str, status: str, created: datetime.datetime, owner, *, token: str = "start",
               **fields) -> Task:
    """Build (not save) the task of the flow node `step`."""
    node = getattr(CaseFlow, step)
    return Task(process=process, flow_task=node, flow_task_type=node.task_type, status=status, created=created,
                owner=owner, token=Token(token), **fields)


def side_task_create(process: Process, node, *, data: dict) -> Task:
    """Create a task of `node` in a running process, beside its other tasks (it follows the start task)."""
    start = process.task_set.get(flow_task=CaseFlow.start)
    return node._create(prev_activation=start.flow_task.activation_class(start), token=Token("start"), data=data).task
