"""Everything that reaches into viewflow's internals, in one place.

viewflow 2.4's public API starts a process and moves one task at a time. Gefyra also needs what it does not
offer: processes and tasks written in bulk (thousands of cases from a partner's file or the demo data), a task
beside a running flow (a new referral to consider), a branch added to a Split that already ran (a revised plan),
a Join fired after a branch is cancelled, and an undo that walks the graph past gateways. These use viewflow's
node `_create`, activation internals and token strings; the bulk-start contract test
(tests/workflows/test_bulk_start.py) checks that the rows written here are the ones the flow itself writes.
"""
from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.activation import _can_cancel
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.token import Token

from common.sql import insert_many, insert_objects
from workflows import steps
from workflows.flows import CaseFlow
from workflows.models import CaseProcess, ServiceLevel

BATCH = 2000


class UndoRefused(Exception):
    """The step cannot be undone (the next step is under way, or it leads nowhere to undo)."""


# --- bulk writes, as the flow itself would have left them ------------------------------------------------

def case_processes_create(processes: list[Process], links: list[tuple[int, int | None]]) -> list[Process]:
    """Insert case processes, each linked to its (case id, referral id); return them with their ids."""
    processes = insert_objects(processes)
    # The multi-table child rows, which bulk_create cannot insert
    insert_many(CaseProcess, ("process_ptr", "case", "referral"),
                [(p.pk, case_id, referral_id) for p, (case_id, referral_id) in zip(processes, links, strict=True)])
    return processes


def task_build(process: Process, step: str, status: str, created: datetime.datetime, owner, *, token: str = "start",
               **fields) -> Task:
    """Build (not save) the task of the flow node `step`."""
    node = getattr(CaseFlow, step)
    return Task(process=process, flow_task=node, flow_task_type=node.task_type, status=status, created=created,
                owner=owner, token=Token(token), **fields)


def tasks_create(tasks: list[Task]) -> list[Task]:
    return insert_objects(tasks)


def services_rounds_create(rounds: list[tuple[Process, datetime.datetime, list]]) -> None:
    """For each (process, when, branch builders): a done services Split, its open branches and the Join waiting.

    Each branch builder takes the branch's token (the Split's, as the flow gives it) and returns its unsaved task.
    """
    splits = tasks_create([task_build(p, "services", STATUS.DONE, when, None, finished=when) for p, when, _b in rounds])
    branches, joins = [], []
    for split, (process, when, builders) in zip(splits, rounds, strict=True):
        branches += [build(token=f"{split.token}/{split.pk}_{n}") for n, build in enumerate(builders, 1)]
        joins.append(task_build(process, "services_done", STATUS.STARTED, when, None))
    tasks_create(branches)
    joins = tasks_create(joins)
    Task.previous.through.objects.bulk_create(
        [Task.previous.through(from_task_id=j.pk, to_task_id=s.pk) for j, s in zip(joins, splits, strict=True)], batch_size=BATCH
    )


def flows_start_many(links: list[tuple[int, int]]) -> None:
    """CaseFlow.start.run for each (case id, referral id): the process, its done start task, the open review task."""
    now = timezone.now()
    processes = case_processes_create([Process(flow_class=CaseFlow, created=now, data={}) for _ in links], links)
    starts = tasks_create([task_build(p, "start", STATUS.DONE, now, None, started=now, finished=now) for p in processes])
    review = CaseFlow.referral_review
    due = ServiceLevel.due_at(review.name)  # what the node's onCreate (set_due_date) writes
    reviews = tasks_create([
        task_build(p, review.name, STATUS.NEW, now, None, owner_permission=review.calc_owner_permission(None), scheduled=due)
        for p in processes
    ])
    Task.previous.through.objects.bulk_create(
        [Task.previous.through(from_task_id=t.pk, to_task_id=s.pk) for t, s in zip(reviews, starts, strict=True)], batch_size=BATCH
    )


# --- tasks outside the flow's own path ---------------------------------------------------------------------

def side_task_create(process: Process, node, *, data: dict) -> Task:
    """Create a task of `node` in a running process, beside its other tasks (it follows the start task)."""
    start = process.task_set.get(flow_task=CaseFlow.start)
    return node._create(prev_activation=start.flow_task.activation_class(start), token=Token("start"), data=data).task


def branches_add(process: CaseProcess) -> list[Task]:
    """Start the service branches the plan now needs but this round of services did not start.

    The new task gets a token of the running Split, so the Join waits for it like for the others.
    """
    join = process.task_set.filter(flow_task=CaseFlow.services_done, status=STATUS.STARTED).first()
    split = process.task_set.filter(flow_task=CaseFlow.services, status=STATUS.DONE).order_by("-pk").first()
    if join is None or split is None:
        return []
    prefix = f"{split.token}/{split.pk}_"
    running = list(process.task_set.filter(token__startswith=prefix).exclude(status=STATUS.CANCELED))
    started = {t.flow_task.name for t in running}
    last = max(int(str(t.token).rsplit("_", 1)[1]) for t in running) if running else 0
    split_activation = split.flow_task.activation_class(split)
    created = []
    for step in steps.SERVICES:
        if step.name not in started and process.needs(step):
            last += 1
            created.append(step.node._create(prev_activation=split_activation, token=Token(prefix + str(last))).task)
    return created


def join_if_ready(process: CaseProcess) -> None:
    """After a branch is cancelled, let the services Join go on if nothing else is running."""
    join = process.task_set.filter(flow_task=CaseFlow.services_done, status=STATUS.STARTED).first()
    if join is not None:
        activation = join.flow_task.activation_class(join)
        activation._activate_next({activation})


# --- undo ----------------------------------------------------------------------------------------------------

def step_undo(activation) -> Task:
    """Undo the activation's done human task and open it again; return the new task.

    viewflow undoes a task only when every task it led to is cancelled: walk forward over the gateways to
    the next human tasks, cancel those (they must still be open), undo back to the task, then revive it.
    """
    task = activation.task
    chain, leaves = _tasks_led_to(task)
    if task.status != STATUS.DONE or task.flow_task_type != "HUMAN" or not (leaves or chain):
        raise UndoRefused(_("This step cannot be undone."))
    for leaf in leaves:
        leaf_activation = leaf.flow_task.activation_class(leaf)
        if not _can_cancel(leaf_activation):
            raise UndoRefused(_("This step cannot be undone: the next step is already under way."))
        leaf_activation.cancel()
    for gateway in reversed(chain):
        gateway_activation = gateway.flow_task.activation_class(gateway)
        if not gateway_activation.undo.can_proceed():
            raise UndoRefused(_("This step cannot be undone."))
        gateway_activation.undo()
    activation.undo()
    revived = activation.revive()
    revived.owner_permission = task.owner_permission
    revived.scheduled = ServiceLevel.due_at(task.flow_task.name)
    revived.save(update_fields=["owner_permission", "scheduled"])
    return revived


def _tasks_led_to(task) -> tuple[list, list]:
    """Return the gateway tasks after `task` (in order) and the first human tasks they lead to."""
    chain, leaves, frontier = [], [], list(task.leading.all())
    while frontier:
        current = frontier.pop(0)
        if current.flow_task_type == "HUMAN" or current.status != STATUS.DONE:
            leaves.append(current)
        else:
            chain.append(current)
            frontier.extend(current.leading.all())
    return chain, leaves
