import csv
import io

from django.contrib.auth.models import Permission

from cases.models import VulnerableGroup
from privacy.fields import sees_every_group
from tests.exports.test_exports import export
from tests.factories import PersonFactory, opened_by


def rows(response):
    return list(csv.DictReader(io.StringIO(response.body.decode("utf-8-sig"))))


def test_an_at_risk_persons_phone_is_in_nobodys_export(client, supervisor, db):
    PersonFactory(last_name="Κρυφή", phone="6912345678", at_risk=True)
    client.force_login(supervisor)
    (row,) = [r for r in rows(export(client, "person")) if r["last_name"] == "Κρυφή"]
    assert row["phone"] == "" and "6912345678" not in export(client, "person").body.decode("utf-8-sig")


def test_supervisor_exports_the_gbv_group(client, supervisor, db):
    person = PersonFactory(last_name="Ομάδα")
    person.vulnerable_groups.add(VulnerableGroup.objects.get(code="gbv"))
    client.force_login(supervisor)
    (row,) = [r for r in rows(export(client, "person")) if r["last_name"] == "Ομάδα"]
    assert "gbv" in row["vulnerable_groups"]


def test_a_role_that_may_not_see_every_group_gets_no_group_column(client, placement_officer, db):
    assert not sees_every_group(placement_officer)
    placement_officer.user_permissions.add(*Permission.objects.filter(codename__in=["export_person", "view_person"]))
    person = PersonFactory(last_name="Ομάδα")
    person.vulnerable_groups.add(VulnerableGroup.objects.get(code="gbv"))
    opened_by(person, placement_officer)
    client.force_login(placement_officer)
    response = export(client, "person")
    assert response.status_code == 200
    assert "vulnerable_groups" not in response.body.decode("utf-8-sig").splitlines()[0]
    assert "gbv" not in response.body.decode("utf-8-sig")
