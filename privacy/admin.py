"""Every admin page of people and cases is scoped, every page of our apps withholds the fields the user may not
see, and break-glass openings are listed for supervisors."""
from __future__ import annotations

import datetime
import functools

from django.contrib import admin
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Person
from common.admin_mixins import ReadOnlyMixin, register_in_front
from privacy import scope, views
from privacy.admin_mixins import ScopedAdmin, ScopedTaskAdmin
from privacy.fields import our_models
from privacy.history import HistoryAdmin
from privacy.models import AccessGrant, LegalHold
from privacy.withholding import WithheldFieldsAdmin
from workflows.models import CaseTask, MyTask, StuckTask, TeamTask

for model in scope.SCOPED:
    if admin.site.is_registered(model):
        register_in_front(model, ScopedAdmin)
for model in (MyTask, TeamTask, CaseTask, StuckTask):
    register_in_front(model, ScopedTaskAdmin)


class YesterdayFilter(admin.SimpleListFilter):
    title = _("valid on")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("yesterday", _("Yesterday")), ("today", _("Today"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        days = {"yesterday": today - datetime.timedelta(days=1), "today": today}
        return queryset.filter(day=days[self.value()]) if self.value() in days else queryset


@admin.register(AccessGrant)
class AccessGrantAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Files opened outside one's work: who, whose, why, when. Written only by break-glass."""

    list_display = ["granted_at", "user", "person", "reason"]
    list_filter = [YesterdayFilter, "user"]
    list_select_related = ["user", "person"]
    date_hierarchy = "day"

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(functools.partial(view, model_admin=self))

        return [
            path("find/", wrap(views.lookup), name="privacy_person_lookup"),
            path("open/<int:person_id>/", wrap(views.open_file), name="privacy_break_glass"),
            path("erase/<int:person_id>/", wrap(views.erase), name="privacy_erase"),
            path("subject-access/<int:person_id>.<str:fmt>", wrap(views.subject_access_download),
                 name="privacy_subject_access"),
            *super().get_urls(),
        ]


@admin.register(LegalHold)
class LegalHoldAdmin(ScopedAdmin, admin.ModelAdmin):
    """Cases kept as they are, whatever their retention: placed with a reason, lifted by deleting the hold."""

    list_display = ["case", "reason", "placed_by", "placed_at"]
    list_select_related = ["case__person", "placed_by"]
    autocomplete_fields = ["case"]
    fields = ["case", "reason"]

    def save_model(self, request, obj, form, change):
        obj.placed_by = obj.placed_by if change else request.user
        super().save_model(request, obj, form, change)


class PersonRightsAdmin:
    """The person's page offers those who hold the permissions the subject-access report and erasure."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "rights": {
            "subject_access": request.user.has_perm("privacy.subject_access"),
            "erase": request.user.has_perm("privacy.erase_person"),
        }}
        return super().change_view(request, object_id, form_url, extra_context)


register_in_front(Person, PersonRightsAdmin)


# Last, so that the pages registered above (break-glass) withhold too.
for model in our_models():
    if admin.site.is_registered(model):
        register_in_front(model, WithheldFieldsAdmin)
        register_in_front(model, HistoryAdmin)
