"""Demo workflow state: every demo case gets its process and the tasks of its stage, in bulk.

Rows are written directly (bulk_create, one INSERT per batch) instead of running the flow case by case, so
`demo_data --people 100000` stays in minutes. The tasks are the ones the flow would have left: done steps
behind, the open step(s) now (some claimed by the role's demo login), a waiting follow-up timer, a Join that
waits for the service branches.
"""
from __future__ import annotations

import datetime
import functools
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from cases.demo import STAFF
from cases.models import Case, FollowUp, Goal, Referral
from workflows import calendar, engine, steps
from workflows.engine import BATCH, case_processes_create, task_build
from workflows.flows import CaseFlow
from workflows.models import ServiceLevel

# The demo login that does each step: the one cases/demo.py creates for the step's role.
DOER = {step.name: next(login for login, role, *_ in STAFF if role == step.role) for step in steps.STEPS}
BEHIND = {  # human steps done before reaching each stage
    "referral_review": [], "intake": ["referral_review"], "counselling": ["referral_review", "intake"],
    "services": ["referral_review", "intake", "counselling"],
    "placement": ["referral_review", "intake", "counselling"],
    "follow_up": ["referral_review", "intake", "counselling", "placement"],
    "closed": ["referral_review", "intake", "counselling", "placement"],
}


def seed_processes() -> int:
    """Give every case that has no process one at its stage; return how many were created."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=set(DOER.values()))}
    levels = {step: ServiceLevel.days_for(step) for step in DOER}
    created = 0
    while True:
        cases = list(Case.objects.filter(processes__isnull=True).order_by("pk")[:BATCH])
        if not cases:
            return created
        with transaction.atomic():
            _seed_batch(cases, users, levels)
        created += len(cases)


def _seed_batch(cases: list[Case], users: dict, levels: dict) -> None:
    ids = [c.pk for c in cases]
    referrals = dict(Referral.objects.filter(case_id__in=ids).order_by("pk").values_list("case_id", "pk"))
    needs: dict[int, set[str]] = {}
    flags = [step.goal_flag for step in steps.SERVICES]
    for case_id, *asked in Goal.objects.filter(plan__case_id__in=ids).values_list("plan__case_id", *flags):
        needs.setdefault(case_id, set()).update(s.name for s, on in zip(steps.SERVICES, asked, strict=True) if on)
    next_follow_up = dict(
        FollowUp.objects.filter(placement__case_id__in=ids, done_on__isnull=True).order_by("-due_on")
        .values_list("placement__case_id", "due_on")
    )
    now = timezone.now()
    processes = case_processes_create([
        Process(
            flow_class=CaseFlow, created=_at(c.opened_on),
            status=PROCESS.DONE if c.stage == Case.Stage.CLOSED else PROCESS.NEW,
            finished=_at(c.closed_on) if c.closed_on else None,
            data={"decision": "" if c.stage == Case.Stage.REFERRAL_REVIEW else "accept", "outcome": c.outcome},
        )
        for c in cases
    ], [(c.pk, referrals.get(c.pk)) for c in cases])

    tasks, splits = [], []
    for process, case in zip(processes, cases, strict=True):
        rng = random.Random(case.pk)
        tasks.append(task_build(process, "start", STATUS.DONE, _at(case.opened_on), None, started=_at(case.opened_on),
                                finished=_at(case.opened_on)))
        day = case.opened_on
        for step in BEHIND[case.stage]:
            tasks.append(task_build(process, step, STATUS.DONE, _at(day), users.get(DOER[step]), finished=_at(day)))
            day += datetime.timedelta(days=7)
        opened = min(_at(day), now)
        if case.stage in ("referral_review", "intake", "counselling", "placement"):
            tasks.append(_open(process, case.stage, opened, rng, users, levels))
        elif case.stage == Case.Stage.FOLLOW_UP:
            due = next_follow_up.get(case.pk)
            if due and due <= timezone.localdate():
                tasks.append(_open(process, "follow_up", _at(due), rng, users, levels))
            else:
                tasks.append(task_build(process, "follow_up_wait", STATUS.SCHEDULED, opened, None,
                                   scheduled=calendar.start_of_day(due or timezone.localdate())))
        elif case.stage == Case.Stage.SERVICES:
            splits.append((process, case, opened, rng))
        elif case.stage == Case.Stage.CLOSED:
            tasks.append(task_build(process, "end", STATUS.DONE, _at(case.closed_on), None, finished=_at(case.closed_on)))
    engine.tasks_create(tasks)
    _seed_services(splits, needs, users, levels)


def _seed_services(splits: list, needs: dict, users: dict, levels: dict) -> None:
    """Services stage: a done Split, an open task per needed branch, and the Join waiting for them."""
    engine.services_rounds_create([
        (process, opened, [functools.partial(_open, process, name, opened, rng, users, levels)
                           for name in sorted(needs.get(case.pk) or {"training"})])
        for process, case, opened, rng in splits
    ])


def _open(process, step, created, rng, users, levels, token="start") -> Task:
    """An open human task: about a third claimed by the step's demo login, the rest in the team queue."""
    owner = users.get(DOER[step]) if rng.random() < 0.35 else None
    due = calendar.end_of_day(calendar.working_days_after(timezone.localtime(created).date(), levels[step]))
    return task_build(process, step, STATUS.ASSIGNED if owner else STATUS.NEW, created, owner, scheduled=due,
                      owner_permission=f"workflows.{steps.BY_NAME[step].permission}", assigned=created if owner else None,
                      token=token)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
