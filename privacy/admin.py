"""Every admin page of people and cases is scoped, every page of our apps withholds the fields the user may not
see, and break-glass openings are listed for supervisors."""
from __future__ import annotations

import datetime
import functools

from django.contrib import admin
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.admin_mixins import ReadOnlyMixin, register_in_front
from privacy import scope, views
from privacy.admin_mixins import ScopedAdmin, ScopedTaskAdmin
from privacy.fields import our_models
from privacy.history import HistoryAdmin
from privacy.models import AccessGrant
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
            *super().get_urls(),
        ]


# Last, so that the pages registered above (break-glass) withhold too.
for model in our_models():
    if admin.site.is_registered(model):
        register_in_front(model, WithheldFieldsAdmin)
        register_in_front(model, HistoryAdmin)
