"""Contact notes keep their author and time; only the author corrects them, and each correction is kept (finding 6)."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import models
from cases.services import note_add
from tests.cases.admin_pages import form_data, post_form
from tests.factories import CaseFactory, opened_by

ADD = reverse("admin:cases_contactnote_add")
LONG_AGO = timezone.now() - datetime.timedelta(days=40)


@pytest.fixture
def note(db, counsellor):
    written = note_add(case=CaseFactory(key_worker=counsellor), by=counsellor, kind="phone", text="Τηλεφώνησε για τη συνέντευξη")
    models.ContactNote.objects.filter(pk=written.pk).update(written_at=LONG_AGO)
    written.refresh_from_db()
    return written


def _change_url(note):
    return reverse("admin:cases_contactnote_change", args=[note.pk])


@pytest.mark.django_db
def test_another_workers_post_does_not_change_the_note(client, intake_officer, note, counsellor):
    opened_by(note.case, intake_officer)
    client.force_login(intake_officer)
    response = client.get(_change_url(note))
    assert response.status_code == 200  # they may read it…
    assert "text" not in form_data(response)
    data = {"case": note.case_id, "kind": "office_visit", "text": "Ξαναγραμμένο", "confidential": "",
            "written_at_0": "01/01/2020", "written_at_1": "09:00", "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0"}
    assert client.post(_change_url(note), data).status_code == 403  # …not rewrite it
    note.refresh_from_db()
    assert (note.kind, note.text, note.written_by, note.written_at) == ("phone", "Τηλεφώνησε για τη συνέντευξη",
                                                                          counsellor, LONG_AGO)
    assert not note.corrections.exists()


@pytest.mark.django_db
def test_a_supervisor_reads_but_does_not_rewrite_a_counsellors_note(client, supervisor, note):
    client.force_login(supervisor)
    assert "text" not in form_data(client.get(_change_url(note)))
    assert client.post(_change_url(note), {"text": "Άλλο"}).status_code == 403


@pytest.mark.django_db
def test_the_authors_correction_keeps_the_previous_text(client, counsellor, note):
    client.force_login(counsellor)
    response = post_form(client, _change_url(note), text="Τηλεφώνησε για τη συνέντευξη της Τρίτης",
                         written_at_0="01/01/2020", written_at_1="09:00")
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Τηλεφώνησε για τη συνέντευξη της Τρίτης"
    assert (note.written_by, note.written_at) == (counsellor, LONG_AGO)
    correction = note.corrections.get()
    assert (correction.previous_text, correction.corrected_by) == ("Τηλεφώνησε για τη συνέντευξη", counsellor)
    assert note.case.events.filter(action="note_corrected", by=counsellor).exists()
    page = client.get(_change_url(note)).content.decode()
    assert re.search(r'class="field-previous_text">\s*<p>Τηλεφώνησε για τη συνέντευξη</p>', page)  # shown, read-only


@pytest.mark.django_db
def test_a_new_note_cannot_be_back_dated_or_signed_by_someone_else(client, counsellor, intake_officer):
    case = CaseFactory(key_worker=counsellor)
    client.force_login(counsellor)
    before = timezone.now()
    response = post_form(client, ADD, case=str(case.pk), kind="office_visit", text="Ήρθε στο γραφείο",
                         written_at_0="01/01/2020", written_at_1="09:00", written_by=str(intake_officer.pk))
    assert response.status_code == 302
    note = models.ContactNote.objects.get(case=case)
    assert note.written_by == counsellor and note.written_at >= before


@pytest.mark.django_db
def test_written_at_cannot_be_back_dated_by_the_author_either(client, counsellor, note):
    client.force_login(counsellor)
    fields = form_data(client.get(_change_url(note)))
    assert not {"written_at_0", "written_by"} & set(fields)


@pytest.mark.django_db
def test_the_case_page_lists_notes_read_only_and_adds_new_ones_through_note_add(client, counsellor, intake_officer, note):
    case = note.case
    opened_by(case, intake_officer)
    client.force_login(intake_officer)
    url = reverse("admin:cases_case_change", args=[case.pk])
    page = client.get(url)
    assert _change_url(note) in page.content.decode()  # each listed note links to its page
    data = form_data(page)
    assert "notes-0-text" not in data and "notes-2-0-written_at_0" not in data  # listed, not editable; no dates
    data.update({"notes-2-0-kind": "phone", "notes-2-0-text": "Νέα σημείωση", "notes-2-0-written_at_0": "01/01/2020",
                 "notes-2-0-written_at_1": "09:00", "notes-2-0-written_by": str(counsellor.pk)})
    before = timezone.now()
    response = client.post(url, data)
    assert response.status_code == 302
    added = case.notes.exclude(pk=note.pk).get()
    assert (added.text, added.written_by) == ("Νέα σημείωση", intake_officer) and added.written_at >= before
    note.refresh_from_db()
    assert note.text == "Τηλεφώνησε για τη συνέντευξη" and note.written_by == counsellor
