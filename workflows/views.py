"""The task page in the admin, and one small view per thing staff do there.

The page (GET) shows the case and the forms the user may use; each form posts to its own view, which
validates that one form, calls one service and goes back to the page (or shows the page again with the
form's errors).
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.status import STATUS

from audit.models import AccessEvent
from audit.services import record
from cases.models import Case, Referral
from privacy import scope
from workflows import corrections, services, step_services, steps
from workflows.forms import GoalForm, ReasonForm, ReassignForm, WithdrawForm
from workflows.models import CaseTask

FORM_PREFIX = {"complete": "step", "reassign": "reassign", "revise": "revise", "withdraw": "withdraw",
               "undo": "undo", "cancel": "cancel"}


def _task(request, task_id) -> CaseTask:
    task = get_object_or_404(CaseTask.objects.select_related("process__caseprocess__case__person", "owner"), pk=task_id)
    if not scope.can_see(request.user, task.process.caseprocess.case):
        raise scope.refused(request, task.process.caseprocess.case)  # a case out of scope does not exist for them
    if not services.can_work_on(request.user, task):
        raise PermissionDenied
    return task


def _case(request, case_id) -> Case:
    case = scope.scoped(Case.objects.select_related("person"), request.user).filter(pk=case_id).first()
    if case is None:
        raise scope.refused(request, get_object_or_404(Case, pk=case_id))
    if not services.can_work_on_case(request.user, case):
        raise PermissionDenied
    return case


def _is_open(task) -> bool:
    return task is not None and task.status in (STATUS.NEW, STATUS.ASSIGNED)


def _forms(user, task, case) -> dict:
    """The forms this user may use here, unbound."""
    forms = {}
    if _is_open(task) and task.owner_id == user.pk and task.flow_task.name in steps.BY_NAME:
        forms["complete"] = steps.BY_NAME[task.flow_task.name].form_class(prefix="step")
    if _is_open(task) and services.manages(user):
        forms["reassign"] = ReassignForm(permission=task.owner_permission, prefix="reassign")
    if user.has_perm("workflows.can_counsel") and case.stage == Case.Stage.SERVICES:
        forms["revise"] = GoalForm(prefix="revise")
    if user.has_perm("workflows.can_close_case") and case.is_open:
        forms["withdraw"] = WithdrawForm(prefix="withdraw")
    if task is not None and services.manages(user):
        forms["undo"] = ReasonForm(prefix="undo")
        forms["cancel"] = ReasonForm(prefix="cancel")
    return forms


def page(request, model_admin, task, case, bound: tuple[str, object] | None = None):
    """The task page (or, without a task, the case's work page); `bound` replaces one form by a submitted one."""
    forms = _forms(request.user, task, case)
    if bound is not None:
        forms[bound[0]] = bound[1]
    process = case.processes.select_related("referral__agency").order_by("-pk").first()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"{task.flow_task.task_title} · {case.person}" if task else str(case),
        "task": task, "case": case, "forms": forms, "is_mine": bool(task) and task.owner_id == request.user.pk,
        "is_open": _is_open(task),
        "can_claim": bool(task) and task.status == STATUS.NEW and task.flow_task.can_assign(request.user, task),
        "events": case.events.select_related("by").order_by("-at", "-id")[:30],
        "plan": getattr(case, "plan", None), "case_tasks": _case_tasks(case),
        "process": process,
        # A task about a referral that joined the case (consider_referral) shows that one, not the case's first.
        "referral": _referral_of(task) or (process.referral if process else None),
    }
    if request.method == "GET":
        record(request=request, action=AccessEvent.Action.VIEW, obj=case, details={"task": task.flow_task.name if task else ""})
    return TemplateResponse(request, "workflows/task_page.html", context)


def _submit(request, model_admin, *, task, case, name: str, form, call, done, then=None):
    """Validate `form`; if valid, `call()` the service and go back to the page with `done(result)`, else show the errors.

    `then(result)`, if given, is the task whose page to go to instead (an undone step's new task).
    """
    if form.is_valid():
        try:
            result = call()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except (services.TaskError, PermissionDenied) as exc:
            messages.error(request, str(exc) or _("You cannot do this."))
        else:
            messages.success(request, done(result))
            task = then(result) if then else task
            return redirect(reverse("admin:workflows_mytask_change", args=[task.pk]) if task
                            else reverse("admin:workflows_case_work", args=[case.pk]))
    else:
        messages.error(request, _("Please correct the errors below."))
    return page(request, model_admin, task, case, bound=(name, form))


def _bound(name: str, form_class, request, **kwargs):
    return form_class(request.POST, prefix=FORM_PREFIX[name], **kwargs)


# --- the pages ---------------------------------------------------------------------------------------------

def task_page(request, model_admin, object_id):
    task = _task(request, object_id)
    return page(request, model_admin, task, task.process.caseprocess.case)


def case_page(request, model_admin, case_id):
    """The case's work page, without a task: counsellors revise the plan or close the case here."""
    return page(request, model_admin, None, _case(request, case_id))


# --- one view per action on a task ----------------------------------------------------------------------

@require_POST
def task_complete(request, model_admin, task_id):
    task = _task(request, task_id)
    step = steps.BY_NAME.get(task.flow_task.name)
    if step is None:
        raise Http404  # not a step staff complete (a start, a gateway, a join)
    form = _bound("complete", step.form_class, request)
    return _submit(request, model_admin, task=task, case=task.process.caseprocess.case, name="complete", form=form,
                   call=lambda: step.complete(task=task, by=request.user, **form.arguments()),
                   done=lambda _result: _("Done: %(step)s.") % {"step": task.flow_task.task_title})


@require_POST
def task_claim(request, model_admin, task_id):
    # Claimed from the team's queue, the task may have gone to a colleague a moment ago and left the user's
    # scope: say so, and by whom, rather than answer 404.
    task = get_object_or_404(CaseTask.objects.select_related("owner"), pk=task_id)
    if not services.can_work_on(request.user, task):
        raise Http404
    try:
        services.task_claim(task=task, by=request.user)
    except (services.TaskError, PermissionDenied) as exc:
        messages.error(request, str(exc))
        return redirect(reverse("admin:workflows_teamtask_changelist"))
    messages.success(request, _("Task claimed."))
    return redirect(reverse("admin:workflows_mytask_change", args=[task.pk]))


@require_POST
def task_release(request, model_admin, task_id):
    task = _task(request, task_id)
    return _no_form(request, task, lambda: services.task_release(task=task, by=request.user), _("Task released."))


def _no_form(request, task, call, done: str):
    try:
        call()
    except (services.TaskError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(reverse("admin:workflows_mytask_change", args=[task.pk]))


def _task_form_view(name: str, form_class, service, done, then=None, **form_kwargs):
    """A view that validates one form on a task and calls `service(task=, by=, **cleaned_data)`."""

    @require_POST
    def view(request, model_admin, task_id):
        task = _task(request, task_id)
        kwargs = {key: value(task) for key, value in form_kwargs.items()}
        form = _bound(name, form_class, request, **kwargs)
        return _submit(request, model_admin, task=task, case=task.process.caseprocess.case, name=name, form=form,
                       call=lambda: service(task=task, by=request.user, **form.cleaned_data),
                       done=lambda _result: done(task, form), then=then)

    return view


task_reassign = _task_form_view(
    "reassign", ReassignForm, services.task_reassign, permission=lambda task: task.owner_permission,
    done=lambda task, form: _("Task reassigned to %(user)s.") % {"user": form.cleaned_data["to"]},
)
task_undo = _task_form_view(
    "undo", ReasonForm, corrections.task_undo,
    done=lambda task, form: _("Step undone: %(step)s is open again.") % {"step": task.flow_task.task_title},
    then=lambda revived: revived,
)
task_cancel = _task_form_view(
    "cancel", ReasonForm, corrections.task_cancel,
    done=lambda task, form: _("Step cancelled: %(step)s.") % {"step": task.flow_task.task_title},
)


# --- actions on the case, from its work page or a task page -------------------------------------------------

@require_POST
def case_revise(request, model_admin, case_id):
    case = _case(request, case_id)
    form = _bound("revise", GoalForm, request)
    return _submit(request, model_admin, task=_from_task(request), case=case, name="revise", form=form,
                   call=lambda: step_services.plan_revise(case=case, by=request.user, goal=form.goal()),
                   done=lambda started: _("Plan revised; %(count)s new service step(s) started.") % {"count": len(started)})


@require_POST
def case_withdraw(request, model_admin, case_id):
    case = _case(request, case_id)
    form = _bound("withdraw", WithdrawForm, request)
    return _submit(request, model_admin, task=_from_task(request), case=case, name="withdraw", form=form,
                   call=lambda: corrections.case_withdraw(case=case, by=request.user, **form.cleaned_data),
                   done=lambda _result: _("The case is closed."))


def _from_task(request) -> CaseTask | None:
    """The task page a case action was sent from, to go back to it."""
    task_id = request.POST.get("task")
    return _task(request, task_id) if task_id and task_id.isdigit() else None


def _referral_of(task) -> Referral | None:
    referral_id = task.data.get("referral") if task is not None else None
    return Referral.objects.select_related("agency").filter(pk=referral_id).first() if referral_id else None


def _case_tasks(case):
    # By process ids, not a join through the case: the planner then uses the process_id index at any size.
    processes = list(case.processes.values_list("pk", flat=True))
    return (
        CaseTask.objects.filter(process_id__in=processes, flow_task_type="HUMAN")
        .select_related("owner").order_by("-created", "-id")[:30]
    )


TASK_ACTIONS = {"complete": task_complete, "claim": task_claim, "release": task_release, "reassign": task_reassign,
                "undo": task_undo, "cancel": task_cancel}
CASE_ACTIONS = {"revise": case_revise, "withdraw": case_withdraw}
