"""The work of each step: write the step's records, set the flags the flow reads, complete the task.

Each function is a service (keyword-only, `by=`, atomic) built on services._completing, which checks that
`by` is the task's assignee and moves the case on.
"""
from __future__ import annotations


from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    AccountingSupport, ActionPlan, Appointment, Case, Goal, LegalAdvice, NeedsAssessment, Placement, Referral,
    Service, TrainingEnrolment,
)
from cases.services import case_event_record, placement_record
from workflows.models import CaseProcess
from workflows.services import TaskError, _completing, services_branch_add

MAX_NO_SHOWS = 3


# --- referral review (intake officer) -------------------------------------------------------------------

def _referral_decide(process: CaseProcess, by, status: str, reason: str = "") -> Referral:
    referral = process.referral
    referral.status, referral.decline_reason = status, reason
    referral.decided_at, referral.decided_by = timezone.now(), by
    referral.full_clean()
    referral.save(update_fields=["status", "decline_reason", "decided_at", "decided_by", "case"])
    return referral


def referral_accept(*, task, by: AbstractBaseUser) -> None:
    """Accept the referral: the case goes to intake."""
    with _completing(task, by, reason=_("Referral accepted")) as process:
        _referral_decide(process, by, Referral.Status.ACCEPTED)
        process.decision = CaseProcess.Decision.ACCEPT


def referral_decline(*, task, by: AbstractBaseUser, reason: str) -> None:
    """Decline the referral; the reason is kept on the referral for the agency and the case closes."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for declining: it is sent back to the agency."))
    with _completing(task, by, reason=reason) as process:
        _referral_decide(process, by, Referral.Status.DECLINED, reason)
        process.decision, process.outcome = CaseProcess.Decision.DECLINE, Case.Outcome.DECLINED


def referral_duplicate(*, task, by: AbstractBaseUser, of_case: Case) -> None:
    """Mark the referral a duplicate: link it to the existing case, and close the case opened for it."""
    with _completing(task, by, reason=_("Duplicate of case %(case)s") % {"case": of_case.pk}) as process:
        if of_case.pk == process.case_id:
            raise ValidationError(_("A case cannot be a duplicate of itself."))
        referral = process.referral
        referral.case = of_case
        _referral_decide(process, by, Referral.Status.DUPLICATE, _("Duplicate of case %(case)s") % {"case": of_case.pk})
        process.decision, process.outcome = CaseProcess.Decision.DUPLICATE, Case.Outcome.DECLINED
        case_event_record(case=of_case, by=by, action="duplicate_referral_linked", reason=str(referral))


# --- intake (intake officer) ----------------------------------------------------------------------------

@transaction.atomic
def intake_no_show(*, task, by: AbstractBaseUser) -> int:
    """Record that the person did not come to the intake appointment; the task stays open."""
    with task.activation() as activation:
        if task.owner_id != by.pk:
            raise PermissionDenied(_("Only the person the task is assigned to can record a no-show."))
        process = activation.process
        process.no_shows += 1
        process.save()
    case = process.case
    Appointment.objects.create(
        person=case.person, case=case, staff=by, kind=Appointment.Kind.INTAKE, scheduled_at=timezone.now(),
        status=Appointment.Status.NO_SHOW,
    )
    case_event_record(case=case, by=by, action="no_show", from_stage=case.stage, to_stage=case.stage,
                      reason=_("No-show %(count)s") % {"count": process.no_shows})
    return process.no_shows


def intake_lost_contact(*, task, by: AbstractBaseUser, reason: str) -> None:
    """Close the case as lost contact after repeated no-shows."""
    with _completing(task, by, reason=reason) as process:
        if process.no_shows < MAX_NO_SHOWS:
            raise TaskError(_("A case can be closed as lost contact after %(count)s no-shows.") % {"count": MAX_NO_SHOWS})
        process.lost_contact, process.outcome = True, Case.Outcome.LOST_CONTACT


def intake_complete(
    *, task, by: AbstractBaseUser, identity_confirmed: bool, consent_confirmed: bool, assessment: dict
) -> NeedsAssessment:
    """Record the intake: appointment held, identity and consent confirmed, the needs assessment."""
    if not (identity_confirmed and consent_confirmed):
        raise ValidationError(_("Confirm the person's identity and consent before completing the intake."))
    with _completing(task, by, reason=_("Intake done")) as process:
        case = process.case
        case.person.require_processing_consent()
        Appointment.objects.create(
            person=case.person, case=case, staff=by, kind=Appointment.Kind.INTAKE, scheduled_at=timezone.now(),
            status=Appointment.Status.ATTENDED,
        )
        needs, _created = NeedsAssessment.objects.update_or_create(
            case=case, defaults={**assessment, "assessed_by": by, "assessed_on": timezone.localdate()}
        )
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
    with _completing(task, by, reason=_("Action plan agreed")) as process:
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
    process = case.processes.filter(status="NEW").order_by("-pk").first()
    if plan is None or process is None:
        raise TaskError(_("This case has no action plan in progress."))
    from workflows.flows import CaseFlow

    with CaseFlow.lock(process.pk):
        _goal_add(plan, goal)
        started = services_branch_add(process=CaseProcess.objects.get(pk=process.pk))
    names = ", ".join(str(t.flow_task.task_title) for t in started)
    case_event_record(case=case, by=by, action="plan_revised", from_stage=case.stage, to_stage=case.stage,
                      reason=goal["text"] + (f" ({names})" if names else ""))
    return started


# --- services (training officer, legal adviser, accountant) ---------------------------------------------

SERVICE_MODELS = {"training": TrainingEnrolment, "legal_advice": LegalAdvice, "accounting": AccountingSupport}


def service_complete(*, task, by: AbstractBaseUser, outcome: str, details: dict) -> Service:
    """Record the service given (training, legal advice or accounting support) as completed."""
    model = SERVICE_MODELS[task.flow_task.name]
    with _completing(task, by, reason=outcome) as process:
        service = model(
            case=process.case, status=Service.Status.COMPLETED, completed_on=timezone.localdate(), outcome=outcome,
            **details,
        )
        service.full_clean()
        service.save()
    return service


# --- placement and follow-ups (placement officer) -------------------------------------------------------

def placement_make(*, task, by: AbstractBaseUser, placement: Placement) -> Placement:
    """Record the placement with an employer; follow-ups at 1, 3, 6 and 12 months are scheduled."""
    with _completing(task, by, reason=str(placement.employer)) as process:
        placement.case = process.case
        placement_record(placement=placement, by=by)
        process.ready_for_work, process.lost_job = True, False
    return placement


def placement_not_ready(*, task, by: AbstractBaseUser, reason: str) -> None:
    """Send the case back to counselling: the person is not ready for work yet."""
    if not reason.strip():
        raise ValidationError(_("Say why the person is not ready."))
    with _completing(task, by, reason=reason) as process:
        process.ready_for_work = False


def follow_up_record(*, task, by: AbstractBaseUser, still_employed: bool, notes: str = "") -> None:
    """Record a follow-up; a lost job sends the case back to placement, the last one closes it."""
    with _completing(task, by, reason=notes) as process:
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
