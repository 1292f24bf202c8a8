"""The case page: the person's journey at a glance, each section read-only or written through its service."""
from __future__ import annotations

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from cases import models
from cases.admin.base import COMPACT_TEXT, RoutedSearchMixin
from cases.search import SearchPaths
from cases.services import case_key_worker_assign, key_workers, note_add
from common.admin_mixins import PlainActionCheckbox, ReadOnlyInline, ReadOnlyMixin


class CasePartInline(ReadOnlyMixin, admin.StackedInline):
    """A read-only section of the case page: the workflow's steps write these, the change link edits them.

    Read-only also keeps the page fast: no form widgets, no hidden "add another" form per section.
    """

    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        # The section heading names the case: fetch case and person with the row.
        return super().get_queryset(request).select_related("case__person")


class NeedsAssessmentInline(CasePartInline):
    model = models.NeedsAssessment


class ActionPlanInline(CasePartInline):
    model = models.ActionPlan
    fields = ["agreed_on", "notes", "created_by", "goal_list"]
    readonly_fields = ["goal_list"]

    @admin.display(description=_("goals"))
    def goal_list(self, obj):
        rows = format_html_join("", "<li>{} ({})</li>", ((g.text, g.get_status_display()) for g in obj.goals.all()))
        return format_html("<ul>{}</ul>", rows) if rows else "—"


class ServiceInline(CasePartInline):
    exclude = ["kind"]


class TrainingInline(ServiceInline):
    model = models.TrainingEnrolment


class LegalAdviceInline(ServiceInline):
    model = models.LegalAdvice


class AccountingInline(ServiceInline):
    model = models.AccountingSupport


class PlacementOfCaseInline(ReadOnlyInline):
    model = models.Placement
    fields = ["employer", "vacancy", "start_date", "contract_type", "end_date", "follow_up_summary"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("employer", "vacancy__employer").prefetch_related("follow_ups")

    @admin.display(description=_("follow-ups"))
    def follow_up_summary(self, obj):
        return format_html_join(
            ", ", "{}: {}", ((f, f.done_on or _("due %(date)s") % {"date": f.due_on}) for f in obj.follow_ups.all())
        )


class AppointmentOfCaseFormSet(BaseInlineFormSet):
    def save_new(self, form, commit=True):
        form.instance.person = self.instance.person  # an appointment of a case is with the case's person
        return super().save_new(form, commit)


class AppointmentOfCaseInline(admin.TabularInline):
    model = models.Appointment
    extra = 0
    fields = ["scheduled_at", "kind", "staff", "status"]
    formset = AppointmentOfCaseFormSet


class ContactNoteInline(ReadOnlyInline):
    """The notes written so far, each linking to its page (where its author may correct it)."""

    model = models.ContactNote
    fields = ["written_at", "written_by", "kind", "text", "confidential"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("written_by")


class NewContactNoteFormSet(BaseInlineFormSet):
    """New notes of the case page; CaseAdmin.save_formset writes each through note_add."""


class NewContactNoteInline(admin.StackedInline):
    model = models.ContactNote
    formset = NewContactNoteFormSet
    extra = 1
    formfield_overrides = COMPACT_TEXT
    fields = ["kind", "text", "confidential"]
    verbose_name = _("new contact note")
    verbose_name_plural = _("new contact notes")

    def get_queryset(self, request):
        return super().get_queryset(request).none()  # the notes written so far are listed read-only

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CaseEventInline(ReadOnlyInline):
    model = models.CaseEvent
    verbose_name_plural = _("timeline")
    fields = ["at", "by", "action", "from_stage", "to_stage", "reason"]
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(models.Case)
class CaseAdmin(RoutedSearchMixin, PlainActionCheckbox, admin.ModelAdmin):
    """The case page. A case begins from a referral and its stage moves with its workflow: both are shown here,
    not edited; closing early is done on the case's workflow page (linked at the top), which keeps the timeline."""

    search_paths = SearchPaths(person="person__", case="")
    list_per_page = 50  # as the task lists: rendering a row costs more than finding it
    list_display = ["id", "person", "stage", "key_worker", "opened_on", "closed_on", "outcome"]
    list_filter = ["stage", "outcome", "key_worker", "person__vulnerable_groups", "referrals__agency", "opened_on"]
    list_select_related = ["person", "key_worker"]
    readonly_fields = ["person", "stage", "outcome", "opened_on", "closed_on", "workflow_link"]
    fieldsets = [
        (None, {"fields": ["person", "key_worker", ("stage", "outcome"), ("opened_on", "closed_on"), "workflow_link"]}),
    ]
    inlines = [
        NeedsAssessmentInline, ActionPlanInline, TrainingInline, LegalAdviceInline, AccountingInline,
        PlacementOfCaseInline, AppointmentOfCaseInline, ContactNoteInline, NewContactNoteInline, CaseEventInline,
    ]

    def has_add_permission(self, request) -> bool:
        return False  # a case begins from a referral (workflows.services.referral_take_in)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "key_worker":
            kwargs["queryset"] = key_workers()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The key worker is the only field of the case itself edited here, and it goes on the timeline.
        if "key_worker" in form.changed_data:
            case_key_worker_assign(case=obj, worker=form.cleaned_data["key_worker"], by=request.user)

    def save_formset(self, request, form, formset, change):
        if not isinstance(formset, NewContactNoteFormSet):
            return super().save_formset(request, form, formset, change)
        for note in formset.save(commit=False):
            note_add(case=form.instance, by=request.user, kind=note.kind, text=note.text, confidential=note.confidential)

    @admin.display(description=_("workflow"))
    def workflow_link(self, obj):
        url = reverse("admin:workflows_case_work", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Steps, plan revision and closing of this case"))
