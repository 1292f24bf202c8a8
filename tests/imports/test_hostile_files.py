"""Hostile files get one clear message through the upload page, change nothing and never answer 500; a sheet
declaring a huge size is read as what it really holds. (Their time and memory: benchmarks/hostile_files.py.)"""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Person, Referral
from imports.models import ImportBatch
from tests.imports import hostile

pytestmark = pytest.mark.django_db
UPLOAD = reverse("admin:imports_importbatch_upload")
MESSAGES = {
    "zip bomb": "πολύ περισσότερα",
    "entity expansion": "δεν είναι υπολογιστικό φύλλο",
    "cell in the last column": "περισσότερες από 200 στήλες",
    "header line of 200,000 characters": "κελί μεγαλύτερο από 100.000 χαρακτήρες",
    "a million columns": "γραμμή 1 του αρχείου",
    "300 extra columns": "περισσότερες από 200 στήλες",
    "a cell of 150,000 characters": "κελί μεγαλύτερο από 100.000 χαρακτήρες",
}


def _upload(client, agency, content: bytes, name: str):
    return client.post(UPLOAD, {"agency": agency.pk, "file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("kind", list(hostile.REFUSED))
def test_a_hostile_file_is_refused_with_one_message_and_changes_nothing(client, intake_officer, agency, kind):
    content = hostile.REFUSED[kind]()
    name = "refs.xlsx" if content.startswith(b"PK") else "refs.csv"
    client.force_login(intake_officer)
    response = _upload(client, agency, content, name)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert MESSAGES[kind] in errors.lower(), errors
    assert not ImportBatch.objects.exists() and not Person.objects.exists()


def test_a_sheet_declaring_the_whole_grid_is_read_as_its_three_rows(client, intake_officer, agency):
    client.force_login(intake_officer)
    response = _upload(client, agency, hostile.huge_declared_sheet(), "refs.xlsx")
    assert response.status_code == 200 and response.context["report"].created == 3


def test_too_many_rows_are_refused_with_the_limit(client, intake_officer, agency, settings):
    settings.GEFYRA_IMPORT_MAX_ROWS = 40
    client.force_login(intake_officer)
    errors = _upload(client, agency, hostile.many_rows(41), "refs.csv").context["form"].errors["file"]
    assert "περισσότερες από 40 γραμμές" in errors[0]
    assert _upload(client, agency, hostile.many_rows(40), "refs.csv").context["report"].created == 40


def test_an_upload_over_the_limit_is_stopped_while_it_streams_in(client, intake_officer, agency, settings):
    settings.GEFYRA_IMPORT_MAX_BYTES = 50 * 1024
    client.force_login(intake_officer)
    content = hostile.many_rows(1000)
    assert len(content) > 2 * settings.GEFYRA_IMPORT_MAX_BYTES
    response = _upload(client, agency, content, "refs.csv")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Το αρχείο είναι μεγαλύτερο από 50,0\xa0KB."]
    assert not Referral.objects.exists()
    page = client.get(UPLOAD).content.decode()
    assert f'data-max-bytes="{50 * 1024}"' in page  # the page refuses it before sending, too
