import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Case, Referral
from imports import services
from imports.models import ImportBatch
from tests.imports.conftest import ENGLISH_HEADER, as_records, csv_bytes, person_row, xlsx_bytes

UPLOAD = "admin:imports_importbatch_upload"


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client
    return login


def upload(client, agency, content, name="referrals.csv"):
    return client.post(reverse(UPLOAD), {"agency": agency.pk, "file": SimpleUploadedFile(name, content)})


def test_preview_then_confirm(client_as, intake_officer, agency):
    client = client_as(intake_officer)
    content = csv_bytes([person_row(1), person_row(2, amka="01018012346"), person_row(1)], encoding="cp1253")

    preview = upload(client, agency, content)

    assert preview.status_code == 200
    assert Referral.objects.count() == 0
    report = preview.context["report"]
    assert (report.rows, report.created, report.duplicates) == (3, 1, 1)
    page = preview.content.decode()
    assert "Διπλότυπο της γραμμής 2." in page and "KK-0001" in page
    assert "<td>3</td><td>amka</td><td>checksum</td>" in page
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED

    done = client.post(reverse("admin:imports_importbatch_confirm"), {"token": preview.context["token"]}, follow=True)

    assert done.status_code == 200
    batch = ImportBatch.objects.get(dry_run=False)
    assert (batch.created_by, batch.created, batch.rejected) == (intake_officer, 1, 1)
    assert Referral.objects.get().case.stage == Case.Stage.REFERRAL_REVIEW
    # Confirming the same preview twice does not import twice.
    again = client.post(reverse("admin:imports_importbatch_confirm"), {"token": preview.context["token"]})
    assert again.status_code == 302 and Referral.objects.count() == 1


def test_preview_and_import_report_their_progress_to_the_waiting_page(
    client_as, intake_officer, agency, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    client = client_as(intake_officer)
    progress = reverse("admin:imports_importbatch_progress")
    token, other = "0123456789abcdef" * 2, "f" * 32
    page = client.get(reverse(UPLOAD)).content.decode()
    assert f'data-progress-url="{progress}"' in page and 'name="progress"' in page and "imports/progress.js" in page
    assert client.get(progress, {"token": token}).json() == {"rows": 0, "fraction": 0}  # not begun yet

    preview = client.post(reverse(UPLOAD), {"agency": agency.pk, "progress": token,
                                            "file": SimpleUploadedFile("r.csv", csv_bytes([person_row(n) for n in range(1, 6)]))})
    assert client.get(progress, {"token": token}).json() == {"rows": 5, "fraction": 1.0}
    assert 'data-progress-url="' in preview.content.decode()  # the confirm form shows progress too

    client.post(reverse("admin:imports_importbatch_confirm"), {"token": preview.context["token"], "progress": other})
    assert client.get(progress, {"token": other}).json() == {"rows": 5, "fraction": 1.0}
    assert Referral.objects.count() == 5
    # The poll reads nothing from the database (SQLite is locked while an import writes); a token that is not
    # one of the page's 32 hex digits gets nothing.
    with django_assert_num_queries(0):
        assert client.get(progress, {"token": "e" * 32}).json() == {"rows": 0, "fraction": 0}
        assert client.get(progress, {"token": "../../etc"}).json() == {"rows": 0, "fraction": 0}


def test_preview_messages_in_greek_by_default(client_as, intake_officer, agency):
    client = client_as(intake_officer)
    content = csv_bytes([person_row(1, consent="Όχι")])
    response = client.post(reverse(UPLOAD), {"agency": agency.pk, "file": SimpleUploadedFile("a.csv", content)})
    page = response.content.decode()
    assert response.context["LANGUAGE_CODE"] == "el"
    assert "Χωρίς τη συναίνεση του προσώπου η παραπομπή δεν μπορεί να εισαχθεί." in page
    assert "Προεπισκόπηση: δεν έχει εισαχθεί τίποτα ακόμη" in page


def test_unreadable_file_shows_one_message_and_changes_nothing(client_as, supervisor, agency):
    response = upload(client_as(supervisor), agency, b"\x00\x01\x02 not a sheet", name="photo.jpg")
    assert response.status_code == 200
    assert "Το αρχείο δεν είναι υπολογιστικό φύλλο (XLSX ή CSV)." in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_a_tampered_token_is_refused(client_as, intake_officer, agency):
    response = client_as(intake_officer).post(reverse("admin:imports_importbatch_confirm"), {"token": "forged"})
    assert response.status_code == 302 and Referral.objects.count() == 0


@pytest.mark.parametrize("persona", ["counsellor", "placement_officer", "outsider"])
def test_only_intake_officers_and_supervisors_may_import(client_as, request, agency, persona):
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse(UPLOAD)).status_code == 403
    assert upload(client, agency, csv_bytes([person_row(1)])).status_code == 403
    assert client.get(reverse("admin:imports_importbatch_template", args=["xlsx"])).status_code == 403
    assert client.post(reverse("admin:imports_importbatch_confirm"), {"token": "x"}).status_code == 403
    assert Referral.objects.count() == 0


def test_batch_list_and_detail_show_counts(client_as, supervisor, agency):
    client = client_as(supervisor)
    upload(client, agency, csv_bytes([person_row(1, consent="Όχι")]))
    batch = ImportBatch.objects.get()
    listing = client.get(reverse("admin:imports_importbatch_changelist"))
    assert listing.status_code == 200 and "referrals.csv" in listing.content.decode()
    detail = client.get(reverse("admin:imports_importbatch_change", args=[batch.pk]))
    assert detail.status_code == 200 and reverse("admin:imports_importbatch_rejected", args=[batch.pk]) in detail.content.decode()
    # The counts are labelled as counts, in Greek ("created" alone is a creation date elsewhere).
    assert "Δημιουργήθηκαν:" in detail.content.decode() and "Πρόσωπα που συμπληρώθηκαν:" in detail.content.decode()


def test_rejected_rows_download_in_the_partners_csv_format(client_as, intake_officer, agency):
    client = client_as(intake_officer)
    upload(client, agency, csv_bytes([person_row(1), person_row(2, consent="Όχι", reason="α\r\nβ")], encoding="cp1253", delimiter=";"))
    batch = ImportBatch.objects.get()

    response = client.get(reverse("admin:imports_importbatch_rejected", args=[batch.pk]))

    assert response.status_code == 200
    records = list(csv.reader(io.StringIO(response.content.decode("cp1253"), newline=""), delimiter=";"))
    assert records[0][-1] == "errors" and records[0][2] == "Επώνυμο"
    assert len(records) == 2 and records[1][0] == "KK-0002" and records[1][13] == "α\r\nβ"
    assert "consent" in records[1][-1]


def test_rejected_rows_download_as_xlsx(client_as, intake_officer, agency):
    client = client_as(intake_officer)
    upload(client, agency, xlsx_bytes(as_records([person_row(1, amka="12345678901")], ENGLISH_HEADER)), name="refs.xlsx")
    batch = ImportBatch.objects.get()
    response = client.get(reverse("admin:imports_importbatch_rejected", args=[batch.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "agency_ref" and rows[0][-1] == "errors" and rows[1][0] == "KK-0001" and "amka" in rows[1][-1]


def test_templates_download_and_import_back(client_as, intake_officer, agency):
    client = client_as(intake_officer)
    xlsx = client.get(reverse("admin:imports_importbatch_template", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]] == [*ENGLISH_HEADER, "consent_sharing"]  # the last column is optional
    csv_template = client.get(reverse("admin:imports_importbatch_template", args=["csv"]))
    filled = csv_template.content + csv_bytes([person_row(1)], header=ENGLISH_HEADER).split(b"\r\n", 1)[1]
    preview = upload(client, agency, filled)
    assert preview.context["report"].created == 1


def test_revert_action(client_as, supervisor, agency):
    client = client_as(supervisor)
    preview = upload(client, agency, csv_bytes([person_row(1)]))
    client.post(reverse("admin:imports_importbatch_confirm"), {"token": preview.context["token"]})
    batch = ImportBatch.objects.get(dry_run=False)

    response = client.post(reverse("admin:imports_importbatch_changelist"), {"action": "revert", "_selected_action": [batch.pk]}, follow=True)

    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REVERTED and Referral.objects.count() == 0
