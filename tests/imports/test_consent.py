"""A partner's "yes" to consent: recorded as the partner's declaration, and never over a person's withdrawal."""
import csv
import datetime
import io
import json

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.management import call_command

from cases.models import ConsentRecord, Person, Referral
from cases.services import consent_withdraw
from imports import services
from imports.revert import import_batch_revert
from imports.services import referral_import
from tests.factories import AgencyFactory, PersonFactory
from tests.imports.conftest import GREEK_HEADER, as_records, case_under_way, csv_bytes, person_row

GIVEN = datetime.datetime(2023, 9, 1, 10, tzinfo=datetime.UTC)
WITHDRAWN = datetime.datetime(2024, 3, 15, 9, 30, tzinfo=datetime.UTC)


def run(content: bytes, agency, by=None, dry_run=False):
    return referral_import(file=io.BytesIO(content), agency=agency, by=by, dry_run=dry_run)


@pytest.fixture
def withdrawn(db) -> Person:
    """The person of row 1, who consented and then withdrew their consent on 15/03/2024."""
    person = PersonFactory(amka=person_row(1)["amka"], consent_processing_at=GIVEN)
    with time_machine.travel(WITHDRAWN, tick=False):
        consent_withdraw(person=person, by=None, reason="Δεν επιθυμεί επικοινωνία")
    return person


def test_a_known_person_who_withdrew_consent_is_refused_in_the_preview_and_the_import(agency, withdrawn):
    content = csv_bytes([person_row(1, consent="Ναι"), person_row(2)])
    dry = run(content, agency, dry_run=True)
    real = run(content, agency)

    assert real.as_json() == dry.as_json()
    [error] = real.errors
    assert (error.row, error.field, error.code) == (2, "consent", "no_consent")
    assert "15/03/2024" in error.message
    assert (real.created, real.rejected) == (1, 1) and not withdrawn.referrals.exists()
    withdrawn.refresh_from_db()
    assert (withdrawn.consent_processing_at, withdrawn.consent_withdrawn_at) == (GIVEN, WITHDRAWN)
    assert withdrawn.has_withdrawn_consent
    assert list(withdrawn.consents.values_list("kind", flat=True)) == [ConsentRecord.Kind.WITHDRAWN]


def test_a_withdrawn_person_with_an_open_case_is_refused_too_nothing_joins_the_case(agency):
    person = PersonFactory(amka=person_row(1)["amka"])
    case = case_under_way(person)
    consent_withdraw(person=person, by=None)
    report = run(csv_bytes([person_row(1)]), agency)

    assert [(e.row, e.code) for e in report.errors] == [(2, "no_consent")]
    assert not Referral.objects.filter(agency=agency).exists()
    assert not case.events.filter(action="referral_added").exists()


def test_the_command_refuses_the_withdrawn_person_in_its_json(agency, withdrawn, write_file):
    path = write_file("refs.csv", csv_bytes([person_row(1, consent="Yes")]))
    out = io.StringIO()
    call_command("import_referrals", str(path), "--agency", agency.code, "--json", stdout=out)

    result = json.loads(out.getvalue())
    assert (result["rows"], result["created"], result["duplicates"]) == (1, 0, 0)
    [error] = result["errors"]
    assert (error["row"], error["field"], error["code"]) == (2, "consent", "no_consent")
    assert "15/03/2024" in error["message"]
    withdrawn.refresh_from_db()
    assert withdrawn.consent_processing_at == GIVEN and withdrawn.consents.count() == 1


def test_new_people_and_known_people_without_consent_get_the_partners_declaration(agency, intake_officer, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)  # people in two chunks: one service call each
    known = PersonFactory(amka=person_row(2)["amka"], consent_processing_at=None)
    consented = PersonFactory(amka=person_row(3)["amka"], consent_processing_at=GIVEN)
    report = run(csv_bytes([person_row(1), person_row(2), person_row(3)]), agency, intake_officer)

    new = Person.objects.get(amka=person_row(1)["amka"])
    records = []
    for person in (new, known):
        person.refresh_from_db()
        record = person.consents.get()
        assert (record.kind, record.method, record.by) == (
            ConsentRecord.Kind.GIVEN, ConsentRecord.Method.PARTNER_DECLARATION, intake_officer
        )
        assert agency.name in record.evidence and f"{report.batch.pk}" in record.evidence
        assert (record.purpose, record.agency) == (ConsentRecord.Purpose.PROCESSING, None)
        assert person.consent_processing_at == record.at and person.has_processing_consent
        records.append(record)
    assert not consented.consents.exists()
    consented.refresh_from_db()
    assert consented.consent_processing_at == GIVEN
    assert set(report.batch.consents.all()) == set(records)
    assert Referral.objects.filter(agency=agency).count() == 3


def test_the_preview_says_whose_consent_the_partners_declaration_records(agency):
    PersonFactory(amka=person_row(1)["amka"], consent_processing_at=None, last_name="Νικολάου")
    report = run(csv_bytes([person_row(1)]), agency, dry_run=True)

    assert "Καταγράφεται η δήλωση του συνεργαζόμενου φορέα για τη συναίνεση του προσώπου." in report.outcomes[0].detail
    assert not ConsentRecord.objects.exists()


def _with_sharing_column(rows: list[tuple[dict, str]]) -> bytes:
    """A file with the optional column: the person also consents to the agency being told what became of them."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([*GREEK_HEADER, "Συναίνεση ενημέρωσης φορέα"])
    writer.writerows([*as_records([row])[1], sharing] for row, sharing in rows)
    return buffer.getvalue().encode()


def test_the_partners_declaration_of_consent_to_share_names_the_agency(agency, intake_officer):
    other = AgencyFactory()
    consented = PersonFactory(amka=person_row(2)["amka"], consent_processing_at=GIVEN)
    content = _with_sharing_column([(person_row(1), "Ναι"), (person_row(2), "ναι"), (person_row(3), "")])
    dry = run(content, agency, dry_run=True)
    assert "Το πρόσωπο συναινεί να ενημερώνεται ο φορέας για την εξέλιξη της παραπομπής." in dry.outcomes[0].detail
    assert "ενημερώνεται ο φορέας" not in dry.outcomes[2].detail
    report = run(content, agency, intake_officer)

    assert report.created == 3
    new, third = Person.objects.get(amka=person_row(1)["amka"]), Person.objects.get(amka=person_row(3)["amka"])
    shared = ConsentRecord.objects.filter(purpose=ConsentRecord.Purpose.SHARING)
    assert {(r.person, r.agency, r.method) for r in shared} == {
        (new, agency, ConsentRecord.Method.PARTNER_DECLARATION), (consented, agency, ConsentRecord.Method.PARTNER_DECLARATION)
    }
    assert all(str(report.batch.pk) in r.evidence for r in shared)
    assert set(Person.objects.sharing_with(agency)) == {new, consented}
    assert not Person.objects.sharing_with(other).exists() and not third.may_share_with(agency)
    assert set(shared) <= set(report.batch.consents.all())
    # The change log has them, though they were written in bulk.
    assert LogEntry.objects.get_for_objects(shared).count() == 2


def test_an_unreadable_answer_to_share_refuses_the_row(agency):
    report = run(_with_sharing_column([(person_row(1), "ίσως")]), agency)
    [error] = report.errors
    assert (error.field, error.code) == ("consent_sharing", "invalid")
    assert not ConsentRecord.objects.exists()


def test_revert_takes_back_the_declared_consent_to_share(agency, supervisor):
    known = PersonFactory(amka=person_row(1)["amka"], consent_processing_at=GIVEN)
    batch = run(_with_sharing_column([(person_row(1), "Ναι")]), agency).batch
    assert known.may_share_with(agency)
    import_batch_revert(batch=batch, by=supervisor)
    assert not known.may_share_with(agency) and not known.consents.exists()
    known.refresh_from_db()
    assert known.consent_processing_at == GIVEN
