"""Employers, their vacancies, placements in work and the follow-ups that check a job lasts."""
from __future__ import annotations

from django.contrib import admin

from cases import models
from cases.admin.base import CasePartAdmin, RoutedSearchMixin
from cases.search import SearchPaths
from cases.services import placement_record
from common.admin_mixins import PlainActionCheckbox


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
class PlacementAdmin(CasePartAdmin):
    list_display = ["case", "employer", "vacancy", "start_date", "contract_type", "end_date"]
    list_filter = ["contract_type", "start_date"]
    list_select_related = [*CasePartAdmin.list_select_related, "employer", "vacancy__employer"]
    search_paths = SearchPaths(person="case__person__", case="case__", also=("employer__name",))
    autocomplete_fields = [*CasePartAdmin.autocomplete_fields, "employer", "vacancy"]
    inlines = [FollowUpInline]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            placement_record(placement=obj, by=request.user)


@admin.register(models.FollowUp)
class FollowUpAdmin(RoutedSearchMixin, PlainActionCheckbox, admin.ModelAdmin):
    search_paths = SearchPaths(person="placement__case__person__", case="placement__case__", also=("placement__employer__name",))
    list_display = ["placement", "months", "due_on", "done_on", "still_employed"]
    list_filter = ["months", "still_employed", "due_on"]
    list_select_related = ["placement__case__person", "placement__employer"]
    readonly_fields = ["placement", "months", "due_on"]

    def has_add_permission(self, request) -> bool:
        return False  # scheduled with the placement
