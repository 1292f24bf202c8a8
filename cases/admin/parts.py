"""What the centre does within a case: needs assessments, action plans, services and their sessions."""
from __future__ import annotations

from django.contrib import admin

from cases import models
from cases.admin.base import CasePartAdmin
from cases.search import SearchPaths


class GoalInline(admin.StackedInline):
    model = models.Goal
    extra = 0
    fields = ["text", ("agreed_on", "target_date", "status"), ("needs_training", "needs_legal_advice", "needs_accounting")]


@admin.register(models.ActionPlan)
class ActionPlanAdmin(CasePartAdmin):
    list_display = ["case", "agreed_on", "created_by", "updated_at"]
    list_select_related = [*CasePartAdmin.list_select_related, "created_by"]
    inlines = [GoalInline]


@admin.register(models.NeedsAssessment)
class NeedsAssessmentAdmin(CasePartAdmin):
    list_display = ["case", "assessed_on", "assessed_by", "housing", "digital_skills"]
    list_filter = ["housing", "digital_skills"]
    list_select_related = [*CasePartAdmin.list_select_related, "assessed_by"]


class SessionInline(admin.TabularInline):
    model = models.ServiceSession
    extra = 0


class ServiceAdmin(CasePartAdmin):
    list_filter = ["status", "started_on"]
    inlines = [SessionInline]


@admin.register(models.TrainingEnrolment)
class TrainingEnrolmentAdmin(ServiceAdmin):
    list_display = ["case", "course", "provider", "hours_planned", "hours_attended", "status", "certificate"]
    search_paths = SearchPaths(person="case__person__", case="case__", also=("course", "provider"))


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
