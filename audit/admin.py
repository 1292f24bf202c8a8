"""The audit's pages: the change log and the access events, read-only for everyone, for supervisors and the DPO.

Every page of personal or case data is registered again with AuditedAdmin in front (audit comes last in
INSTALLED_APPS, so this module runs after the others' admin modules).
"""
from __future__ import annotations

from auditlog.admin import LogEntryAdmin as AuditlogEntryAdmin
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import AuditedAdmin, ShowsAccessesAdmin
from audit.apps import audited_models
from audit.context import described
from audit.models import AccessEvent
from common.admin_mixins import ReadOnlyMixin, register_in_front

for model in audited_models():
    if admin.site.is_registered(model):
        register_in_front(model, AuditedAdmin)
register_in_front(apps.get_model("cases", "Person"), ShowsAccessesAdmin)


class PersonIdFilter(admin.SimpleListFilter):
    """?person_id=… : who opened this person's record (one index lookup)."""

    title = _("person id")
    parameter_name = "person_id"

    def lookups(self, request, model_admin):
        return []

    def has_output(self) -> bool:
        return True

    def queryset(self, request, queryset):
        return queryset.filter(person_id=self.value()) if (self.value() or "").isdigit() else queryset


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "username", "action", "model", "object_id", "person_id", "terms", "count", "remote_addr"]
    list_filter = ["action", "model", PersonIdFilter, "at"]
    search_fields = ["username", "terms", "filters", "path"]
    date_hierarchy = "at"


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyMixin, AuditlogEntryAdmin):
    list_display = ["created", "user_url", "resource_url", "action", "channel", "msg_short"]

    @admin.display(description=_("through"))
    def channel(self, obj):
        return described(obj.additional_data)
