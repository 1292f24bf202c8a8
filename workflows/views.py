"""The task page in the admin: the case summary, then what the user may do with the task.

Each POST carries an `action`; the view validates the matching form, calls one service, and redirects.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from cases.models import Case
from workflows import services, steps
from workflows.forms import STEP_FORMS, GoalForm, ReasonForm, ReassignForm, WithdrawForm
from workflows.models import CaseTask

STEP_DONE = _("Done: %(step)s.")


def case_page(request, model_admin, case_id):
    """The case's work page, without a task: counsellors revise the plan or close the case here."""
    user = request.user
    if not (user.has_perm("workflows.can_counsel") or user.has_perm("workflows.can_close_case") or services._manages(user)):
        raise PermissionDenied
    case = get_object_or_404(Case.objects.select_related("person"), pk=case_id)
    return _page(request, model_admin, None, case)


def task_page(request, model_admin, object_id):
    task = get_object_or_404(CaseTask.objects.select_related("process__caseprocess__case__person", "owner"), pk=object_id)
    if not services.can_work_on(request.user, task):
        raise PermissionDenied
    return _page(request, model_admin, task, task.process.caseprocess.case)


def _page(request, model_admin, task, case):
    forms = _forms(request, task, case)
    process = case.processes.select_related("referral__agency").order_by("-pk").first()
    if request.method == "POST":
        action = request.POST.get("action", "")
        form = forms.get(action)
        if form is not None and form.is_valid():
            try:
                message = _act(action, form, task=task, case=case, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            except (services.TaskError, PermissionDenied) as exc:
                messages.error(request, str(exc) or _("You cannot do this."))
            else:
                messages.success(request, message)
                return redirect(request.path)
        elif form is not None:
            messages.error(request, _("Please correct the errors below."))
        elif task is not None and action in ("claim", "release"):
            try:
                getattr(services, f"task_{action}")(task=task, by=request.user)
            except (services.TaskError, PermissionDenied) as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Task claimed.") if action == "claim" else _("Task released."))
                return redirect(request.path)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"{task.flow_task.task_title} · {case.person}" if task else str(case),
        "task": task, "case": case, "forms": forms, "is_mine": bool(task) and task.owner_id == request.user.pk,
        "is_open": bool(task) and task.status in (STATUS.NEW, STATUS.ASSIGNED),
        "can_claim": bool(task) and task.status == STATUS.NEW and bool(task.owner_permission)
        and request.user.has_perm(task.owner_permission),
        "events": case.events.select_related("by").order_by("-at", "-id")[:30],
        "plan": getattr(case, "plan", None), "case_tasks": _case_tasks(case),
        "process": process,
    }
    return TemplateResponse(request, "workflows/task_page.html", context)


def _forms(request, task, case) -> dict:
    """The forms this user may use on this task, bound to the POST of the one submitted."""
    user, data = request.user, request.POST or None
    action = request.POST.get("action")
    bound = lambda name: data if action == name else None  # noqa: E731
    forms = {}
    open_ = task is not None and task.status in (STATUS.NEW, STATUS.ASSIGNED)
    if open_ and task.owner_id == user.pk and task.flow_task.name in STEP_FORMS:
        forms["complete"] = STEP_FORMS[task.flow_task.name](bound("complete"), prefix="step")
    manages = services._manages(user)
    if open_ and manages:
        forms["reassign"] = ReassignForm(bound("reassign"), permission=task.owner_permission, prefix="reassign")
    if user.has_perm("workflows.can_counsel") and case.stage == Case.Stage.SERVICES:
        forms["revise"] = GoalForm(bound("revise"), prefix="revise")
    if user.has_perm("workflows.can_close_case") and case.is_open:
        forms["withdraw"] = WithdrawForm(bound("withdraw"), prefix="withdraw")
    if manages and task is not None:
        forms["undo"] = ReasonForm(bound("undo"), prefix="undo")
        forms["cancel"] = ReasonForm(bound("cancel"), prefix="cancel")
    return forms


def _act(action: str, form, *, task, case, by) -> str:
    title = task.flow_task.task_title if task else ""
    if action == "complete":
        form.submit(task=task, by=by)
        return STEP_DONE % {"step": title}
    if action == "reassign":
        services.task_reassign(task=task, to=form.cleaned_data["to"], by=by, reason=form.cleaned_data["reason"])
        return _("Task reassigned to %(user)s.") % {"user": form.cleaned_data["to"]}
    if action == "revise":
        started = steps.plan_revise(case=case, by=by, goal=form.goal())
        return _("Plan revised; %(count)s new service step(s) started.") % {"count": len(started)}
    if action == "withdraw":
        services.case_withdraw(case=case, by=by, **form.cleaned_data)
        return _("The case is closed.")
    if action == "undo":
        services.task_undo(task=task, by=by, reason=form.cleaned_data["reason"])
        return _("Step undone: %(step)s is open again.") % {"step": title}
    services.task_cancel(task=task, by=by, reason=form.cleaned_data["reason"])
    return _("Step cancelled: %(step)s.") % {"step": title}


def _case_tasks(case):
    # By process ids, not a join through the case: the planner then uses the process_id index at any size.
    processes = list(case.processes.values_list("pk", flat=True))
    return (
        CaseTask.objects.filter(process_id__in=processes, flow_task_type="HUMAN")
        .select_related("owner").order_by("-created", "-id")[:30]
    )
