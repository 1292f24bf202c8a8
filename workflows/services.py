"""Workflow writes: starting, claiming, completing, reassigning and closing cases.

viewflow's activation methods do not check permissions when called from code: every service here does,
and raises PermissionDenied. Each transition lands on the case's timeline (cases.CaseEvent).
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterable, Iterator

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.activation import _can_cancel
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from cases.models import Case, CaseEvent, Referral
from cases.services import case_event_record, case_open
from workflows.bulk import BATCH, case_processes_create, side_task_create, task_build
from workflows.flows import CaseFlow
from workflows.models import CaseProcess, ServiceLevel, Step
from workflows.models import CaseTask as CaseTaskModel

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED)

# Which case stage an open task stands for.
STAGE_OF_NODE = {
    "referral_review": Case.Stage.REFERRAL_REVIEW,
    "intake": Case.Stage.INTAKE,
    "counselling": Case.Stage.COUNSELLING,
    "training": Case.Stage.SERVICES,
    "legal_advice": Case.Stage.SERVICES,
    "accounting": Case.Stage.SERVICES,
    "services_done": Case.Stage.SERVICES,
    "placement": Case.Stage.PLACEMENT,
    "follow_up_wait": Case.Stage.FOLLOW_UP,
    "follow_up": Case.Stage.FOLLOW_UP,
}
STAGE_ORDER = list(Case.Stage.values)
BRANCHES = {"training": "needs_training", "legal_advice": "needs_legal_advice", "accounting": "needs_accounting"}


class TaskError(Exception):
    """A task action that cannot be done now (already claimed, not yours, case closed)."""


# --- starting --------------------------------------------------------------------------------------------

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
    referral.case = case
    referral.save(update_fields=["case"])
    case_event_record(case=case, by=by, action=CaseEvent.Action.REFERRAL_ADDED, from_stage=case.stage,
                      to_stage=case.stage, reason=str(referral))
    process = case.processes.exclude(status__in=[PROCESS.DONE, PROCESS.CANCELED]).order_by("-pk").first()
    if process is None:
        raise TaskError(_("Case %(case)s has no workflow running to consider the referral in.") % {"case": case.pk})
    with CaseFlow.lock(process.pk):
        return side_task_create(process, CaseFlow.consider_referral, data={"referral": referral.pk})


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
    cases = dict(zip(map(id, fresh), _cases_open(fresh, by=by)))
    _flows_start(fresh, [cases[id(r)] for r in fresh])
    for referral in one_by_one:
        try:
            cases[id(referral)] = referral_start(referral=referral, by=by)
        except (ValidationError, ValueError) as exc:
            raise ReferralStartError(referral=referral, error=exc) from exc
    return [cases[id(r)] for r in referrals]


def _cases_open(referrals: list[Referral], *, by) -> list[Case]:
    """case_open for people who have no case yet, in bulk."""
    cases = [Case(person=r.person, stage=Case.Stage.REFERRAL_REVIEW) for r in referrals]
    for referral, case in zip(referrals, cases):
        try:
            # clean() checks consent; the person FK and the stage constraint are the database's to guard,
            # which spares two queries per case.
            case.full_clean(exclude=["person"], validate_constraints=False)
        except ValidationError as exc:
            raise ReferralStartError(referral=referral, error=exc) from exc
    Case.objects.bulk_create(cases, batch_size=BATCH)
    CaseEvent.objects.bulk_create(
        [CaseEvent(case=c, by=by, action="opened", to_stage=c.stage, reason=str(r)) for r, c in zip(referrals, cases)],
        batch_size=BATCH,
    )
    for referral, case in zip(referrals, cases):
        referral.case = case
    # One short UPDATE per row, sent at once: bulk_update's CASE WHEN over thousands of ids was the slowest step.
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {connection.ops.quote_name(Referral._meta.db_table)} SET case_id = %s WHERE id = %s",
            [(c.pk, r.pk) for r, c in zip(referrals, cases)],
        )
    return cases


def _flows_start(referrals: list[Referral], cases: list[Case]) -> None:
    """CaseFlow.start.run for each case, in bulk: the process, its done start task and the open review task."""
    now = timezone.now()
    processes = case_processes_create(
        [Process(flow_class=CaseFlow, created=now, data={}) for _ in cases],
        [(c.pk, r.pk) for r, c in zip(referrals, cases)],
    )
    starts = Task.objects.bulk_create(
        [task_build(p, "start", STATUS.DONE, now, None, started=now, finished=now) for p in processes], batch_size=BATCH
    )
    review = CaseFlow.referral_review
    due = ServiceLevel.due_at(review.name)  # what the node's onCreate (set_due_date) writes
    reviews = Task.objects.bulk_create(
        [task_build(p, review.name, STATUS.NEW, now, None, owner_permission=review.calc_owner_permission(None),
                    scheduled=due) for p in processes],
        batch_size=BATCH,
    )
    Task.previous.through.objects.bulk_create(
        [Task.previous.through(from_task_id=t.pk, to_task_id=s.pk) for t, s in zip(reviews, starts)], batch_size=BATCH
    )


# --- reading helpers -------------------------------------------------------------------------------------

def task_step(task) -> str:
    return task.flow_task.name


def can_work_on(user: AbstractBaseUser, task) -> bool:
    """May `user` see this task: its step is one of theirs, or they manage the flow."""
    return bool(task.owner_permission and user.has_perm(task.owner_permission)) or _manages(user)


def _manages(user: AbstractBaseUser) -> bool:
    return CaseFlow.instance.has_manage_permission(user)


def _process_of(task) -> CaseProcess:
    return CaseProcess.objects.select_related("case").get(pk=task.process_id)


# --- claiming and releasing -----------------------------------------------------------------------------

@transaction.atomic
def task_claim(*, task, by: AbstractBaseUser):
    """Assign an unassigned task to `by`. Two people claiming at once: the row lock lets one win."""
    if not (task.owner_permission and by.has_perm(task.owner_permission)):
        raise PermissionDenied(_("This task belongs to another team."))
    try:
        with task.activation() as activation:  # select … for update on the process row
            if not activation.assign.can_proceed():
                owner = task.owner.get_full_name() or task.owner.get_username() if task.owner else ""
                raise TaskError(_("This task has already been claimed by %(owner)s.") % {"owner": owner or "-"})
            activation.assign(by)
            task.assigned = timezone.now()
            task.save(update_fields=["assigned"])
    except FlowLockFailed as exc:
        raise TaskError(_("Someone else is working on this case right now; try again in a moment.")) from exc
    _event(task, by=by, action="task_claimed")
    return task


@transaction.atomic
def task_release(*, task, by: AbstractBaseUser):
    """Put an assigned task back in its team's queue (its assignee, or a supervisor)."""
    with task.activation() as activation:
        if task.owner_id != by.pk and not _manages(by):
            raise PermissionDenied(_("Only the assignee or a supervisor can release this task."))
        if not activation.unassign.can_proceed():
            raise TaskError(_("This task is not assigned."))
        activation.unassign()
        task.assigned = None
        task.save(update_fields=["assigned"])
    _event(task, by=by, action="task_released")
    return task


@transaction.atomic
def task_reassign(*, task, to: AbstractBaseUser, by: AbstractBaseUser, reason: str):
    """Give a task to another member of its step's group (supervisors), with the reason on the timeline."""
    if not _manages(by):
        raise PermissionDenied(_("Only a supervisor can reassign tasks."))
    if not reason.strip():
        raise ValidationError(_("Give a reason for the reassignment."))
    if not (to.is_active and task.owner_permission and to.has_perm(task.owner_permission)):
        raise ValidationError(
            _("%(user)s is not in the group that does this step.") % {"user": to.get_full_name() or to.get_username()}
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
    _event(task, by=by, action="task_reassigned", reason=f"{who} → {to.get_username()}: {reason}")
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
def _completing(task, by: AbstractBaseUser, *, reason: str = "") -> Iterator[CaseProcess]:
    """Let the caller write the step's records and flags, then execute the task and move the case on.

    Only the assignee can complete a task; the whole step is one transaction under the process lock.
    """
    with transaction.atomic(), task.activation() as activation:
        if task.owner_id != by.pk:
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
        case_stage_sync(process=process, by=by, reason=reason)


def case_stage_sync(*, process: CaseProcess, by: AbstractBaseUser | None, reason: str = "") -> Case:
    """Set Case.stage from the process's open tasks (closing the case when the flow ended) and record it."""
    case = Case.objects.select_for_update().get(pk=process.case_id)
    process.refresh_from_db(fields=["status", "finished"])
    if process.status in (PROCESS.DONE, PROCESS.CANCELED):
        stage = Case.Stage.CLOSED
    else:
        names = {t.flow_task.name for t in process.task_set.filter(status__in=OPEN)}
        stages = [STAGE_OF_NODE[n] for n in names if n in STAGE_OF_NODE]
        stage = min(stages, key=STAGE_ORDER.index) if stages else case.stage
    if stage == case.stage:
        return case
    previous = case.stage
    case.stage = stage
    if stage == Case.Stage.CLOSED:
        case.closed_on = timezone.localdate()
        case.outcome = process.outcome or case.outcome
    else:
        case.closed_on, case.outcome = None, ""
    case.save(update_fields=["stage", "closed_on", "outcome"])
    action = "closed" if stage == Case.Stage.CLOSED else "stage_changed"
    case_event_record(case=case, by=by, action=action, from_stage=previous, to_stage=stage, reason=reason)
    return case


def _event(task, *, by, action: str, reason: str = "") -> CaseEvent:
    process = CaseProcess.objects.only("case_id").get(pk=task.process_id)
    stage = STAGE_OF_NODE.get(task.flow_task.name, "")
    return CaseEvent.objects.create(
        case_id=process.case_id, by=by, action=action, from_stage=stage, to_stage=stage,
        reason=f"{task.flow_task.task_title}. {reason}".strip(),
    )


# --- supervisors: withdraw, cancel, undo ----------------------------------------------------------------

@transaction.atomic
def case_withdraw(*, case: Case, by: AbstractBaseUser, outcome: str, reason: str) -> Case:
    """Close an open case as withdrawn or lost contact at any step: open tasks are cancelled, nothing deleted."""
    if not by.has_perm("workflows.can_close_case"):
        raise PermissionDenied(_("Only a counsellor or a supervisor can close a case."))
    if outcome not in (Case.Outcome.WITHDREW, Case.Outcome.LOST_CONTACT):
        raise ValidationError(_("A case can be closed early only as withdrawn or lost contact."))
    if not reason.strip():
        raise ValidationError(_("Give a reason for closing the case."))
    process = case.processes.exclude(status__in=[PROCESS.DONE, PROCESS.CANCELED]).order_by("-pk").first()
    if process is None or not case.is_open:
        raise TaskError(_("This case is already closed."))
    process.outcome = outcome
    process.save()
    CaseFlow.instance.cancel(process)
    return case_stage_sync(process=process, by=by, reason=reason)




def _join_if_ready(process: CaseProcess) -> None:
    """After a branch is cancelled, let the services Join go on if nothing else is running."""
    join = process.task_set.filter(flow_task=CaseFlow.services_done, status=STATUS.STARTED).first()
    if join is not None:
        activation = join.flow_task.activation_class(join)
        activation._activate_next({activation})


@transaction.atomic
def task_cancel(*, task, by: AbstractBaseUser, reason: str):
    """Cancel one open task created by mistake (supervisors); a cancelled service branch no longer holds up the Join."""
    if not _manages(by):
        raise PermissionDenied(_("Only a supervisor can cancel a step."))
    if not reason.strip():
        raise ValidationError(_("Give a reason."))
    with task.activation() as activation:
        if task.flow_task.name not in BRANCHES or not activation.cancel.can_proceed():
            raise TaskError(_("Only a service step that is still open can be cancelled; close the case instead."))
        activation.cancel()
        process = activation.process
        _join_if_ready(process)
        case_stage_sync(process=process, by=by, reason=reason)
    _event(task, by=by, action="task_cancelled", reason=reason)
    return task


@transaction.atomic
def task_undo(*, task, by: AbstractBaseUser, reason: str):
    """Undo a step completed by mistake and open it again, if the next step has not been worked on yet.

    viewflow undoes a task only when every task it led to is cancelled: walk forward over the gateways to
    the next human tasks, cancel those (they must still be open), undo back to `task`, then revive it.
    """
    if not _manages(by):
        raise PermissionDenied(_("Only a supervisor can undo a step."))
    if not reason.strip():
        raise ValidationError(_("Give a reason."))
    with task.activation() as activation:
        chain, leaves = _tasks_led_to(task)
        if task.status != STATUS.DONE or task.flow_task_type != "HUMAN" or not (leaves or chain):
            raise TaskError(_("This step cannot be undone."))
        for leaf in leaves:
            leaf_activation = leaf.flow_task.activation_class(leaf)
            if not _can_cancel(leaf_activation):
                raise TaskError(_("This step cannot be undone: the next step is already under way."))
            leaf_activation.cancel()
        for gateway in reversed(chain):
            gateway_activation = gateway.flow_task.activation_class(gateway)
            if not gateway_activation.undo.can_proceed():
                raise TaskError(_("This step cannot be undone."))
            gateway_activation.undo()
        activation.undo()
        revived = activation.revive()
        revived.owner_permission = task.owner_permission
        revived.scheduled = ServiceLevel.due_at(task.flow_task.name)
        revived.save(update_fields=["owner_permission", "scheduled"])
        process = activation.process
        process.refresh_from_db()  # undoing the End re-opened it through another instance
        process.decision, process.lost_contact, process.ready_for_work, process.lost_job = "", False, True, False
        process.outcome = ""
        process.save()
        if task.flow_task.name == Step.REFERRAL_REVIEW and process.referral_id:
            Referral.objects.filter(pk=process.referral_id).update(status=Referral.Status.RECEIVED, decided_at=None)
        case_stage_sync(process=process, by=by, reason=reason)
    _event(task, by=by, action="task_undone", reason=reason)
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


# --- revising the plan while services run --------------------------------------------------------------

def services_branch_add(*, process: CaseProcess) -> list:
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
    for name, flag in BRANCHES.items():
        if name not in started and getattr(process, flag):
            last += 1
            node = getattr(CaseFlow, name)
            created.append(node._create(prev_activation=split_activation, token=Token(prefix + str(last))).task)
    return created


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
    for task in late.select_related("process__caseprocess").iterator(chunk_size=500):
        with transaction.atomic():
            updated = CaseTaskModel.objects.filter(pk=task.pk).exclude(data__has_key="overdue_since")
            task.data = {**task.data, "overdue_since": timezone.now().isoformat()}
            # A second cron run racing this one updates nothing and records nothing.
            if updated.update(data=task.data):
                _event(task, by=None, action="task_overdue", reason=str(_("Past its due date.")))
                marked += 1
    return marked
