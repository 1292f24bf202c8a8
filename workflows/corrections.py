"""Corrections: closing a case early, cancelling a step created by mistake, undoing a step done by mistake.

Undoing a step takes back what it wrote: each step service notes on its task what it created or changed
(step_wrote), and the undo deletes or restores exactly that.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Case, CaseEvent, Referral
from workflows import engine, steps
from workflows.flows import CaseFlow
from workflows.services import TaskError, case_stage_sync, manages, running_process, task_event

Action = CaseEvent.Action


# --- what a step wrote, so that undoing it takes it back ----------------------------------------------------

def step_wrote(task, instance, before: dict | None) -> None:
    """Remember on the task that its step created `instance` (before=None) or changed it from `before`."""
    task.data = {**task.data, "wrote": [*task.data.get("wrote", []),
                                        {"model": instance._meta.label, "pk": instance.pk, "before": before}]}


def snapshot(instance, fields: Iterable[str]) -> dict:
    """The values of `fields` (by column name, dates as text), for step_wrote's `before`."""
    values = {(f := instance._meta.get_field(name)).attname: f.value_from_object(instance) for name in fields}
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def _take_back(task) -> None:
    """Delete what the step created and put back what it changed (done-task data written by step_wrote)."""
    for wrote in reversed(task.data.get("wrote", [])):
        model = apps.get_model(wrote["model"])
        instance = model.objects.filter(pk=wrote["pk"]).first()
        if instance is None:
            continue
        if wrote["before"] is None:
            later = [rel for rel in instance._meta.related_objects if rel.one_to_many
                     and getattr(instance, rel.get_accessor_name()).exists()]
            if later:
                raise TaskError(_("This step cannot be undone: %(what)s have been recorded on what it created since.")
                                % {"what": ", ".join(str(r.related_model._meta.verbose_name_plural) for r in later)})
            instance.delete()
        else:
            for name, value in wrote["before"].items():
                setattr(instance, name, instance._meta.get_field(name).to_python(value))
            instance.save(update_fields=list(wrote["before"]))


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
    process = running_process(case)
    if process is None or not case.is_open:
        raise TaskError(_("This case is already closed."))
    process.outcome = outcome
    process.save()
    CaseFlow.instance.cancel(process)
    return case_stage_sync(process=process, by=by, reason=reason)


@transaction.atomic
def task_cancel(*, task, by: AbstractBaseUser, reason: str):
    """Cancel one open task created by mistake (supervisors); a cancelled service branch no longer holds up the Join."""
    if not manages(by):
        raise PermissionDenied(_("Only a supervisor can cancel a step."))
    if not reason.strip():
        raise ValidationError(_("Give a reason."))
    with task.activation() as activation:
        if task.flow_task.name not in {s.name for s in steps.SERVICES} or not activation.cancel.can_proceed():
            raise TaskError(_("Only a service step that is still open can be cancelled; close the case instead."))
        activation.cancel()
        process = activation.process
        engine.join_if_ready(process)
        case_stage_sync(process=process, by=by, reason=reason)
    task_event(task, by=by, action=Action.TASK_CANCELLED, reason=reason)
    return task


@transaction.atomic
def task_undo(*, task, by: AbstractBaseUser, reason: str):
    """Undo a step completed by mistake and open it again, if the next step has not been worked on yet.

    What the step wrote is taken back: the records it created go, the ones it changed get their values back.
    """
    if not manages(by):
        raise PermissionDenied(_("Only a supervisor can undo a step."))
    if not reason.strip():
        raise ValidationError(_("Give a reason."))
    with task.activation() as activation:
        try:
            revived = engine.step_undo(activation)
        except engine.UndoRefused as exc:
            raise TaskError(str(exc)) from None
        _take_back(task)
        process = activation.process
        process.refresh_from_db()  # undoing the End re-opened it through another instance
        process.decision, process.lost_contact, process.ready_for_work, process.lost_job = "", False, True, False
        process.outcome = ""
        process.save()
        if task.flow_task.name == steps.REFERRAL_REVIEW.name and process.referral_id:
            Referral.objects.filter(pk=process.referral_id).update(
                status=Referral.Status.RECEIVED, decided_at=None, decided_by=None, decline_reason=""
            )
        case_stage_sync(process=process, by=by, reason=reason)
    task_event(task, by=by, action=Action.TASK_UNDONE, reason=reason)
    return revived
