"""Admin views for importing referral files: upload → preview (dry run) → confirm; downloads."""
from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from accounts.sessions import reads_no_session
from cases.models import Agency
from imports import spreadsheets
from imports.forms import ReferralUploadForm
from imports.models import ImportBatch
from imports.progress import progress_of, progress_reporter
from imports.reading import FileError, too_large
from imports.services import referral_import
from imports.uploads import KEEP_UPLOADS, forget_previews

SALT = "imports.confirm"


def can_import(user) -> bool:
    return user.has_perm("cases.import_referral")


def _require_import(request) -> None:
    if not can_import(request.user):
        raise PermissionDenied


def upload_view(model_admin, request):
    """Show the upload form; on POST run a dry run and show its preview."""
    _require_import(request)
    form = ReferralUploadForm(request.POST or None, request.FILES or None,
                              upload_refused=getattr(request, "upload_refused", False))
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, "form": form,
               "title": _("Import referrals"), "max_bytes": settings.GEFYRA_IMPORT_MAX_BYTES, "too_large": too_large()}
    if request.method == "POST" and form.is_valid():
        upload, agency = form.cleaned_data["file"], form.cleaned_data["agency"]
        try:
            report = referral_import(
                file=upload, agency=agency, by=request.user, dry_run=True,
                progress=progress_reporter(request.POST.get("progress")),
            )
        except FileError as exc:
            form.add_error("file", str(exc))
        else:
            token = _keep_upload(upload, agency)
            creates, skipped = report.listed("create"), report.listed("duplicate")
            context.update(
                title=_("Preview: nothing has been imported yet"), report=report, agency=agency, token=token,
                skipped=skipped, more_skipped=report.duplicates - len(skipped),
                creates=creates, more_creates=report.created - len(creates),
            )
            return TemplateResponse(request, "imports/preview.html", context)
    return TemplateResponse(request, "imports/upload.html", context)


def _keep_upload(upload, agency: Agency) -> str:
    """Store the previewed file privately until it is confirmed; return a signed token naming it."""
    storage = storages["import_export"]
    forget_previews()
    upload.seek(0)
    content = upload.read()
    name = storage.save(f"referrals/{uuid.uuid4().hex}", ContentFile(content))
    return signing.dumps(
        {"path": name, "agency": agency.pk, "sha": hashlib.sha256(content).hexdigest(), "name": upload.name}, salt=SALT
    )


def confirm_view(model_admin, request):
    """Import the previewed file for real and show the batch."""
    _require_import(request)
    if request.method != "POST":
        return redirect("admin:imports_importbatch_upload")
    try:
        data = signing.loads(request.POST.get("token", ""), salt=SALT, max_age=KEEP_UPLOADS)
    except signing.BadSignature:
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("admin:imports_importbatch_upload")
    storage = storages["import_export"]
    if not storage.exists(data["path"]):
        messages.error(request, _("This preview has already been imported or has expired; upload the file again."))
        return redirect("admin:imports_importbatch_upload")
    with storage.open(data["path"], "rb") as file:
        content = file.read()
    if hashlib.sha256(content).hexdigest() != data["sha"]:
        raise PermissionDenied
    agency = get_object_or_404(Agency, pk=data["agency"])
    try:
        report = referral_import(
            file=ContentFile(content, name=data["name"]), agency=agency, by=request.user,
            progress=progress_reporter(request.POST.get("progress")),
        )
    except FileError as exc:
        messages.error(request, str(exc))
        return redirect("admin:imports_importbatch_upload")
    storage.delete(data["path"])
    messages.success(
        request,
        _("Imported: %(created)s referrals created, %(duplicates)s duplicates skipped, %(rejected)s rows rejected.")
        % {"created": report.created, "duplicates": report.duplicates, "rejected": report.rejected},
    )
    return redirect(reverse("admin:imports_importbatch_change", args=[report.batch.pk]))


@reads_no_session
def progress_view(request):
    """Tell the page waiting on a preview or an import how far it has got: {"rows": n, "fraction": f}.

    No login check, on purpose: it would read the session and the user from the database, which SQLite keeps
    locked while the import writes. The token (128 random bits, known only to the page that made it) is the
    key, and the answer is two numbers.
    """
    return JsonResponse(progress_of(request.GET.get("token", "")))


def template_view(model_admin, request, file_format: str):
    """Download the blank partner template."""
    _require_import(request)
    if file_format == "xlsx":
        response = HttpResponse(spreadsheets.template_xlsx(), content_type=spreadsheets.XLSX_TYPE)
    else:
        response = HttpResponse(spreadsheets.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"gefyra-referrals-template.{file_format}")
    return response


def rejected_view(model_admin, request, batch_id: int):
    """Download a batch's rejected rows in the partner's own format, with an "errors" column."""
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    if not model_admin.has_view_permission(request, batch):
        raise PermissionDenied
    content, content_type, name = spreadsheets.rejected_rows_file(batch)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
