"""Appointments, contact notes and the case timeline."""
from __future__ import annotations

from django.contrib import admin

from cases import models
from cases.admin.base import CasePartAdmin
from common.admin_mixins import FoldedSearchMixin, ReadOnlyMixin


@admin.register(models.Appointment)
class AppointmentAdmin(FoldedSearchMixin, admin.ModelAdmin):
    # Not a CasePartAdmin: an appointment is the person's, and may belong to no case.
    folded_search_field = "person__search_text"
    list_display = ["scheduled_at", "person", "kind", "staff", "status"]
    list_filter = ["kind", "status", "staff", "scheduled_at"]
    list_select_related = ["person", "staff"]
    search_fields = ["=person__amka"]
    autocomplete_fields = ["person", "case"]
    date_hierarchy = "scheduled_at"


@admin.register(models.ContactNote)
class ContactNoteAdmin(CasePartAdmin):
    list_display = ["written_at", "case", "kind", "written_by", "confidential"]
    list_filter = ["kind", "confidential"]
    list_select_related = [*CasePartAdmin.list_select_related, "written_by"]
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
