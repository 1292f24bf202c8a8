from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, TextField
from django.forms import Textarea
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases import models
from common.admin_mixins import AuthorStampMixin, FoldedSearchMixin, ReadOnlyInline, ReadOnlyMixin
from cases.services import consent_withdraw, placement_record
from imports import resources as export_resources
from imports.exports import AuditedExportMixin
from workflows.services import referral_start

# The case page stacks many sections: two-line text boxes keep it readable.
COMPACT_TEXT = {TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 90})}}


@admin.register(models.VulnerableGroup)
class VulnerableGroupAdmin(admin.ModelAdmin):
    list_display = ["label", "label_en", "code", "people_count"]
    search_fields = ["label", "label_en", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_count=Count("people"))

    @admin.display(description=_("people"), ordering="people_count")
    def people_count(self, obj) -> int:
        return obj.people_count


@admin.register(models.Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "contact_person", "phone", "email", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "code", "contact_person"]


class ReferralOfPersonInline(ReadOnlyInline):
    model = models.Referral
    fields = ["agency", "agency_ref", "referral_date", "status", "case"]
    readonly_fields = fields


class CaseOfPersonInline(ReadOnlyInline):
    model = models.Case
    fields = ["stage", "key_worker", "opened_on", "closed_on", "outcome"]
    readonly_fields = fields


@admin.register(models.Person)
class PersonAdmin(AuditedExportMixin, FoldedSearchMixin, admin.ModelAdmin):
    resource_classes = [export_resources.PersonResource]
    list_display = ["last_name", "first_name", "father_name", "birth_date", "amka", "phone", "municipality", "consent"]
    list_filter = ["sex", "vulnerable_groups", "education", "nationality", "municipality"]
    search_fields = ["=amka", "=afm", "email", "document_number"]
    filter_horizontal = ["vulnerable_groups"]
    # A withdrawal must reach the person's cases' timelines: it goes through the action, not the form.
    readonly_fields = ["consent_withdrawn_at", "created_at", "updated_at"]
    inlines = [ReferralOfPersonInline, CaseOfPersonInline]
    actions = ["withdraw_consent"]
    fieldsets = [
        (None, {"fields": [("last_name", "first_name"), ("father_name", "birth_date", "sex")]}),
        (_("Identifiers"), {"fields": [("amka", "afm"), ("document_kind", "document_number", "document_expiry")]}),
        (_("Contact"), {"fields": [("phone", "email"), ("address", "municipality")]}),
        (_("Background"), {"fields": [("nationality", "languages", "education"), "vulnerable_groups"]}),
        (_("Consent"), {"fields": [("consent_processing_at", "consent_sharing_at", "consent_withdrawn_at")]}),
        (_("Record"), {"fields": [("created_at", "updated_at")], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("consent"), boolean=True)
    def consent(self, obj) -> bool:
        return obj.has_processing_consent

    @admin.action(description=_("Record that the selected people withdrew their consent"), permissions=["change"])
    def withdraw_consent(self, request, queryset):
        count = len([consent_withdraw(person=p, by=request.user) for p in queryset])
        message = ngettext(
            "Consent withdrawal recorded for %(count)d person.", "Consent withdrawal recorded for %(count)d people.", count
        )
        self.message_user(request, message % {"count": count})


@admin.register(models.Referral)
class ReferralAdmin(AuditedExportMixin, FoldedSearchMixin, admin.ModelAdmin):
    resource_classes = [export_resources.ReferralResource]
    folded_search_field = "person__search_text"
    list_display = ["__str__", "person", "agency", "referral_date", "status"]
    list_filter = ["status", "agency", "referral_date"]
    list_select_related = ["person", "agency"]
    search_fields = ["agency_ref", "=person__amka"]
    autocomplete_fields = ["agency", "person"]
    readonly_fields = ["case", "decided_at", "decided_by", "created_at"]
    date_hierarchy = "referral_date"
    fieldsets = [
        (None, {"fields": [("agency", "agency_ref"), "person", "referral_date", "reason"]}),
        (_("Referring worker"), {"fields": [("referrer_name", "referrer_phone", "referrer_email")]}),
        (_("Decision"), {"fields": ["status", "decline_reason", ("decided_at", "decided_by"), "case", "created_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            referral_start(referral=obj, by=request.user)


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


class ContactNoteInline(admin.StackedInline):
    model = models.ContactNote
    extra = 0
    formfield_overrides = COMPACT_TEXT
    fields = ["kind", "text", "confidential", "written_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class CaseEventInline(ReadOnlyInline):
    model = models.CaseEvent
    verbose_name_plural = _("timeline")
    fields = ["at", "by", "action", "from_stage", "to_stage", "reason"]
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(models.Case)
class CaseAdmin(AuditedExportMixin, AuthorStampMixin, FoldedSearchMixin, admin.ModelAdmin):
    resource_classes = [export_resources.CaseResource]
    folded_search_field = "person__search_text"
    list_display = ["id", "person", "stage", "key_worker", "opened_on", "closed_on", "outcome"]
    list_filter = ["stage", "outcome", "key_worker", "person__vulnerable_groups", "referrals__agency", "opened_on"]
    list_select_related = ["person", "key_worker"]
    search_fields = ["=id", "=person__amka"]
    autocomplete_fields = ["person"]
    date_hierarchy = "opened_on"
    readonly_fields = ["workflow_link"]
    fieldsets = [
        (None, {"fields": ["person", "key_worker", ("stage", "outcome"), ("opened_on", "closed_on"), "workflow_link"]}),
    ]
    inlines = [
        NeedsAssessmentInline, ActionPlanInline, TrainingInline, LegalAdviceInline, AccountingInline,
        PlacementOfCaseInline, AppointmentOfCaseInline, ContactNoteInline, CaseEventInline,
    ]

    @admin.display(description=_("workflow"))
    def workflow_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:workflows_case_work", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Steps, plan revision and closing of this case"))


class GoalInline(admin.StackedInline):
    model = models.Goal
    extra = 0
    fields = ["text", ("agreed_on", "target_date", "status"), ("needs_training", "needs_legal_advice", "needs_accounting")]


@admin.register(models.ActionPlan)
class ActionPlanAdmin(FoldedSearchMixin, admin.ModelAdmin):
    folded_search_field = "case__person__search_text"
    list_display = ["case", "agreed_on", "created_by", "updated_at"]
    list_select_related = ["case__person", "created_by"]
    search_fields = ["=case__id"]
    autocomplete_fields = ["case"]
    inlines = [GoalInline]


@admin.register(models.NeedsAssessment)
class NeedsAssessmentAdmin(FoldedSearchMixin, admin.ModelAdmin):
    folded_search_field = "case__person__search_text"
    list_display = ["case", "assessed_on", "assessed_by", "housing", "digital_skills"]
    list_filter = ["housing", "digital_skills"]
    list_select_related = ["case__person", "assessed_by"]
    search_fields = ["=case__id"]
    autocomplete_fields = ["case"]


class SessionInline(admin.TabularInline):
    model = models.ServiceSession
    extra = 0


class ServiceAdmin(FoldedSearchMixin, admin.ModelAdmin):
    folded_search_field = "case__person__search_text"
    list_filter = ["status", "started_on"]
    list_select_related = ["case__person"]
    search_fields = ["=case__id"]
    autocomplete_fields = ["case"]
    inlines = [SessionInline]


@admin.register(models.TrainingEnrolment)
class TrainingEnrolmentAdmin(ServiceAdmin):
    list_display = ["case", "course", "provider", "hours_planned", "hours_attended", "status", "certificate"]
    search_fields = [*ServiceAdmin.search_fields, "course", "provider"]


@admin.register(models.LegalAdvice)
class LegalAdviceAdmin(ServiceAdmin):
    list_display = ["case", "topic", "status", "started_on", "completed_on"]
    list_filter = ["topic", *ServiceAdmin.list_filter]


@admin.register(models.AccountingSupport)
class AccountingSupportAdmin(ServiceAdmin):
    list_display = ["case", "topic", "status", "started_on", "completed_on"]
    list_filter = ["topic", *ServiceAdmin.list_filter]


@admin.register(models.ServiceSession)
class ServiceSessionAdmin(admin.ModelAdmin):
    list_display = ["held_on", "service", "held_by", "minutes"]
    list_filter = ["service__kind", "held_on"]
    list_select_related = ["service__case__person", "held_by"]
    raw_id_fields = ["service"]
    date_hierarchy = "held_on"


class VacancyInline(admin.TabularInline):
    model = models.Vacancy
    extra = 0
    fields = ["title", "positions", "status"]


@admin.register(models.Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "afm", "sector", "contact_person", "phone"]
    list_filter = ["sector"]
    search_fields = ["name", "=afm", "contact_person"]
    inlines = [VacancyInline]


@admin.register(models.Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "positions", "status", "posted_on"]
    list_filter = ["status"]
    list_select_related = ["employer"]
    search_fields = ["title", "employer__name"]
    autocomplete_fields = ["employer"]


class FollowUpInline(admin.TabularInline):
    model = models.FollowUp
    extra = 0
    fields = ["months", "due_on", "done_on", "still_employed", "notes", "done_by"]
    readonly_fields = ["months", "due_on"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # the four follow-ups are scheduled when the placement is recorded


@admin.register(models.Placement)
class PlacementAdmin(AuditedExportMixin, FoldedSearchMixin, admin.ModelAdmin):
    resource_classes = [export_resources.PlacementResource]
    folded_search_field = "case__person__search_text"
    list_display = ["case", "employer", "vacancy", "start_date", "contract_type", "end_date"]
    list_filter = ["contract_type", "start_date"]
    list_select_related = ["case__person", "employer", "vacancy__employer"]
    search_fields = ["employer__name", "=case__id"]
    autocomplete_fields = ["case", "employer", "vacancy"]
    inlines = [FollowUpInline]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            placement_record(placement=obj, by=request.user)


@admin.register(models.FollowUp)
class FollowUpAdmin(AuditedExportMixin, FoldedSearchMixin, admin.ModelAdmin):
    resource_classes = [export_resources.FollowUpResource]
    folded_search_field = "placement__case__person__search_text"
    list_display = ["placement", "months", "due_on", "done_on", "still_employed"]
    list_filter = ["months", "still_employed", "due_on"]
    list_select_related = ["placement__case__person", "placement__employer"]
    search_fields = ["placement__employer__name"]
    readonly_fields = ["placement", "months", "due_on"]

    def has_add_permission(self, request) -> bool:
        return False  # scheduled with the placement


@admin.register(models.Appointment)
class AppointmentAdmin(FoldedSearchMixin, admin.ModelAdmin):
    folded_search_field = "person__search_text"
    list_display = ["scheduled_at", "person", "kind", "staff", "status"]
    list_filter = ["kind", "status", "staff", "scheduled_at"]
    list_select_related = ["person", "staff"]
    search_fields = ["=person__amka"]
    autocomplete_fields = ["person", "case"]
    date_hierarchy = "scheduled_at"


@admin.register(models.ContactNote)
class ContactNoteAdmin(FoldedSearchMixin, admin.ModelAdmin):
    folded_search_field = "case__person__search_text"
    list_display = ["written_at", "case", "kind", "written_by", "confidential"]
    list_filter = ["kind", "confidential"]
    list_select_related = ["case__person", "written_by"]
    search_fields = ["=case__id"]
    autocomplete_fields = ["case"]
    exclude = ["written_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.written_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(models.CaseEvent)
class CaseEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The timeline is written by the services; here it is only read."""

    list_display = ["at", "case", "action", "from_stage", "to_stage", "by"]
    list_filter = ["action", "to_stage"]
    list_select_related = ["case__person", "by"]
    date_hierarchy = "at"

