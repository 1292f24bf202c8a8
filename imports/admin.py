from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.admin_mixins import ReadOnlyMixin
from imports import views
from imports.models import ImportBatch, RejectedRow
from imports.revert import import_batch_revert


class RejectedRowInline(admin.TabularInline):
    model = RejectedRow
    fields = ["row_number", "error_text", "values"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("errors"))
    def error_text(self, row):
        return row.error_text


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "agency", "file_name", "created_by", "status", "rows", "created", "duplicates", "rejected"]
    list_filter = ["status", "dry_run", "agency"]
    list_select_related = ["agency", "created_by"]
    search_fields = ["file_name", "checksum", "agency__code", "agency__name"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["agency", "file_name", "checksum", "file_format", "encoding", "created_by", "created_at", "dry_run", "status"]}),
        (_("Counts"), {"fields": ["rows", "created", "duplicates", "rejected", "people_created", "people_matched", "people_completed", "rejected_download"]}),
        (_("Revert"), {"fields": ["reverted_at", "reverted_by"]}),
    ]
    readonly_fields = [f for fs in fieldsets for f in fs[1]["fields"]]
    inlines = [RejectedRowInline]
    actions = ["revert"]
    change_list_template = "imports/importbatch_change_list.html"


    def has_revert_permission(self, request):
        return request.user.has_perm("imports.revert_importbatch")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(lambda r: views.upload_view(self, r)), name="imports_importbatch_upload"),
            path("confirm/", wrap(lambda r: views.confirm_view(self, r)), name="imports_importbatch_confirm"),
            path("progress/", views.progress_view, name="imports_importbatch_progress"),
            path("template.<str:file_format>", wrap(lambda r, file_format: views.template_view(self, r, file_format)),
                 name="imports_importbatch_template"),
            path("<int:batch_id>/rejected/", wrap(lambda r, batch_id: views.rejected_view(self, r, batch_id)),
                 name="imports_importbatch_rejected"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": views.can_import(request.user)}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("people completed"))
    def people_completed(self, batch):
        return batch.people_completed

    @admin.display(description=_("rejected rows"))
    def rejected_download(self, batch):
        if not batch.rejected:
            return "—"
        url = reverse("admin:imports_importbatch_rejected", args=[batch.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the rejected rows with their errors"))

    @admin.action(description=_("Revert the selected imports"), permissions=["revert"])
    def revert(self, request, queryset):
        for batch in queryset:
            try:
                import_batch_revert(batch=batch, by=request.user)
                self.message_user(request, _("Reverted: %(batch)s") % {"batch": batch}, messages.SUCCESS)
            except ValidationError as exc:
                self.message_user(request, f"{batch}: {' '.join(exc.messages)}", messages.ERROR)
