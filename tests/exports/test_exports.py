import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import FollowUp, VulnerableGroup
from exports.models import ExportRecord
from tests.factories import PersonFactory, PlacementFactory, ReferralFactory

MODELS = ["person", "referral", "case", "placement", "followup"]


def export(client, model, file_format="0", query=""):
    url = reverse(f"admin:cases_{model}_export") + query
    form = client.get(url).context["form"]
    data = {name: "on" for name, f in form.fields.items() if getattr(f, "is_selectable_field", False)}
    response = client.post(url, {**data, "format": file_format})
    if response.status_code == 200:
        assert response.streaming  # never built whole in memory
        response.body = b"".join(response.streaming_content)
    return response


@pytest.fixture
def data(db):
    placement = PlacementFactory()
    FollowUp.objects.create(placement=placement, months=1, due_on=placement.start_date)
    ReferralFactory(agency_ref="KEEP", person=PersonFactory(last_name="Αλεξίου"))
    ReferralFactory(agency_ref="SKIP", person=PersonFactory(last_name="Βασιλείου"), status="declined")


@pytest.mark.parametrize("model", MODELS)
def test_supervisor_exports_each_model_as_csv_and_xlsx_and_it_is_recorded(client, supervisor, data, model):
    client.force_login(supervisor)
    as_csv = export(client, model, "0")
    as_xlsx = export(client, model, "1")

    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(as_csv.body.decode("utf-8-sig"))))
    assert header[0] == "id"
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.body)).active
    assert sheet.cell(1, 1).value == "id" and sheet.max_row >= 2
    records = ExportRecord.objects.filter(user=supervisor)
    assert records.count() == 2 and {r.file_format for r in records} == {"csv", "xlsx"}


def test_export_respects_the_changelist_filters(client, supervisor, data):
    client.force_login(supervisor)
    response = export(client, "referral", "0", query="?status__exact=received")
    rows = list(csv.DictReader(io.StringIO(response.body.decode("utf-8-sig"))))
    assert [r["agency_ref"] for r in rows] == ["KEEP"]
    assert ExportRecord.objects.get().filters == "status__exact=received"


def test_case_export_has_its_stage(client, supervisor, data):
    client.force_login(supervisor)
    rows = list(csv.DictReader(io.StringIO(export(client, "case").body.decode("utf-8-sig"))))
    assert {r["stage"] for r in rows} == {"referral_review"} and rows[0]["stage_label"]


@pytest.mark.parametrize("model", MODELS)
def test_staff_without_the_export_permission_get_403(client, intake_officer, data, model):
    client.force_login(intake_officer)
    url = reverse(f"admin:cases_{model}_export")
    assert client.get(url).status_code == 403
    assert client.post(url, {"format": "0"}).status_code == 403
    assert ExportRecord.objects.count() == 0


@pytest.mark.parametrize("model", ["person", "referral", "case"])
def test_an_export_reads_its_rows_in_as_many_queries_however_many_there_are(client, supervisor, db, model):
    from workflows.services import referral_start

    client.force_login(supervisor)
    gbv = VulnerableGroup.objects.get(code="gbv")

    def queries_for(count: int) -> int:
        for _ in range(count):
            # A referral taken in: its case, its person and its key worker are all in the file.
            case = referral_start(referral=ReferralFactory(), by=supervisor)
            case.key_worker = supervisor
            case.save(update_fields=["key_worker"])
            case.person.vulnerable_groups.add(gbv)
        with CaptureQueriesContext(connection) as queries:
            assert len(export(client, model).body.splitlines()) > count
        return len(queries)

    queries_for(1)  # the first request reads what is then cached (permissions, content types)
    assert queries_for(3) == queries_for(30)
