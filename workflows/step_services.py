"""The work of each step: write the step's records, set the flags the flow reads, complete the task.

Each step's `service` (declared in workflows/steps.py) is called by the task page with its form's data. All are
services (keyword-only, `by=`, atomic) built on services.completing, which checks that `by` is the task's
assignee, moves the case on and writes the step on the timeline.
"""
from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import ActionPlan, Appointment, Case, CaseEvent, Goal, NeedsAssessment, Placement, Referral, Service
from cases.services import case_event_record, case_key_worker_assign, key_workers, placement_record
from workflows import engine, steps
from workflows.corrections import snapshot, step_wrote
from workflows.flows import CaseFlow
from workflows.models import CaseProcess
from workflows.services import TaskError, completing, running_process

MAX_NO_SHOWS = 3
Action = CaseEvent.Action


# --- referral review (intake officer) -------------------------------------------------------------------

def referral_review_complete(*, task, by: AbstractBaseUser, decision: str, reason: str = "", duplicate_of: Case | None = None,
                             key_worker: AbstractBaseUser | None = None) -> None:
    """Decide on the referral: accept it (naming its key worker, if chosen now), decline it (with the reason for
    the agency), or mark it a duplicate."""
    if decision == CaseProcess.Decision.ACCEPT:
        referral_accept(task=task, by=by, key_worker=key_worker)
    elif decision == CaseProcess.Decision.DECLINE:
        referral_decline(task=task, by=by, reason=reason)
    else:
        referral_duplicate(task=task, by=by, of_case=duplicate_of)


def _referral_decide(referral: Referral, by, status: str, reason: str = "") -> Referral:
    referral.status, referral.decline_reason = status, reason
    referral.decided_at, referral.decided_by = timezone.now(), by
    referral.full_clean()
    referral.save(update_fields=["status", "decline_reason", "decided_at", "decided_by", "case"])
    return referral


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationError(_("Give the reason for declining: it is sent back to the agency."))


def referral_accept(*, task, by: AbstractBaseUser, key_worker: AbstractBaseUser | None = None) -> None:
    """Accept the referral: the case goes to intake, with its key worker if the intake officer names one."""
    with completing(task, by, reason=_("Referral accepted")) as process:
        _referral_decide(process.referral, by, Referral.Status.ACCEPTED)
        process.decision = CaseProcess.Decision.ACCEPT
        if key_worker is not None:
            case_key_worker_assign(case=process.case, worker=key_worker, by=by)


def referral_decline(*, task, by: AbstractBaseUser, reason: str) -> None:
    """Decline the referral; the reason is kept on the referral for the agency and the case closes."""
    _require_reason(reason)
    with completing(task, by, reason=reason) as process:
        _referral_decide(process.referral, by, Referral.Status.DECLINED, reason)
        process.decision, process.outcome = CaseProcess.Decision.DECLINE, Case.Outcome.DECLINED


def referral_duplicate(*, task, by: AbstractBaseUser, of_case: Case) -> None:
    """Mark the referral a duplicate: link it to the existing case, and close the case opened for it."""
    with completing(task, by, reason=_("Duplicate of case %(case)s") % {"case": of_case.pk}) as process:
        if of_case.pk == process.case_id:
            raise ValidationError(_("A case cannot be a duplicate of itself."))
        referral = process.referral
        referral.case = of_case
        _referral_decide(referral, by, Referral.Status.DUPLICATE, _("Duplicate of case %(case)s") % {"case": of_case.pk})
        process.decision, process.outcome = CaseProcess.Decision.DUPLICATE, Case.Outcome.DECLINED
        case_event_record(case=of_case, by=by, action=Action.DUPLICATE_REFERRAL_LINKED, reason=str(referral))


def referral_consider(*, task, by: AbstractBaseUser, decision: str, reason: str = "") -> Referral:
    """Decide on a new referral for a case already under way: take its need into the work, or decline it."""
    referral = Referral.objects.get(pk=task.data["referral"])
    accepted = decision == CaseProcess.Decision.ACCEPT
    if not accepted:
        _require_reason(reason)
    with completing(task, by, reason=f"{referral}. {reason}".strip(), action=Action.REFERRAL_CONSIDERED):
        status = Referral.Status.ACCEPTED if accepted else Referral.Status.DECLINED
        _referral_decide(referral, by, status, "" if accepted else reason)
    return referral


# --- intake (intake officer) ----------------------------------------------------------------------------

def intake_record(*, task, by: AbstractBaseUser, outcome: str, reason: str = "", identity_confirmed: bool = False,
                  consent_confirmed: bool = False, **assessment) -> None:
    """Record the intake appointment: held (with the needs assessment), missed, or given up after no-shows."""
    if outcome == "no_show":
        intake_no_show(task=task, by=by)
    elif outcome == "lost_contact":
        intake_lost_contact(task=task, by=by, reason=reason or _("No-shows"))
    else:
        intake_complete(task=task, by=by, identity_confirmed=identity_confirmed, consent_confirmed=consent_confirmed,
                        assessment=assessment)


def _booked_intake(case: Case) -> Appointment | None:
    """The intake appointment booked for the case and not yet marked (the earliest, if several)."""
    booked = case.appointments.filter(kind=Appointment.Kind.INTAKE, status=Appointment.Status.SCHEDULED)
    return booked.order_by("scheduled_at", "pk").first()


def _intake_attendance(case: Case, by, status: str) -> tuple[Appointment, dict | None]:
    """Mark the booked intake appointment attended or missed; make one (now, with `by`) only if none was booked.

    Return the appointment and what it was before (None: made now), for step_wrote.
    """
    appointment = _booked_intake(case)
    if appointment is None:
        return Appointment.objects.create(
            person=case.person, case=case, staff=by, kind=Appointment.Kind.INTAKE, scheduled_at=timezone.now(),
            status=status,
        ), None
    before = snapshot(appointment, ["status"])
    appointment.status = status
    appointment.save(update_fields=["status"])
    return appointment, before


@transaction.atomic
def intake_no_show(*, task, by: AbstractBaseUser) -> int:
    """Record that the person did not come to the intake appointment; the task stays open."""
    with task.activation() as activation:
        if not task.flow_task.can_execute(by, task):
            raise PermissionDenied(_("Only the person the task is assigned to can record a no-show."))
        process = activation.process
        process.no_shows += 1
        process.save()
        case = process.case
        _intake_attendance(case, by, Appointment.Status.NO_SHOW)
    case_event_record(case=case, by=by, action=Action.NO_SHOW, from_stage=case.stage, to_stage=case.stage,
                      reason=_("No-show %(count)s") % {"count": process.no_shows})
    return process.no_shows


def intake_lost_contact(*, task, by: AbstractBaseUser, reason: str) -> None:
    """Close the case as lost contact after repeated no-shows."""
    with completing(task, by, reason=reason) as process:
        if process.no_shows < MAX_NO_SHOWS:
            raise TaskError(_("A case can be closed as lost contact after %(count)s no-shows.") % {"count": MAX_NO_SHOWS})
        process.lost_contact, process.outcome = True, Case.Outcome.LOST_CONTACT


def intake_complete(
    *, task, by: AbstractBaseUser, identity_confirmed: bool, consent_confirmed: bool, assessment: dict
) -> NeedsAssessment:
    """Record the intake: appointment held, identity and consent confirmed, the needs assessment."""
    if not (identity_confirmed and consent_confirmed):
        raise ValidationError(_("Confirm the person's identity and consent before completing the intake."))
    with completing(task, by, reason=_("Intake done")) as process:
        case = process.case
        case.person.require_processing_consent()
        step_wrote(task, *_intake_attendance(case, by, Appointment.Status.ATTENDED))
        fields = {**assessment, "assessed_by": by, "assessed_on": timezone.localdate()}
        earlier = NeedsAssessment.objects.filter(case=case).first()
        before = snapshot(earlier, fields) if earlier else None
        needs, _created = NeedsAssessment.objects.update_or_create(case=case, defaults=fields)
        step_wrote(task, needs, before=before)
        process.lost_contact = False
    return needs


# --- counselling and action plan (counsellor) -----------------------------------------------------------

def _goal_add(plan: ActionPlan, goal: dict) -> Goal:
    goal = Goal(plan=plan, agreed_on=timezone.localdate(), **goal)
    goal.full_clean()
    goal.save()
    return goal


def plan_agree(*, task, by: AbstractBaseUser, person_agreed: bool, goals: list[dict], notes: str = "") -> ActionPlan:
    """Record the action plan agreed with the person; its goals say which services start next."""
    if not person_agreed:
        raise ValidationError(_("The plan needs the person's agreement."))
    if not goals:
        raise ValidationError(_("Add at least one goal."))
    with completing(task, by, reason=_("Action plan agreed")) as process:
        if process.case.key_worker_id is None and key_workers().filter(pk=by.pk).exists():
            # Nobody was named at acceptance: the counsellor who agrees the plan follows the person.
            case_key_worker_assign(case=process.case, worker=by, by=by)
        plan, _created = ActionPlan.objects.get_or_create(case=process.case, defaults={"created_by": by})
        plan.agreed_on, plan.notes = timezone.localdate(), notes or plan.notes
        plan.save()
        for goal in goals:
            _goal_add(plan, goal)
        process.ready_for_work = True
    return plan


@transaction.atomic
def plan_revise(*, case: Case, by: AbstractBaseUser, goal: dict) -> list:
    """Add a goal to the plan while services run; a service it needs that was not running starts now."""
    if not by.has_perm("workflows.can_counsel"):
        raise PermissionDenied(_("Only a counsellor can revise the action plan."))
    plan = ActionPlan.objects.filter(case=case).first()
    process = running_process(case)
    if plan is None or process is None:
        raise TaskError(_("This case has no action plan in progress."))
    with CaseFlow.lock(process.pk):
        _goal_add(plan, goal)
        started = engine.branches_add(CaseProcess.objects.get(pk=process.pk))
    names = ", ".join(str(t.flow_task.task_title) for t in started)
    case_event_record(case=case, by=by, action=Action.PLAN_REVISED, from_stage=case.stage, to_stage=case.stage,
                      reason=goal["text"] + (f" ({names})" if names else ""))
    return started


# --- services (training officer, legal adviser, accountant) ---------------------------------------------

def service_complete(*, task, by: AbstractBaseUser, outcome: str, details: dict) -> Service:
    """Record the service given (training, legal advice or accounting support) as completed.

    A service of that kind still active on the case (a course under way) is the one completed, not a new one.
    """
    model = apps.get_model("cases", steps.BY_NAME[task.flow_task.name].model)
    with completing(task, by, reason=outcome) as process:
        done = {"status": Service.Status.COMPLETED, "completed_on": timezone.localdate(), "outcome": outcome, **details}
        service = model.objects.filter(case=process.case, status=Service.Status.ACTIVE).order_by("-started_on", "-pk").first()
        if service is None:
            service = model(case=process.case, **done)
            service.full_clean()
            service.save()
            step_wrote(task, service, before=None)
        else:
            step_wrote(task, service, before=snapshot(service, done))
            for name, value in done.items():
                setattr(service, name, value)
            service.full_clean()
            service.save()
    return service


# --- placement and follow-ups (placement officer) -------------------------------------------------------

def placement_decide(*, task, by: AbstractBaseUser, decision: str, reason: str = "", **placement) -> Placement | None:
    """Place the person with an employer, or send the case back to counselling (not ready yet)."""
    if decision == "not_ready":
        placement_not_ready(task=task, by=by, reason=reason)
        return None
    return placement_make(task=task, by=by, placement=Placement(**placement))


def placement_make(*, task, by: AbstractBaseUser, placement: Placement) -> Placement:
    """Record the placement with an employer; follow-ups at 1, 3, 6 and 12 months are scheduled."""
    with completing(task, by, reason=str(placement.employer)) as process:
        placement.case = process.case
        placement_record(placement=placement, by=by)
        process.ready_for_work, process.lost_job = True, False
    return placement


def placement_not_ready(*, task, by: AbstractBaseUser, reason: str) -> None:
    """Send the case back to counselling: the person is not ready for work yet."""
    if not reason.strip():
        raise ValidationError(_("Say why the person is not ready."))
    with completing(task, by, reason=reason) as process:
        process.ready_for_work = False


def follow_up_record(*, task, by: AbstractBaseUser, still_employed: bool, notes: str = "") -> None:
    """Record a follow-up; a lost job sends the case back to placement, the last one closes it."""
    with completing(task, by, reason=notes) as process:
        follow_up = process.next_follow_up
        if follow_up is None:
            raise TaskError(_("No follow-up is pending for this case."))
        follow_up.done_on, follow_up.done_by = timezone.localdate(), by
        follow_up.still_employed, follow_up.notes = still_employed, notes
        follow_up.save()
        process.lost_job = not still_employed
        if not still_employed:
            placement = follow_up.placement
            placement.end_date, placement.end_reason = timezone.localdate(), notes or _("Job lost")
            placement.save(update_fields=["end_date", "end_reason"])
        retained = follow_up.placement.follow_ups.filter(months=6, still_employed=True).exists()
        process.outcome = Case.Outcome.RETAINED_6M if retained else Case.Outcome.PLACED
