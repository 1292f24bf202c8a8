"""Erasure on request, by a supervisor or the data-protection officer: the same anonymisation as retention (issue 12)."""
import datetime

import pytest
from django.db import models as db_models
from django.urls import reverse

from audit.models import AccessEvent
from cases import models
from imports.services import referral_import
from privacy import erasure
from privacy.models import LegalHold
from tests.factories import AgencyFactory, CaseFactory, PersonFactory, opened_by
from tests.imports.conftest import csv_bytes, person_row
from tests.privacy.files import SECRETS, change_log_text, declined_person, fill_file, statistics
from tests.workflows.conftest import as_user

pytestmark = pytest.mark.django_db


def erase_url(person):
    return reverse("admin:privacy_erase", args=[person.pk])


def test_erasure_on_request_anonymises_the_whole_file_and_keeps_what_statistics_count(client, intake_officer, supervisor):
    case = declined_person(intake_officer)
    fill_file(case, by=supervisor)
    person = case.person
    # A change made on the person's page: the change log now holds the old and new phone numbers.
    page = as_user(client, supervisor).get(reverse("admin:cases_person_change", args=[person.pk]))
    assert erase_url(person) in page.content.decode()
    counted, log = statistics(), change_log_text()
    assert all(secret in log for secret in ["Καρρά", person.amka])

    response = client.post(erase_url(person), {"reason": "Αίτηση διαγραφής 12/2026, αρ. 55", "confirm": "on"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.last_name, person.first_name, person.amka, person.afm, person.phone, person.email, person.address,
            person.document_number, person.father_name) == ("Ανώνυμο", f"#{person.pk}", None, None, "", "", "", "", "")
    assert person.birth_date == datetime.date(1990, 1, 1) and person.anonymised_at is not None
    assert statistics() == counted  # sex, year of birth, municipality, groups, stages, outcomes, dates
    texts = [
        *models.NeedsAssessment.objects.filter(case=case).values_list("health", "addiction", "finances", "legal_status", "childcare", "employment_history").get(),
        *models.ContactNote.objects.filter(case=case).values_list("text", flat=True),
        *models.NoteCorrection.objects.filter(note__case=case).values_list("previous_text", flat=True),
        *models.Goal.objects.filter(plan__case=case).values_list("text", flat=True),
        *models.Referral.objects.filter(person=person).values_list("agency_ref", "reason", "decline_reason").get(),
        *models.ConsentRecord.objects.filter(person=person).values_list("witness", "evidence").first(),
        models.TrainingEnrolment.objects.get(case=case).certificate,
    ]
    assert not [t for t in texts if any(secret in t for secret in SECRETS)]
    assert models.TrainingEnrolment.objects.get(case=case).certificate == erasure.REDACTED  # awarded: still counted
    assert models.Goal.objects.get(plan__case=case).needs_training is True
    log = change_log_text()
    assert not [secret for secret in [*SECRETS, "Εκτός περιοχής"] if secret in log]
    event = AccessEvent.objects.get(action=AccessEvent.Action.ANONYMISED, person_id=person.pk)
    assert (event.username, event.details) == (supervisor.username, {"grounds": "request", "reason": "Αίτηση διαγραφής 12/2026, αρ. 55"})
    assert erase_url(person) not in client.get(reverse("admin:cases_person_change", args=[person.pk])).content.decode()


def test_erasure_needs_a_reason_and_is_refused_while_a_case_is_open_or_on_legal_hold(client, supervisor, intake_officer):
    open_case = CaseFactory()
    as_user(client, supervisor)
    page = client.post(erase_url(open_case.person), {"reason": "Αίτηση", "confirm": "on"})
    assert f"Η υπόθεση {open_case.pk} είναι ακόμη ανοιχτή" in page.content.decode()
    closed = declined_person(intake_officer)
    assert client.post(erase_url(closed.person), {"reason": "", "confirm": "on"}).status_code == 200
    LegalHold.objects.create(case=closed, reason="Δικαστική υπόθεση 44/2026", placed_by=supervisor)
    page = client.post(erase_url(closed.person), {"reason": "Αίτηση", "confirm": "on"})
    assert "Δικαστική υπόθεση 44/2026" in page.content.decode()
    assert models.Person.objects.filter(anonymised_at__isnull=False).count() == 0


def test_only_supervisors_and_the_data_protection_officer_may_erase(client, counsellor, data_protection_officer, intake_officer):
    case = declined_person(intake_officer)
    opened_by(case, counsellor)
    assert as_user(client, counsellor).get(erase_url(case.person)).status_code == 403
    # The officer opens a file outside her work as anyone does: with a reason, recorded (break-glass).
    assert as_user(client, data_protection_officer).get(erase_url(case.person)).status_code == 404
    opened_by(case, data_protection_officer)
    assert client.get(erase_url(case.person)).status_code == 200
    client.post(erase_url(case.person), {"reason": "Αίτηση", "confirm": "on"})
    assert models.Person.objects.get(pk=case.person_id).anonymised_at is not None


def test_the_change_log_of_an_imported_person_goes_with_her_data(tmp_path, settings, intake_officer):
    settings.STORAGES = {**settings.STORAGES, "import_export": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    file = tmp_path / "referrals.csv"
    file.write_bytes(csv_bytes([person_row(1, last_name="Καρρά", first_name="Σοφία")]))
    with file.open("rb") as upload:
        referral_import(file=upload, agency=AgencyFactory(), by=intake_officer)
    person = models.Person.objects.get(last_name="Καρρά")
    assert "Καρρά Σοφία" in change_log_text()
    erasure.anonymise([person.pk], by=intake_officer, grounds=erasure.Grounds.RETENTION)
    log = change_log_text()
    assert "Καρρά" not in log and person.amka not in log


def test_an_import_forgets_what_it_added_to_an_anonymised_person(tmp_path, intake_officer):
    """The batch keeps a found person's added values for its revert: a copy of her data that must go too."""
    row = person_row(1)
    known = PersonFactory(amka=row["amka"], afm=None, phone="")
    other = person_row(2)
    PersonFactory(amka=other["amka"], afm=None, phone="")
    file = tmp_path / "referrals.csv"
    file.write_bytes(csv_bytes([row, other]))
    with file.open("rb") as upload:
        batch = referral_import(file=upload, agency=AgencyFactory(), by=intake_officer).batch
    assert len(batch.updated_people) == 2
    erasure.anonymise([known.pk], grounds=erasure.Grounds.REQUEST)
    batch.refresh_from_db()
    assert [change["person"] for change in batch.updated_people] == [models.Person.objects.get(amka=other["amka"]).pk]
    assert row["afm"] not in str(batch.updated_people)


def test_every_text_and_date_of_a_persons_rows_is_anonymised_or_kept_on_purpose():
    """A field added later to a row about the person fails here until someone decides what erasure does with it."""
    for model, _path, changes in erasure.CHANGES:
        kept = set(erasure.KEPT.get(model._meta.label, "").split())
        for field in model._meta.local_fields:
            if isinstance(field, (db_models.CharField, db_models.TextField, db_models.DateField)) and not field.choices:
                assert field.name in changes or field.name in kept, f"{model._meta.label}.{field.name}"
