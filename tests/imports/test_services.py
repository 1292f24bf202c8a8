import datetime
import io

import pytest
import time_machine
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import Case, CaseEvent, Person, Referral, VulnerableGroup
from imports import services
from imports.matching import PeopleIndex
from imports.models import EarlierRowKey, ImportBatch
from imports.reading import FileError
from imports.services import referral_import
from tests.factories import PersonFactory, ReferralFactory, make_amka
from tests.imports.conftest import (
    ENGLISH_HEADER,
    GREEK_HEADER,
    as_records,
    case_under_way,
    csv_bytes,
    person_row,
    xlsx_bytes,
)
from workflows.flows import CaseFlow
from workflows.models import CaseProcess


def run(content: bytes, agency, by=None, dry_run=False, name="referrals.csv"):
    file = io.BytesIO(content)
    file.name = name
    return referral_import(file=file, agency=agency, by=by, dry_run=dry_run)


def errors_of(report):
    return {(e.row, e.field, e.code) for e in report.errors}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1253"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_in_every_encoding_and_delimiter_imports_clean_people(agency, intake_officer, encoding, delimiter):
    report = run(csv_bytes([person_row(1), person_row(2)], encoding=encoding, delimiter=delimiter), agency, intake_officer)

    assert (report.rows, report.created, report.duplicates, report.errors) == (2, 2, 0, [])
    referral = Referral.objects.get(agency=agency, agency_ref="KK-0001")
    person = referral.person
    assert (person.last_name, person.first_name, person.father_name) == ("Παπαδοπουλος", "Μαριαβ", "Γεώργιος")
    assert person.sex == "F" and person.phone == "+306971234567" and person.nationality == "GR"
    assert sorted(person.vulnerable_groups.values_list("code", flat=True)) == ["gmi", "homeless"]
    assert person.has_processing_consent and person.search_text.startswith("παπαδοπουλοσ")
    assert referral.referral_date == datetime.date(2024, 4, 3)
    assert referral.case.stage == Case.Stage.REFERRAL_REVIEW
    assert referral.case.events.filter(action="opened").exists()
    assert referral.processes.get().case == referral.case  # the case flow was started through referral_start
    batch = report.batch
    assert (batch.status, batch.rows, batch.created, batch.created_by) == ("imported", 2, 2, intake_officer)
    assert batch.referrals.count() == 2 and batch.people.count() == 2 and batch.cases.count() == 2


def test_xlsx_with_date_cells_and_numeric_amka(agency):
    birth = datetime.date(1985, 1, 2)
    amka = make_amka(birth, 77)  # starts with 0: Excel keeps it as the number 201857...
    assert amka.startswith("0")
    record = ["R-1", datetime.datetime(2024, 4, 3), "Νικολάου", "Ελένη", "", birth, "F", int(amka), "", 6971234567,
              "", "Greece", "refugee", "Γραμμή 1\nΓραμμή 2", "Yes"]
    report = run(xlsx_bytes([ENGLISH_HEADER, record]), agency, name="refs.xlsx")

    assert report.errors == [] and report.created == 1
    person = Person.objects.get(amka=amka)
    assert person.birth_date == birth and person.phone == "+306971234567"
    assert Referral.objects.get(agency_ref="R-1").reason == "Γραμμή 1\nΓραμμή 2"
    assert report.batch.file_format == "xlsx"


def test_xlsx_excel_serial_dates_and_rows_as_excel_shows_them(agency):
    records = as_records([person_row(1, birth_date=31000), person_row(2, birth_date="not a date")])
    records.insert(2, [None] * 15)  # a blank row 3 in Excel
    report = run(xlsx_bytes(records), agency, name="refs.xlsx")

    assert Person.objects.get().birth_date == datetime.date(1984, 11, 14)
    assert errors_of(report) == {(4, "birth_date", "invalid_date")}


def test_every_error_code_with_row_and_english_field(agency):
    rows = [
        person_row(1, last_name=""),                                 # row 2: required
        person_row(2, birth_date="31/02/1990"),                      # row 3: invalid_date
        person_row(3, birth_date="01/01/2999"),                      # row 4: future_date
        person_row(4, amka="01018012346"),                           # row 5: checksum (AMKA)
        person_row(5, afm="123456789"),                              # row 6: checksum (AFM)
        person_row(6, vulnerable_groups="homeless, astronaut"),      # row 7: unknown_value
        person_row(7, consent="Όχι"),                                # row 8: no_consent
        person_row(8, email="not-an-email", phone="12"),             # row 9: invalid ×2
        person_row(9),                                               # row 10: fine
    ]
    report = run(csv_bytes(rows), agency)

    assert errors_of(report) == {
        (2, "last_name", "required"), (3, "birth_date", "invalid_date"), (4, "birth_date", "future_date"),
        (5, "amka", "checksum"), (6, "afm", "checksum"), (7, "vulnerable_groups", "unknown_value"),
        (8, "consent", "no_consent"), (9, "email", "invalid"), (9, "phone", "invalid"),
    }
    assert all(e.message for e in report.errors)
    assert (report.rows, report.created) == (9, 1)
    assert list(Referral.objects.values_list("agency_ref", flat=True)) == ["KK-0009"]
    batch = report.batch
    assert batch.rejected == 8
    rejected = batch.rejected_rows.get(row_number=9)
    assert rejected.values[GREEK_HEADER.index("Email")] == "not-an-email"
    assert {e["code"] for e in rejected.errors} == {"invalid"}


def test_row_numbers_count_records_not_physical_lines(agency):
    rows = [person_row(1, reason="α\r\nβ\r\nγ\r\nδ"), person_row(2, reason="ε\nζ"), person_row(3, amka="123")]
    report = run(csv_bytes(rows), agency)
    assert errors_of(report) == {(4, "amka", "invalid")}


def test_messages_follow_the_users_language(agency):
    from django.utils import translation

    with translation.override("en"):
        report = run(csv_bytes([person_row(1, consent="")]), agency)
    assert report.errors[0].code == "no_consent" and "consent" in report.errors[0].message


def test_duplicates_in_file_and_in_database_are_skipped(agency):
    ReferralFactory(agency=agency, agency_ref="KK-0003")
    rows = [person_row(1), person_row(2), person_row(1), person_row(3)]
    report = run(csv_bytes(rows), agency)

    assert (report.rows, report.created, report.duplicates, report.errors) == (4, 2, 2, [])
    assert {(o.row, o.action) for o in report.outcomes} == {(2, "create"), (3, "create"), (4, "duplicate"), (5, "duplicate")}
    assert Referral.objects.filter(agency=agency).count() == 3


def test_importing_the_same_file_twice_creates_nothing_the_second_time(agency):
    content = csv_bytes([person_row(1), person_row(2), person_row(3, amka="bad")])
    first = run(content, agency)
    counts = (Person.objects.count(), Referral.objects.count(), Case.objects.count())
    second = run(content, agency)

    assert (first.created, second.created, second.duplicates, len(second.errors)) == (2, 0, 2, 1)
    assert (Person.objects.count(), Referral.objects.count(), Case.objects.count()) == counts
    assert first.batch.checksum == second.batch.checksum


def test_existing_person_matched_by_amka_not_created_twice(agency):
    known = PersonFactory(amka=person_row(1)["amka"], last_name="Παπαδοπούλου", consent_processing_at=None)
    report = run(csv_bytes([person_row(1)]), agency)

    assert report.created == 1 and "υπάρχον πρόσωπο: Παπαδοπούλου" in report.outcomes[0].detail
    referral = Referral.objects.get()
    assert referral.person == known and Person.objects.count() == 1
    known.refresh_from_db()
    assert known.last_name == "Παπαδοπούλου" and known.has_processing_consent
    assert report.batch.people.count() == 0 and report.batch.people_matched == 1


def test_a_known_persons_blank_fields_and_new_groups_are_added_never_overwritten(agency):
    known = PersonFactory(amka=person_row(1)["amka"], afm=None, phone="", father_name="Κώστας")
    known.vulnerable_groups.add(VulnerableGroup.objects.get(code="gmi"))
    report = run(csv_bytes([person_row(1)]), agency)

    known.refresh_from_db()
    row = person_row(1)
    assert (known.afm, known.phone, known.email) == (row["afm"], "+306971234567", row["email"])
    assert known.father_name == "Κώστας" and known.sex == Person.Sex.MALE  # what the centre recorded stays
    assert row["afm"] in known.search_text
    assert sorted(known.vulnerable_groups.values_list("code", flat=True)) == ["gmi", "homeless"]
    assert report.batch.updated_people == [
        {"person": known.pk, "fields": {"afm": row["afm"], "phone": "+306971234567", "email": row["email"], "nationality": "GR"},
         "groups": ["homeless"]}
    ]
    assert report.batch.people_completed == 1


def test_person_without_identifiers_matched_by_name_and_birth_date(agency):
    known = PersonFactory(amka=None, last_name="Παπαδόπουλος", first_name="Μαρία", birth_date=datetime.date(1990, 5, 6))
    run(csv_bytes([person_row(1, amka="", afm="", last_name="ΠΑΠΑΔΟΠΟΥΛΟΣ", first_name="μαρια", birth_date="6/5/1990")]), agency)
    assert Referral.objects.get().person == known


def test_referral_for_someone_with_an_open_case_joins_that_case_for_its_key_worker_to_consider(agency, intake_officer, counsellor):
    known = PersonFactory(amka=person_row(1)["amka"])
    case = case_under_way(known, key_worker=counsellor)
    process = case.processes.get()
    report = run(csv_bytes([person_row(1)]), agency, intake_officer)

    assert (report.created, report.errors) == (1, []) and f"{case.pk}" in report.outcomes[0].detail
    referral = Referral.objects.get(agency=agency)
    assert referral.case == case and referral.person == known and referral.status == Referral.Status.RECEIVED
    assert list(Case.objects.all()) == [case] and list(CaseProcess.objects.all()) == [process]  # no second case or flow
    event = case.events.get(action=CaseEvent.Action.REFERRAL_ADDED)
    assert (event.by, event.reason) == (intake_officer, str(referral))
    task = process.task_set.get(flow_task=CaseFlow.consider_referral)
    assert (task.status, task.owner, task.data) == (STATUS.ASSIGNED, counsellor, {"referral": referral.pk})
    assert report.batch.cases.count() == 0 and report.batch.referrals.get() == referral


def test_a_referral_joining_a_case_without_a_key_worker_goes_to_the_counsellors_queue(agency, counsellor):
    case = case_under_way(PersonFactory(amka=person_row(1)["amka"]))
    run(csv_bytes([person_row(1)]), agency)

    task = case.processes.get().task_set.get(flow_task=CaseFlow.consider_referral)
    assert task.status == STATUS.NEW and task.owner is None
    assert Task.objects.user_queue(counsellor).filter(pk=task.pk).exists()


def test_same_person_twice_in_a_file_is_refused_the_second_time(agency):
    report = run(csv_bytes([person_row(1), person_row(2, amka=person_row(1)["amka"], afm="")]), agency)
    assert report.created == 1 and errors_of(report) == {(3, "amka", "invalid")}


def test_closed_case_is_reopened(agency):
    known = PersonFactory(amka=person_row(1)["amka"], afm=person_row(1)["afm"])
    case = Case.objects.create(person=known, stage=Case.Stage.CLOSED, closed_on=datetime.date(2023, 1, 1), outcome="withdrew")
    report = run(csv_bytes([person_row(1)]), agency)
    case.refresh_from_db()
    assert case.stage == Case.Stage.REFERRAL_REVIEW and Referral.objects.get().case == case
    assert report.batch.reopened == [{"case": case.pk, "stage": "closed", "outcome": "withdrew", "closed_on": "2023-01-01"}]


def test_dry_run_reports_the_same_and_writes_nothing_but_the_batch(agency):
    content = csv_bytes([person_row(1), person_row(2, amka="1"), person_row(1)])
    dry = run(content, agency, dry_run=True)

    assert (dry.rows, dry.created, dry.duplicates, len(dry.errors)) == (3, 1, 1, 1)
    assert (Person.objects.count(), Referral.objects.count(), Case.objects.count()) == (0, 0, 0)
    assert dry.batch.dry_run and dry.batch.status == ImportBatch.Status.PREVIEWED
    real = run(content, agency)
    assert real.as_json() == dry.as_json()


def test_a_file_read_in_chunks_decides_every_row_as_a_whole_file_would(agency, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    same = {"last_name": "Νικολάου", "first_name": "Ελένη", "birth_date": "02/01/1985"}
    rows = [
        person_row(1), person_row(2),
        person_row(1),  # row 4, next chunk: a duplicate of row 2, already written by a real import
        person_row(5, **same),
        person_row(6, amka="", afm="", **same),  # row 6: matched by name to nobody, in a dry run and a real one alike
        person_row(7, amka=person_row(2)["amka"], afm=""),  # the person of row 3 again
        person_row(8, amka="12345678901"),
    ]
    content = csv_bytes(rows)
    seen = []
    # Earlier chunks are remembered in the database, not in memory, and only while the import runs: reference,
    # AMKA and AFM of each accepted row (rows 2, 3, 5), reference and name of row 6; nothing of rows 4, 7 and 8.
    progress = lambda n, f: seen.append((n, f, EarlierRowKey.objects.count()))  # noqa: E731
    dry = referral_import(file=io.BytesIO(content), agency=agency, by=None, dry_run=True, progress=progress)
    real = run(content, agency)

    assert [n for n, _f, _keys in seen] == [2, 4, 6, 7] and seen[-1][1] == 1.0 and all(0 < f <= 1 for _n, f, _keys in seen)
    assert [keys for _n, _f, keys in seen] == [6, 9, 11, 11] and not EarlierRowKey.objects.exists()
    assert real.as_json() == dry.as_json()
    assert (real.rows, real.created, real.duplicates, real.rejected) == (7, 4, 1, 2)
    assert errors_of(real) == {(7, "amka", "invalid"), (8, "amka", "checksum")}
    assert Referral.objects.count() == 4 and Person.objects.count() == 4
    assert sorted(real.batch.rejected_rows.values_list("row_number", flat=True)) == [7, 8]
    assert (real.batch.rows, real.batch.created, real.batch.people_created) == (7, 4, 4)


@time_machine.travel(datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC))
def test_future_referral_date_refused_and_blank_means_today(agency):
    report = run(csv_bytes([person_row(1, referral_date="02/06/2024"), person_row(2, referral_date="")]), agency)
    assert errors_of(report) == {(2, "referral_date", "future_date")}
    assert Referral.objects.get().referral_date == datetime.date(2024, 6, 1)


@pytest.mark.parametrize("content", [b"", b"%PDF-1.4\x00\x00binary", csv_bytes([]), b"ref;name\r\n1;2\r\n"])
def test_file_level_problems_change_nothing(agency, content):
    with pytest.raises(FileError):
        run(content, agency)
    assert ImportBatch.objects.count() == 0 and Person.objects.count() == 0


def test_file_larger_than_the_limit_is_refused(agency, settings):
    settings.GEFYRA_IMPORT_MAX_BYTES = 1024
    with pytest.raises(FileError) as exc:
        run(csv_bytes([person_row(n) for n in range(30)]), agency)
    assert "1,0\xa0KB" in str(exc.value) and Referral.objects.count() == 0


def test_a_referral_the_workflow_refuses_rolls_back_the_whole_import(agency, monkeypatch):
    # The plan sees no open case, but the database does: row 3's person has had a case opened meanwhile.
    known = PersonFactory(amka=person_row(2)["amka"])
    Case.objects.create(person=known)
    index_people = PeopleIndex.__init__

    def blind_to_open_cases(index, *args, **kwargs):
        index_people(index, *args, **kwargs)
        index.open_case = {}

    monkeypatch.setattr(PeopleIndex, "__init__", blind_to_open_cases)
    with pytest.raises(FileError) as exc:
        run(csv_bytes([person_row(1), person_row(2)]), agency)
    assert "Η γραμμή 3 δεν μπόρεσε να παραληφθεί" in str(exc.value)
    assert list(Person.objects.all()) == [known] and list(Case.objects.all()) == [known.cases.get()]
    assert (Referral.objects.count(), ImportBatch.objects.count()) == (0, 0)
