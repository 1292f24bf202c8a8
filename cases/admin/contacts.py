"""Appointments, contact notes and the case timeline."""
from __future__ import annotations

from django.contrib import admin

from cases import models
from cases.admin.base import CasePartAdmin, RoutedSearchMixin
from cases.search import SearchPaths
from cases.services import note_add, note_correct
from common.admin_mixins import PlainActionCheckbox, ReadOnlyInline, ReadOnlyMixin


@admin.register(models.Appointment)
class AppointmentAdmin(RoutedSearchMixin, PlainActionCheckbox, admin.ModelAdmin):
    # Not a CasePartAdmin: an appointment is the person's, and may belong to no case.
    search_paths = SearchPaths(person="person__", case="case__")
    list_display = ["scheduled_at", "person", "kind", "staff", "status"]
    list_filter = ["kind", "status", "staff", "scheduled_at"]
    list_select_related = ["person", "staff"]
    autocomplete_fields = ["person", "case"]


class NoteCorrectionInline(ReadOnlyInline):
    model = models.NoteCorrection
    fields = ["corrected_at", "corrected_by", "previous_kind", "previous_text", "previous_confidential"]
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("corrected_by")


@admin.register(models.ContactNote)
class ContactNoteAdmin(CasePartAdmin):
    """A note keeps its author and time; only its author corrects it, and what it said before is kept."""

    list_display = ["written_at", "case", "kind", "written_by", "confidential"]
    list_filter = ["kind", "confidential"]
    list_select_related = [*CasePartAdmin.list_select_related, "written_by"]
    fields = ["case", "kind", "text", "confidential", "written_by", "written_at"]
    readonly_fields = ["written_by", "written_at"]
    inlines = [NoteCorrectionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "case"] if obj else self.readonly_fields

    def has_change_permission(self, request, obj=None) -> bool:
        # Everyone else reads the note; a POST of theirs is refused.
        return super().has_change_permission(request, obj) and (obj is None or obj.written_by_id == request.user.pk)

    def save_model(self, request, obj, form, change):
        fields = {"kind": obj.kind, "text": obj.text, "confidential": obj.confidential}
        if change:
            note_correct(note=obj, by=request.user, **fields)
        else:
            obj.pk = note_add(case=obj.case, by=request.user, **fields).pk
            obj.refresh_from_db()  # the admin's message and history name the note as saved


@admin.register(models.CaseEvent)
class CaseEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The timeline is written by the services; here it is only read."""

    list_display = ["at", "case", "action", "from_stage", "to_stage", "by"]
    list_filter = ["action", "to_stage", "at"]
    list_select_related = ["case__person", "by"]
