"""The staff's work in the admin: My tasks, My team's queue, and the supervisors' pages."""
from __future__ import annotations

import functools

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from cases.admin.base import RoutedSearchMixin
from cases.models import Agency, Referral, VulnerableGroup
from cases.search import SearchPaths
from common.admin_mixins import KeysFirstPaginator, PlainActionCheckbox, ReadOnlyMixin, register_in_front
from common.text import staff_name
from privacy.fields import sees_every_group
from workflows import querysets, services, steps, views
from workflows.forms import ReassignForm
from workflows.models import CaseTask, MyTask, ServiceLevel, StaffWorkload, StuckTask, TeamTask

# viewflow's own read-only admins show raw tokens and let no one work; ours replace them.
for model in (Process, Task):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class ReferralIntake:
    """A referral added on its admin page is taken in as a partner's file takes it: its case starts, or it joins
    the person's open case and the key worker gets a task to consider it."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.referral_take_in(referral=obj, by=request.user)


register_in_front(Referral, ReferralIntake)


class StepFilter(admin.SimpleListFilter):
    title = _("step")
    parameter_name = "step"

    def lookups(self, request, model_admin):
        return [(step.name, step.label) for step in steps.STEPS]

    def queryset(self, request, queryset):
        step = steps.BY_NAME.get(self.value())
        return queryset.filter(flow_task=step.node) if step else queryset


class AgencyFilter(admin.SimpleListFilter):
    title = _("agency")
    parameter_name = "agency"

    def lookups(self, request, model_admin):
        return list(Agency.objects.values_list("pk", "name"))

    def queryset(self, request, queryset):
        return queryset.filter(process__caseprocess__referral__agency=self.value()) if self.value() else queryset


class VulnerableGroupFilter(admin.SimpleListFilter):
    title = _("vulnerable group")
    parameter_name = "group"

    def lookups(self, request, model_admin):
        # Filtering by a group reveals membership: only for who may see every group's category (no lookups: no filter).
        if not sees_every_group(request.user):
            return []
        return list(VulnerableGroup.objects.values_list("pk", "label"))

    def queryset(self, request, queryset):
        if not self.value() or not sees_every_group(request.user):
            return queryset
        return queryset.filter(process__caseprocess__case__person__vulnerable_groups=self.value())


class AssigneeFilter(admin.SimpleListFilter):
    title = _("assigned to")
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        staff = StaffWorkload.objects.filter(is_staff=True, groups__isnull=False).distinct().order_by("username")
        return [(u.pk, staff_name(u)) for u in staff]

    def queryset(self, request, queryset):
        return queryset.filter(owner=self.value()) if self.value() else queryset


class StuckKindFilter(admin.SimpleListFilter):
    title = _("why")
    parameter_name = "why"

    def lookups(self, request, model_admin):
        return [("overdue", _("Past its due date")), ("unclaimed", _("Unassigned too long"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return querysets.overdue(queryset)
        if self.value() == "unclaimed":
            return querysets.unclaimed_too_long(queryset)
        return queryset


class TaskAdmin(RoutedSearchMixin, PlainActionCheckbox, ReadOnlyMixin, admin.ModelAdmin):
    """Shared by the task pages: columns, filters, and the task page as the "change" view."""

    list_display = ["case_link", "step", "agency", "due", "age", "assignee"]
    list_display_links = ["case_link"]
    list_filter = [StepFilter, AgencyFilter, VulnerableGroupFilter]
    list_select_related = ["process__caseprocess__case__person", "process__caseprocess__referral__agency", "owner"]
    ordering = ["scheduled", "id"]  # earliest due first: overdue tasks lead; the open-task indexes give this order
    list_per_page = 50
    # The count of every matching row would double each page's cost on a large queue.
    show_full_result_count = False
    search_paths = SearchPaths(person="process__caseprocess__case__person__", case="process__caseprocess__case__")

    def get_queryset(self, request):
        # Only the columns the list shows: a row joins seven tables, and most of their columns are personal data
        # the list does not need (see benchmarks/README.md for what loading them cost).
        return super().get_queryset(request).only(
            "flow_task", "flow_task_type", "status", "created", "scheduled", "owner_permission", "process_id", "owner_id",
            "process__caseprocess__case__person__first_name", "process__caseprocess__case__person__last_name",
            "process__caseprocess__referral__agency__code",
            "owner__username", "owner__first_name", "owner__last_name",
        )

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return KeysFirstPaginator(queryset, per_page, orphans, allow_empty_first_page)

    def get_search_results(self, request, queryset, search_term):
        from common.text import fold

        return super().get_search_results(request, queryset, fold(search_term))

    @admin.display(description=_("case"), ordering="process__caseprocess__case__person__last_name")
    def case_link(self, task):
        case = task.process.caseprocess.case
        return format_html("{} · {}", case.pk, case.person)

    @admin.display(description=_("step"), ordering="flow_task")
    def step(self, task):
        return task.flow_task.task_title

    @admin.display(description=_("agency"))
    def agency(self, task):
        referral = task.process.caseprocess.referral
        return referral.agency.code if referral else "—"

    @admin.display(description=_("due"), ordering="scheduled")
    def due(self, task):
        if task.scheduled is None:
            return "—"
        if task.scheduled < timezone.now():
            return format_html('<span class="gefyra-overdue" style="color:#ba2121;font-weight:bold">{} ⚠</span>',
                               timezone.localtime(task.scheduled).strftime("%d/%m/%Y"))
        return timezone.localtime(task.scheduled).strftime("%d/%m/%Y")

    @admin.display(description=_("age (days)"), ordering="created")
    def age(self, task):
        return (timezone.now() - task.created).days

    @admin.display(description=_("assigned to"), ordering="owner__username")
    def assignee(self, task):
        return staff_name(task.owner) if task.owner else "—"

    def checkbox_label(self, task) -> str:
        return _("Select this task")  # str(task) would read its flow node and process for every row

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return views.task_page(request, self, object_id)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("workflows.view_caseprocess")


    def has_claim_permission(self, request):
        return bool(querysets.step_permissions(request.user))

    def has_manage_permission(self, request):
        return services.manages(request.user)

    def _each(self, request, queryset, service, done_message, **kwargs):
        done = 0
        for task in self._whole(queryset):
            try:
                service(task=task, by=request.user, **kwargs)
                done += 1
            except (services.TaskError, PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{task.pk}: {exc}", messages.WARNING)
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @staticmethod
    def _whole(queryset) -> list:
        """The selected tasks with every column, for the services (the list loads only what it shows)."""
        return list(CaseTask.objects.filter(pk__in=[task.pk for task in queryset]).order_by("pk"))

    @admin.action(description=_("Claim the selected tasks"), permissions=["claim"])
    def claim(self, request, queryset):
        self._each(request, queryset, services.task_claim, _("%(count)s task(s) claimed."))

    @admin.action(description=_("Release the selected tasks to their team"), permissions=["view"])
    def release(self, request, queryset):
        self._each(request, queryset, services.task_release, _("%(count)s task(s) released."))

    @admin.action(description=_("Reassign the selected tasks…"), permissions=["manage"])
    def reassign(self, request, queryset):
        permissions = set(queryset.values_list("owner_permission", flat=True))
        form = ReassignForm(request.POST if "apply" in request.POST else None,
                            permission=permissions.pop() if len(permissions) == 1 else None)
        if len(permissions) > 0:
            self.message_user(request, _("Select tasks of one step at a time to reassign them."), messages.WARNING)
            return None
        if form.is_valid():
            try:
                count = services.tasks_reassign(tasks=self._whole(queryset), by=request.user, **form.cleaned_data)
            except (services.TaskError, PermissionDenied, ValidationError) as exc:
                self.message_user(request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
            else:
                self.message_user(request, _("%(count)s task(s) reassigned.") % {"count": count}, messages.SUCCESS)
            return None
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "tasks": queryset, "title": _("Reassign tasks")}
        return TemplateResponse(request, "workflows/reassign.html", context)


@admin.register(MyTask)
class MyTaskAdmin(TaskAdmin):
    actions = ["release"]
    list_display = ["case_link", "step", "agency", "due", "age"]

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(functools.partial(view, model_admin=self))

        return [
            path("case/<int:case_id>/", wrap(views.case_page), name="workflows_case_work"),
            *[path(f"case/<int:case_id>/{name}/", wrap(view), name=f"workflows_case_{name}")
              for name, view in views.CASE_ACTIONS.items()],
            *[path(f"task/<int:task_id>/{name}/", wrap(view), name=f"workflows_task_{name}")
              for name, view in views.TASK_ACTIONS.items()],
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        return querysets.mine(super().get_queryset(request), request.user)


@admin.register(TeamTask)
class TeamTaskAdmin(TaskAdmin):
    actions = ["claim"]

    def get_queryset(self, request):
        return querysets.team_queue(super().get_queryset(request), request.user)


@admin.register(CaseTask)
class OpenTaskAdmin(TaskAdmin):
    """Every open task, for supervisors: reassign everything of someone on leave."""

    actions = ["reassign", "release"]
    list_display = ["case_link", "step", "agency", "due", "age", "assignee", "status"]
    list_filter = [AssigneeFilter, StepFilter, AgencyFilter, VulnerableGroupFilter]

    def get_queryset(self, request):
        return querysets.open_(super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        return services.manages(request.user)


@admin.register(StuckTask)
class StuckTaskAdmin(OpenTaskAdmin):
    list_filter = [StuckKindFilter, StepFilter, AssigneeFilter, AgencyFilter, VulnerableGroupFilter]

    def get_queryset(self, request):
        # From the plain task list: stuck() already keeps open tasks only (a repeated filter misleads the planner).
        return querysets.stuck(TaskAdmin.get_queryset(self, request))


@admin.register(StaffWorkload)
class StaffWorkloadAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A list of counts: a row has no page of its own, which would show the account (password hash, groups…)."""

    list_display = ["username", "full_name", "open_tasks", "overdue_tasks"]
    list_display_links = None
    search_fields = ["username", "first_name", "last_name"]

    def get_queryset(self, request):
        return querysets.workload(super().get_queryset(request))

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, user):
        return user.get_full_name()

    @admin.display(description=_("open tasks"), ordering="open_tasks")
    def open_tasks(self, user):
        url = reverse("admin:workflows_casetask_changelist") + f"?owner={user.pk}"
        return format_html('<a href="{}">{}</a>', url, user.open_tasks)

    @admin.display(description=_("overdue"), ordering="overdue_tasks")
    def overdue_tasks(self, user):
        url = reverse("admin:workflows_stucktask_changelist") + f"?owner={user.pk}&why=overdue"
        return format_html('<a href="{}">{}</a>', url, user.overdue_tasks)

    def has_module_permission(self, request):
        return services.manages(request.user)

    def has_view_permission(self, request, obj=None):
        return obj is None and services.manages(request.user)



@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    list_display = ["step", "working_days", "claim_within_days", "updated_at", "updated_by"]
    list_editable = ["working_days", "claim_within_days"]
    readonly_fields = ["step", "updated_at", "updated_by"]
    fields = ["step", "working_days", "claim_within_days", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
