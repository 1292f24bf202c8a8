import datetime
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader
from weasyprint import HTML

from audit.models import AccessEvent
from audit.services import record
from cases.models import (
    ActionPlan,
    Appointment,
    CaseEvent,
    ConsentRecord,
    ContactNote,
    FollowUp,
    Goal,
    NeedsAssessment,
    NoteCorrection,
    ServiceSession,
    TrainingEnrolment,
    VulnerableGroup,
)
from privacy import subject_access
from tests.factories import AgencyFactory, CaseFactory, PersonFactory, PlacementFactory, ReferralFactory, opened_by

HEALTH = "Σακχαρώδης διαβήτης τύπου 2"
SECRET = "Αναφέρει βία από τον πρώην σύζυγο"


@pytest.fixture
def greek():
    with translation.override("el"):
        yield


@pytest.fixture
def person(db, supervisor, counsellor):
    person = PersonFactory(last_name="Παπαδοπούλου", first_name="Μαρία", sex="F", nationality="GR")
    person.vulnerable_groups.add(VulnerableGroup.objects.first())
    ConsentRecord.objects.create(person=person, kind="given", method="signed_form", evidence="Φάκελος 12", by=counsellor)
    ReferralFactory(person=person, agency=AgencyFactory(name="Κέντρο Κοινότητας Χίου"), reason="Αναζήτηση εργασίας")
    for _ in range(2):
        case_with_everything(person, supervisor, counsellor)
    Appointment.objects.create(person=person, staff=counsellor, kind="intake", scheduled_at=timezone.now())
    record(user=supervisor, action=AccessEvent.Action.VIEW, obj=person)
    return person


def case_with_everything(person, supervisor, counsellor):
    case = CaseFactory(person=person, key_worker=counsellor, stage="placement")
    NeedsAssessment.objects.create(case=case, health=HEALTH, digital_skills="basic", assessed_by=counsellor)
    plan = ActionPlan.objects.create(case=case, notes="Συμφωνήθηκε", created_by=counsellor)
    Goal.objects.create(plan=plan, text="Δίπλωμα οδήγησης", needs_training=True)
    Goal.objects.create(plan=plan, text="Εργασία στην εστίαση")
    training = TrainingEnrolment.objects.create(case=case, course="Βοηθός μαγείρα", hours_planned=120)
    ServiceSession.objects.create(service=training, held_by=counsellor, minutes=90, notes="Πρώτο μάθημα")
    note = ContactNote.objects.create(case=case, kind="phone", text=SECRET, confidential=True, written_by=counsellor)
    NoteCorrection.objects.create(note=note, previous_kind="phone", previous_text="Πρώτη εκδοχή", previous_confidential=False,
                                  corrected_by=counsellor)
    ContactNote.objects.create(case=case, kind="office_visit", text="Ήρθε στο γραφείο", written_by=supervisor)
    Appointment.objects.create(person=person, case=case, staff=counsellor, kind="counselling", scheduled_at=timezone.now())
    placement = PlacementFactory(case=case, employer__name="Ταβέρνα Ο Γιάννης")
    for months, due in placement.follow_up_dates()[:2]:
        FollowUp.objects.create(placement=placement, months=months, due_on=due)
    CaseEvent.objects.create(case=case, by=supervisor, action="opened", to_stage="intake")
    CaseEvent.objects.create(case=case, by=counsellor, action="placed", from_stage="services", to_stage="placement")
    return case


class RecordingFetcher(subject_access.FontsOnlyFetcher):
    asked: list[str] = []

    def fetch(self, url, headers=None):
        self.asked.append(url)
        return super().fetch(url, headers)


def test_report_holds_every_section(person, supervisor, greek):
    data = subject_access.report(person)

    assert data["person_id"] == person.pk
    assert data["person"]["last_name"] == "Παπαδοπούλου"
    assert data["person"]["sex"] == {"code": "F", "label": "Γυναίκα"}
    assert data["person"]["nationality"] == {"code": "GR", "label": "Ελλάδα"}
    assert data["person"]["vulnerable_groups"][0]["code"] == VulnerableGroup.objects.first().code
    assert data["person"]["birth_date"] == "1985-03-14"
    assert data["consents"][0]["evidence"] == "Φάκελος 12"
    assert data["referrals"][0]["agency"] == "Κέντρο Κοινότητας Χίου"
    assert len(data["cases"]) == 2
    case = data["cases"][0]
    assert case["key_worker"] == person.cases.first().key_worker.get_full_name()
    assert case["assessment"]["health"] == HEALTH
    assert {g["text"] for g in case["plan"]["goals"]} == {"Δίπλωμα οδήγησης", "Εργασία στην εστίαση"}
    service = case["services"][0]
    assert (service["kind"]["code"], service["course"], service["sessions"][0]["minutes"]) == ("training", "Βοηθός μαγείρα", 90)
    secret = next(n for n in case["notes"] if n["confidential"])
    assert secret["text"] == SECRET
    assert secret["corrections"][0]["previous_text"] == "Πρώτη εκδοχή"
    assert case["appointments"][0]["kind"]["code"] == "counselling"
    assert case["placements"][0]["employer"] == "Ταβέρνα Ο Γιάννης"
    assert [f["months"] for f in case["placements"][0]["follow_ups"]] == [1, 3]
    assert [e["action"]["code"] for e in case["events"]] == ["opened", "placed"]
    assert [a["kind"]["code"] for a in data["appointments"]] == ["intake"]
    assert data["accesses"][0]["username"] == supervisor.username
    assert data["accesses"][0]["action"] == {"code": "view", "label": str(AccessEvent.Action.VIEW.label)}
    datetime.datetime.fromisoformat(data["generated_at"])


def test_json_round_trips_with_greek_unescaped(person):
    data = subject_access.report(person)

    body = subject_access.as_json(data)

    assert json.loads(body) == json.loads(json.dumps(data))
    assert "Παπαδοπούλου".encode() in body


def test_pdf_is_paginated_greek_text(person, counsellor, greek):
    case = person.cases.first()
    ContactNote.objects.bulk_create([
        ContactNote(case=case, kind="phone", text=f"Τηλεφωνική επικοινωνία αρ. {n}", written_by=counsellor) for n in range(60)
    ])

    pdf = subject_access.as_pdf(subject_access.report(person))

    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    assert pdf.startswith(b"%PDF")
    assert len(pages) > 1
    assert "Παπαδοπούλου" in pages[0]
    assert "Επώνυμο" in pages[0]  # the label of Person.last_name, translated in locale/el
    assert "Τηλεφωνική επικοινωνία αρ. 59" in "".join(pages)
    # The footer, the page's last line: "page 1 of N" in whichever words the translation has.
    assert re.search(rf"\b1\b\D+\b{len(pages)}$", pages[0].strip())
    assert re.search(rf"\b{len(pages)}\b\D+\b{len(pages)}$", pages[-1].strip())


def test_pdf_escapes_markup_and_fetches_only_the_fonts(person, counsellor, monkeypatch):
    ContactNote.objects.create(case=person.cases.first(), kind="phone", text='<img src="file:///etc/passwd">',
                               written_by=counsellor)
    monkeypatch.setattr(subject_access, "FontsOnlyFetcher", RecordingFetcher)
    RecordingFetcher.asked = []

    pdf = subject_access.as_pdf(subject_access.report(person))

    assert '<img src="file:///etc/passwd">' in "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert set(RecordingFetcher.asked) == set(RecordingFetcher.allowed)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.org/x.png"])
def test_fetcher_refuses_anything_but_our_fonts(url):
    fetcher = subject_access.FontsOnlyFetcher()

    with pytest.raises(subject_access.FetchRefused):
        fetcher.fetch(url)
    assert fetcher.fetch(subject_access.FONTS["regular"].as_uri()).read()[:4] == b"\x00\x01\x00\x00"


def test_refused_image_still_renders():
    RecordingFetcher.asked = []

    pdf = HTML(string='<p>x<img src="file:///etc/passwd"></p>', url_fetcher=RecordingFetcher()).write_pdf()

    assert pdf.startswith(b"%PDF")
    assert RecordingFetcher.asked == ["file:///etc/passwd"]
    assert b"root:" not in pdf


def test_report_queries_are_bounded(person, django_assert_max_num_queries):
    # 15 queries whatever the number of rows: one per kind of row, none per row.
    with django_assert_max_num_queries(20):
        subject_access.report(person)


def download_url(person, fmt):
    return reverse("admin:privacy_subject_access", args=[person.pk, fmt])


def test_a_supervisor_downloads_the_report_from_the_persons_page_and_the_download_is_recorded(client, person, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("admin:cases_person_change", args=[person.pk])).content.decode()
    assert download_url(person, "pdf") in page and download_url(person, "json") in page
    response = client.get(download_url(person, "pdf"))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith(f'attachment; filename="subject-access-{person.pk}-')
    assert response.content.startswith(b"%PDF")
    data = json.loads(client.get(download_url(person, "json")).content)
    assert data["person"]["last_name"] == person.last_name
    events = AccessEvent.objects.filter(action=AccessEvent.Action.SUBJECT_ACCESS, person_id=person.pk, user_id=supervisor.pk)
    assert sorted(e.details["format"] for e in events) == ["json", "pdf"]


def test_only_supervisors_and_the_data_protection_officer_download_it(client, person, counsellor, data_protection_officer):
    client.force_login(counsellor)
    opened_by(person, counsellor)
    assert client.get(download_url(person, "json")).status_code == 403
    client.force_login(data_protection_officer)
    assert client.get(download_url(person, "json")).status_code == 404  # out of her work: break-glass first
    opened_by(person, data_protection_officer)
    assert client.get(download_url(person, "json")).status_code == 200
    assert client.get(download_url(person, "xml")).status_code == 404
    assert not AccessEvent.objects.filter(action=AccessEvent.Action.SUBJECT_ACCESS, user_id=counsellor.pk).exists()
