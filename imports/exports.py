"""Admin exports of personal data: CSV and XLSX only, for staff with the export permission, each one recorded."""
from __future__ import annotations

from import_export.admin import ExportMixin
from import_export.formats import base_formats

from imports.models import ExportRecord


class AuditedExportMixin(ExportMixin):
    """ExportMixin that offers CSV and XLSX and writes an ExportRecord (who, what, when, which filters)."""

    export_formats = [base_formats.CSV, base_formats.XLSX]
    # Greek Excel opens UTF-8 CSV correctly only with a BOM.
    to_encoding = "utf-8-sig"

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        ExportRecord.objects.create(
            user=request.user, model=self.model._meta.label, file_format=file_format.get_title(),
            rows=queryset.count(), filters=request.GET.urlencode()[:2000],
        )
        return data
