"""Vocabularies, partner agencies, the people the centre works with, and their referrals."""
from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases import models
from cases.admin.base import RoutedSearchMixin
from cases.forms import PersonForm
from cases.search import SearchPaths
from cases.services import consent_give, consent_to_share_withdraw, consent_withdraw
from common.admin_mixins import PlainActionCheckbox, ReadOnlyInline


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


class ConsentRecordInline(ReadOnlyInline):
    model = models.ConsentRecord
    fields = ["at", "kind", "purpose", "agency", "method", "witness", "evidence", "note", "by"]
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by", "agency")


# The form's own fields (cases.forms.PersonForm), recorded through consent_give.
RECORD_CONSENT = (
    _("Record consent now"),
    {"fields": ["record_consent", ("consent_method", "consent_witness"), "consent_evidence", "consent_share_with",
                "stop_sharing_with"]},
)


@admin.register(models.Person)
class PersonAdmin(RoutedSearchMixin, PlainActionCheckbox, admin.ModelAdmin):
    form = PersonForm
    list_display = ["last_name", "first_name", "father_name", "birth_date", "amka", "phone", "municipality", "consent"]
    # No municipality filter: its choices would be a DISTINCT over every person on each render. Search finds them.
    list_filter = ["sex", "vulnerable_groups", "education", "nationality"]
    search_paths = SearchPaths(person="", case="cases__", codes=("document_number",))
    list_per_page = 50  # as the task lists: rendering a row costs more than finding it
    filter_horizontal = ["vulnerable_groups"]
    # Consent is given through "record consent now" and withdrawn through the action, never typed in as a
    # date: each one is a ConsentRecord, and reaches the timelines of the person's open cases.
    readonly_fields = ["consent_processing_at", "consent_withdrawn_at", "shared_with", "created_at", "updated_at",
                       "anonymised_at"]
    inlines = [ConsentRecordInline, ReferralOfPersonInline, CaseOfPersonInline]
    actions = ["withdraw_consent"]
    fieldsets = [
        (None, {"fields": [("last_name", "first_name"), ("father_name", "birth_date", "sex")]}),
        (_("Identifiers"), {"fields": [("amka", "afm"), ("document_kind", "document_number", "document_expiry")]}),
        (_("Contact"), {"fields": [("phone", "email"), ("address", "municipality"), "at_risk"]}),
        (_("Background"), {"fields": [("nationality", "languages", "education"), "vulnerable_groups"]}),
        (_("Consent"), {"fields": [("consent_processing_at", "consent_withdrawn_at"), "shared_with"]}),
        RECORD_CONSENT,
        (_("Record"), {"fields": [("created_at", "updated_at", "anonymised_at")], "classes": ["collapse"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        # Who may only read the page is offered no consent to record.
        may_write = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        return self.fieldsets if may_write else [fs for fs in self.fieldsets if fs is not RECORD_CONSENT]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("record_consent"):
            consent_give(person=obj, by=request.user, share_with=form.cleaned_data["consent_share_with"], **form.consent())
        for agency in form.cleaned_data.get("stop_sharing_with", ()):
            consent_to_share_withdraw(person=obj, agency=agency, by=request.user)

    @admin.display(description=_("consents to sharing with"))
    def shared_with(self, obj) -> str:
        return (obj.pk and ", ".join(str(agency) for agency in obj.sharing_agencies())) or "—"

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
class ReferralAdmin(RoutedSearchMixin, PlainActionCheckbox, admin.ModelAdmin):
    """A referral is entered here; the decision on it (accept, decline, duplicate) is the referral review step's.

    Saving a new one takes it in through the workflow (workflows/admin.py adds that to this page).
    """

    search_paths = SearchPaths(person="person__", case="case__", codes=("agency_ref",))
    list_per_page = 50
    list_display = ["__str__", "person", "agency", "referral_date", "status"]
    list_filter = ["status", "agency", "referral_date"]
    list_select_related = ["person", "agency"]
    autocomplete_fields = ["agency", "person"]
    readonly_fields = ["status", "decline_reason", "decided_at", "decided_by", "case", "workflow_link", "created_at"]
    fieldsets = [
        (None, {"fields": [("agency", "agency_ref"), "person", "referral_date", "reason"]}),
        (_("Referring worker"), {"fields": [("referrer_name", "referrer_phone", "referrer_email")]}),
        (_("Decision"), {"fields": [
            "status", "decline_reason", ("decided_at", "decided_by"), "case", "workflow_link", "created_at",
        ]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Once taken in, the referral's person is its case's person.
        return [*self.readonly_fields, "person"] if obj else self.readonly_fields

    @admin.display(description=_("workflow"))
    def workflow_link(self, obj):
        if not obj.case_id:
            return "—"
        url = reverse("admin:workflows_case_work", args=[obj.case_id])
        label = _("Accepted, declined or marked duplicate in the referral review: workflow of case %(number)s")
        return format_html('<a href="{}">{}</a>', url, label % {"number": obj.case_id})
