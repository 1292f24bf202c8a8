"""Write spreadsheets for partners: the blank template, and rejected rows with an "errors" column."""
from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from common.spreadsheets import neutralised
from imports.models import ImportBatch
from imports.reading import FIELDS, TEMPLATE_COLUMNS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def column_help() -> dict[str, str]:
    """Return what each template column holds, in the user's language."""
    return {
        "agency_ref": _("Your own reference for the referral; required, unique for your agency."),
        "referral_date": _("Date of the referral (dd/mm/yyyy); today if empty."),
        "last_name": _("Surname; required."),
        "first_name": _("First name; required."),
        "father_name": _("Father's name."),
        "birth_date": _("Date of birth (dd/mm/yyyy); required, not in the future."),
        "sex": _("Α/Γ (Άνδρας/Γυναίκα), M/F, male/female."),
        "amka": _("AMKA, 11 digits; optional, valid when present."),
        "afm": _("AFM, 9 digits; optional, valid when present."),
        "phone": _("Phone in any common Greek format."),
        "email": _("Email; optional."),
        "nationality": _("Country or nationality, in Greek or English."),
        "vulnerable_groups": _("One or more vulnerable groups (code or Greek label), comma-separated."),
        "reason": _("Reason for the referral; free text, may span lines."),
        "consent": _("Ναι/Yes/1 when the person consents to processing; without consent the row is refused."),
        "consent_sharing": _("Ναι/Yes/1 when the person also consents to the centre telling your agency what became "
                             "of the referral; if empty, nothing is shared with you."),
    }


def template_csv() -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(FIELDS)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "referrals"
    sheet.append(FIELDS)
    helps = column_help()
    for cell, (english, greek) in zip(sheet[1], TEMPLATE_COLUMNS, strict=True):
        cell.comment = Comment(f"{greek}: {helps[english]}", "Gefyra")
        sheet.column_dimensions[cell.column_letter].width = max(14, len(english) + 4)
    guide = workbook.create_sheet(_("Instructions"))
    guide.append([_("English header"), _("Greek header"), _("Content")])
    for english, greek in TEMPLATE_COLUMNS:
        guide.append([english, greek, helps[english]])
    return _save(workbook)


def rejected_rows_file(batch: ImportBatch) -> tuple[bytes, str, str]:
    """Return (content, content type, file name) of the batch's rejected rows, in the partner's own format."""
    header = [*batch.headers, "errors"]
    records = [[*r.values, *[""] * (len(batch.headers) - len(r.values)), r.error_text] for r in batch.rejected_rows.all()]
    stem = batch.file_name.rsplit(".", 1)[0] + "-" + _("rejected")
    if batch.file_format == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        for record in [header, *records]:
            sheet.append([neutralised(v) for v in record])
        return _save(workbook), XLSX_TYPE, f"{stem}.xlsx"
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=batch.delimiter or ";", lineterminator="\r\n").writerows(
        [header, *[[neutralised(v) for v in r] for r in records]]
    )
    encoding = batch.encoding or "utf-8-sig"
    return buffer.getvalue().encode(encoding, errors="replace"), f"text/csv; charset={encoding}", f"{stem}.csv"


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
