"""Admin exports of personal data: CSV and XLSX only, for staff with the export permission, each one recorded.

The domain's pages know nothing of exports: this module gives the ones whose data leaves the centre an export
button, by registering them again with AuditedExportMixin in front (the exports app comes after the domain in
INSTALLED_APPS, so its admin module runs after theirs).
"""
from __future__ import annotations

from django.contrib import admin
from import_export.admin import ExportMixin
from import_export.formats import base_formats

from audit.models import AccessEvent
from audit.services import query_filters, record
from cases import models as cases
from common.admin_mixins import ReadOnlyMixin, register_in_front
from exports import resources
from exports.models import ExportRecord


class AuditedExportMixin(ExportMixin):
    """ExportMixin that offers CSV and XLSX and writes an ExportRecord (who, what, when, which filters)."""

    export_formats = [base_formats.CSV, base_formats.XLSX]
    # Greek Excel opens UTF-8 CSV correctly only with a BOM.
    to_encoding = "utf-8-sig"

    def get_export_resource_classes(self, request):
        # Bound to the user so that the selectable-fields form does not offer the columns she may not see.
        return [type(cls.__name__, (cls,), {"user": request.user}) for cls in super().get_export_resource_classes(request)]

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        rows = queryset.count()
        ExportRecord.objects.create(
            user=request.user, model=self.model._meta.label, file_format=file_format.get_title(),
            rows=rows, filters=request.GET.urlencode()[:2000],
        )
        record(request=request, action=AccessEvent.Action.EXPORT, model=self.model, count=rows,
               filters=query_filters(request), terms=request.GET.get("q", ""), details={"format": file_format.get_title()})
        return data


EXPORTABLE = {
    cases.Person: resources.PersonResource,
    cases.Referral: resources.ReferralResource,
    cases.Case: resources.CaseResource,
    cases.Placement: resources.PlacementResource,
    cases.FollowUp: resources.FollowUpResource,
}


for model, resource in EXPORTABLE.items():
    register_in_front(model, AuditedExportMixin, resource_classes=[resource])


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "user", "model", "file_format", "rows", "filters"]
    list_filter = ["model", "file_format"]
    list_select_related = ["user"]
    date_hierarchy = "at"
