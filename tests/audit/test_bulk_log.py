import pytest
from auditlog.models import LogEntry

from cases.models import Case, Person, Referral, VulnerableGroup
from imports.services import referral_import
from tests.factories import PersonFactory, ReferralFactory
from tests.imports.conftest import csv_bytes, person_row
from workflows.services import referral_start_many

pytestmark = pytest.mark.django_db


def creates_of(model, actor):
    return LogEntry.objects.get_for_model(model).filter(action=LogEntry.Action.CREATE, actor=actor)


def test_an_import_logs_each_person_and_referral_it_creates(agency, intake_officer, tmp_path):
    path = tmp_path / "partner.csv"
    path.write_bytes(csv_bytes([person_row(1), person_row(2)]))
    with path.open("rb") as file:
        referral_import(file=file, agency=agency, by=intake_officer)
    people = creates_of(Person, intake_officer).filter(additional_data__channel="import")
    referrals = creates_of(Referral, intake_officer).filter(additional_data__channel="import")
    assert sorted(int(e.object_pk) for e in people) == sorted(Person.objects.values_list("pk", flat=True))
    assert sorted(int(e.object_pk) for e in referrals) == sorted(Referral.objects.values_list("pk", flat=True))
    entry = people.first()
    assert entry.changes["last_name"] == [None, Person.objects.get(pk=entry.object_pk).last_name]


def test_a_bulk_start_logs_the_cases_it_opens(intake_officer):
    cases = referral_start_many(referrals=[ReferralFactory(), ReferralFactory()], by=intake_officer)
    logged = creates_of(Case, intake_officer).values_list("object_pk", flat=True)
    assert sorted(map(int, logged)) == sorted(c.pk for c in cases)


def test_an_import_logs_the_vulnerable_groups_it_links_new_and_known_people_to(agency, intake_officer, tmp_path):
    known = PersonFactory(amka=person_row(2)["amka"])
    path = tmp_path / "partner.csv"
    path.write_bytes(csv_bytes([person_row(1, vulnerable_groups="gbv"), person_row(2, vulnerable_groups="Άστεγος/η")]))
    with path.open("rb") as file:
        referral_import(file=file, agency=agency, by=intake_officer)
    new = Person.objects.get(amka=person_row(1)["amka"])
    for person, code in ((new, "gbv"), (known, "homeless")):
        [entry] = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE, actor=intake_officer,
                                                                 changes__has_key="vulnerable_groups")
        change = entry.changes["vulnerable_groups"]
        assert (change["operation"], change["objects"]) == ("add", [str(VulnerableGroup.objects.get(code=code))])
        assert entry.additional_data["channel"] == "import"
