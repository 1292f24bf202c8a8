"""Workflow writes: taking referrals in, claiming, completing, reassigning, undoing and closing cases.

viewflow's activation methods do not check permissions when called from code: every service here does,
and raises PermissionDenied. Each transition lands on the case's timeline (cases.CaseEvent). What needs
viewflow's internals is in workflows/engine.py; the work of each step is in workflows/step_services.py.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import PROCESS, STATUS

from audit.context import channel
from audit.services import log_created
from cases.models import Case, CaseEvent, Referral
from cases.services import case_event_record, case_open
from common.sql import insert_objects
from common.text import staff_name
from workflows import engine, steps
from workflows.flows import CaseFlow
from workflows.models import CaseProcess
from workflows.models import CaseTask as CaseTaskModel

Action = CaseEvent.Action
OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED)

STAGE_ORDER = list(Case.Stage.values)


class TaskError(Exception):
    """A task action that cannot be done now (already claimed, not yours, case closed)."""


# --- taking referrals in --------------------------------------------------------------------------------

@transaction.atomic
def referral_take_in(*, referral: Referral, by: AbstractBaseUser | None) -> Case:
    """Take in a saved referral, from the admin or a partner's file: start its case, or join the open one."""
    open_case = referral.person.cases.open().first()
    if open_case is None:
        return referral_start(referral=referral, by=by)
    referral_join(referral=referral, case=open_case, by=by)
    return open_case


@transaction.atomic
def referral_join(*, referral: Referral, case: Case, by: AbstractBaseUser | None):
    """Join a referral to the person's open case: its key worker (or the counsellors) get a task to consider it."""
    referral.person.require_processing_consent()
    process = running_process(case)
    if process is None:
        raise TaskError(_("Case %(case)s has no workflow running to consider the referral in.") % {"case": case.pk})
    referral.case = case
    referral.save(update_fields=["case"])
    case_event_record(case=case, by=by, action=Action.REFERRAL_ADDED, from_stage=case.stage, to_stage=case.stage,
                      reason=str(referral))
    with CaseFlow.lock(process.pk):
        return engine.side_task_create(process, CaseFlow.consider_referral, data={"referral": referral.pk})


@transaction.atomic
def referral_start(*, referral: Referral, by: AbstractBaseUser | None) -> Case:
    """Take in a new referral: open (or re-open) its case and start its flow at referral review."""
    case = case_open(referral=referral, by=by)
    CaseFlow.start.run(case=case, referral=referral)
    return case


class ReferralStartError(Exception):
    """One referral of a batch could not be started; the whole batch is rolled back."""

    def __init__(self, *, referral: Referral, error: ValidationError | ValueError):
        super().__init__(str(error))
        self.referral = referral
        self.messages = error.messages if isinstance(error, ValidationError) else [str(error)]


@transaction.atomic
def referral_start_many(*, referrals: list[Referral], by: AbstractBaseUser | None) -> list[Case]:
    """Start many referrals, leaving the same rows as referral_start on each, in a few queries per batch.

    Raises ReferralStartError naming the first referral that cannot be started.
    """
    prefetch_related_objects(referrals, "person", "agency")  # str(referral) names the agency
    with_case = set(Case.objects.filter(person_id__in={r.person_id for r in referrals}).values_list("person_id", flat=True))
    fresh, one_by_one, seen = [], [], set()
    for referral in referrals:
        # Re-opening a case, or a person referred twice here: rare, and referral_start has the rules for them.
        (one_by_one if referral.person_id in with_case or referral.person_id in seen else fresh).append(referral)
        seen.add(referral.person_id)
    cases = dict(zip(map(id, fresh), _cases_open(fresh, by=by), strict=True))
    engine.flows_start_many([(cases[id(r)].pk, r.pk) for r in fresh])
    for referral in one_by_one:
        try:
            cases[id(referral)] = referral_start(referral=referral, by=by)
        except (ValidationError, ValueError) as exc:
            raise ReferralStartError(referral=referral, error=exc) from exc
    return [cases[id(r)] for r in referrals]


def _cases_open(referrals: list[Referral], *, by) -> list[Case]:
    """case_open for people who have no case yet, in bulk."""
    cases = [Case(person=r.person, stage=Case.Stage.REFERRAL_REVIEW) for r in referrals]
    for referral, case in zip(referrals, cases, strict=True):
        try:
            # clean() checks consent; the person FK and the stage constraint are the database's to guard,
            # which spares two queries per case.
            case.full_clean(exclude=["person"], validate_constraints=False)
        except ValidationError as exc:
            raise ReferralStartError(referral=referral, error=exc) from exc
    insert_objects(cases)
    log_created(cases, actor=by)
    insert_objects(
        [CaseEvent(case=c, by=by, action=Action.OPENED, to_stage=c.stage, reason=str(r)) for r, c in zip(referrals, cases, strict=True)]
    )
    for referral, case in zip(referrals, cases, strict=True):
        referral.case = case
    # One short UPDATE per row, sent at once: bulk_update's CASE WHEN over thousands of ids is far slower.
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {connection.ops.quote_name(Referral._meta.db_table)} SET case_id = %s WHERE id = %s",
            [(c.pk, r.pk) for r, c in zip(referrals, cases, strict=True)],
        )
    return cases


# --- reading helpers -------------------------------------------------------------------------------------

def running_process(case: Case) -> CaseProcess | None:
    return case.processes.exclude(status__in=[PROCESS.DONE, PROCESS.CANCELED]).order_by("-pk").first()


def can_work_on(user: AbstractBaseUser, task) -> bool:
    """May `user` see this task: its step is one of theirs, or they manage the flow."""
    return bool(task.owner_permission and user.has_perm(task.owner_permission)) or manages(user)


def can_work_on_case(user: AbstractBaseUser, case: Case) -> bool:
    """May `user` open the case's work page: they counsel, close cases or manage, or an open step of it is theirs."""
    if user.has_perm("workflows.can_counsel") or user.has_perm("workflows.can_close_case") or manages(user):
        return True
    open_tasks = CaseTaskModel.objects.filter(process__caseprocess__case=case, status__in=OPEN, owner_permission__isnull=False)
    return any(user.has_perm(p) for p in open_tasks.values_list("owner_permission", flat=True).distinct())


def manages(user: AbstractBaseUser) -> bool:
    return CaseFlow.instance.has_manage_permission(user)


# --- claiming and releasing -----------------------------------------------------------------------------

@transaction.atomic
def task_claim(*, task, by: AbstractBaseUser):
    """Assign an unassigned task to `by`. Two people claiming at once: the row lock lets one win."""
    if not task.flow_task.can_assign(by, task) and not task.owner_id:
        raise PermissionDenied(_("This task belongs to another team."))
    try:
        with task.activation() as activation:  # select … for update on the process row
            if not activation.assign.can_proceed():
                owner = staff_name(task.owner) if task.owner else ""
                raise TaskError(_("This task has already been claimed by %(owner)s.") % {"owner": owner or "-"})
            activation.assign(by)
            task.assigned = timezone.now()
            task.save(update_fields=["assigned"])
    except FlowLockFailed as exc:
        raise TaskError(_("Someone else is working on this case right now; try again in a moment.")) from exc
    task_event(task, by=by, action=Action.TASK_CLAIMED)
    return task


@transaction.atomic
def task_release(*, task, by: AbstractBaseUser):
    """Put an assigned task back in its team's queue (its assignee, or a supervisor)."""
    with task.activation() as activation:
        if task.owner_id != by.pk and not manages(by):
            raise PermissionDenied(_("Only the assignee or a supervisor can release this task."))
        if not activation.unassign.can_proceed():
            raise TaskError(_("This task is not assigned."))
        activation.unassign()
        task.assigned = None
        task.save(update_fields=["assigned"])
    task_event(task, by=by, action=Action.TASK_RELEASED)
    return task


@transaction.atomic
def task_reassign(*, task, to: AbstractBaseUser, by: AbstractBaseUser, reason: str):
    """Give a task to another member of its step's group (supervisors), with the reason on the timeline."""
    if not manages(by):
        raise PermissionDenied(_("Only a supervisor can reassign tasks."))
    if not reason.strip():
        raise ValidationError(_("Give a reason for the reassignment."))
    if not (to.is_active and task.owner_permission and to.has_perm(task.owner_permission)):
        raise ValidationError(
            _("%(user)s is not in the group that does this step.") % {"user": staff_name(to)}
        )
    with task.activation() as activation:
        previous = task.owner
        if task.status == STATUS.NEW:
            activation.assign(to)
        elif task.status == STATUS.ASSIGNED:
            activation.reassign(user=to)
        else:
            raise TaskError(_("Only open tasks can be reassigned."))
        task.assigned = timezone.now()
        task.save(update_fields=["assigned"])
    who = previous.get_username() if previous else "-"
    task_event(task, by=by, action=Action.TASK_REASSIGNED, reason=f"{who} → {to.get_username()}: {reason}")
    return task


@transaction.atomic
def tasks_reassign(*, tasks: Iterable, to: AbstractBaseUser, by: AbstractBaseUser, reason: str) -> int:
    """Reassign many tasks at once (e.g. everything of someone on leave); all or none."""
    count = 0
    for task in tasks:
        task_reassign(task=task, to=to, by=by, reason=reason)
        count += 1
    return count


# --- completing steps -----------------------------------------------------------------------------------

@contextmanager
def completing(task, by: AbstractBaseUser, *, reason: str = "", action: str = Action.STEP_DONE) -> Iterator[CaseProcess]:
    """Let the caller write the step's records and flags, then execute the task and move the case on.

    Only the assignee can complete a task; the whole step is one transaction under the process lock, and it
    ends with one line on the timeline: the step done, and the stage it moved the case to.
    """
    with transaction.atomic(), channel("step", task.flow_task.name), task.activation() as activation:
        # The task as the lock found it: someone may have completed it a moment ago, from another page.
        if task.status == STATUS.DONE and task.owner is not None:
            owner = staff_name(task.owner)
            raise TaskError(_("%(user)s has already completed this task.") % {"user": owner})
        if not task.flow_task.can_execute(by, task):
            raise PermissionDenied(_("Only the person the task is assigned to can complete it."))
        if not (task.owner_permission and by.has_perm(task.owner_permission)):
            raise PermissionDenied(_("This task belongs to another team."))
        if not activation.start.can_proceed():
            raise TaskError(_("This task is not open any more."))
        process = activation.process
        yield process
        process.save()  # viewflow's execute() does not save the process
        activation.start(None)
        activation.execute()
        title = task.flow_task.task_title
        case_stage_sync(process=process, by=by, reason=f"{title}. {reason}".strip(), action=action)


def case_stage_sync(*, process: CaseProcess, by: AbstractBaseUser | None, reason: str = "", action: str = "") -> Case:
    """Set Case.stage from the process's open tasks (closing the case when the flow ended) and record it.

    With `action`, the line goes on the timeline even when the stage stays (a step done beside others).
    """
    case = Case.objects.select_for_update().get(pk=process.case_id)
    process.refresh_from_db(fields=["status", "finished"])
    if process.status in (PROCESS.DONE, PROCESS.CANCELED):
        stage = Case.Stage.CLOSED
    else:
        names = {t.flow_task.name for t in process.task_set.filter(status__in=OPEN)}
        stages = [steps.STAGE_OF_NODE[n] for n in names if n in steps.STAGE_OF_NODE]
        stage = min(stages, key=STAGE_ORDER.index) if stages else case.stage
    previous = case.stage
    if stage != previous:
        case.stage = stage
        if stage == Case.Stage.CLOSED:
            case.closed_on = timezone.localdate()
            case.outcome = process.outcome or case.outcome
        else:
            case.closed_on, case.outcome = None, ""
        case.save(update_fields=["stage", "closed_on", "outcome"])
        if stage == Case.Stage.CLOSED:
            action = Action.CLOSED
    if stage != previous or action:
        case_event_record(case=case, by=by, action=action or Action.STAGE_CHANGED, from_stage=previous,
                          to_stage=stage, reason=reason)
    return case


def task_event(task, *, by, action: str, reason: str = "") -> CaseEvent:
    process = CaseProcess.objects.only("case_id").get(pk=task.process_id)
    stage = steps.STAGE_OF_NODE.get(task.flow_task.name, "")
    return CaseEvent.objects.create(
        case_id=process.case_id, by=by, action=action, from_stage=stage, to_stage=stage,
        reason=f"{task.flow_task.task_title}. {reason}".strip(),
    )


# --- the clock: run from cron every few minutes -------------------------------------------------------

def timers_fire() -> int:
    """Fire the flow's due timers: a follow-up whose date has come becomes a task."""
    from viewflow.workflow.timers import fire_due_timers

    return fire_due_timers()


def tasks_overdue_mark() -> int:
    """Mark each newly overdue task once and put it on its case's timeline (the supervisors' Stuck cases list)."""
    from workflows import querysets

    marked = 0
    late = querysets.overdue(CaseTaskModel.objects.all()).exclude(data__has_key="overdue_since")
    # The ids first: a read left open across the writes would keep SQLite's read lock, and a second run could
    # then neither write nor let this one commit ("database is locked").
    for pk in list(late.values_list("pk", flat=True)):
        with transaction.atomic():
            task = CaseTaskModel.objects.get(pk=pk)
            updated = CaseTaskModel.objects.filter(pk=task.pk).exclude(data__has_key="overdue_since")
            task.data = {**task.data, "overdue_since": timezone.now().isoformat()}
            # A second cron run racing this one updates nothing and records nothing.
            if updated.update(data=task.data):
                task_event(task, by=None, action=Action.TASK_OVERDUE, reason=str(_("Past its due date.")))
                marked += 1
    return marked
