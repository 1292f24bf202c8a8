"""Retention: refused rows and previews after 30 days, people after their cases' retention period, legal holds
exempt; a dry run by default, with a report (issue 12)."""
import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from cases.models import Case, Person
from imports.models import ImportBatch, RejectedRow
from imports.services import referral_import
from privacy.models import LegalHold
from privacy.retention import apply_retention
from tests.factories import AgencyFactory, PersonFactory, ReferralFactory
from tests.imports.conftest import csv_bytes, person_row
from tests.privacy.files import declined_person, fill_file, statistics
from workflows.corrections import case_withdraw
from workflows.services import referral_start

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=datetime.UTC)


def days_later(days: int):
    return time_machine.travel(NOW + datetime.timedelta(days=days), tick=False)


def upload(content: bytes, *, dry_run: bool, by):
    file = io.BytesIO(content)
    file.name = "referrals.csv"
    return referral_import(file=file, agency=AgencyFactory(code="KK"), by=by, dry_run=dry_run)


def retention(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_refused_rows_and_previews_go_after_30_days_and_the_dry_run_changes_nothing(intake_officer):
    rows = csv_bytes([person_row(1), person_row(2, consent="Όχι"), person_row(3, amka="123")])
    with days_later(0):
        upload(rows, dry_run=True, by=intake_officer)
        imported = upload(rows, dry_run=False, by=intake_officer).batch
    assert (ImportBatch.objects.count(), RejectedRow.objects.count()) == (2, 4)
    with days_later(29):
        assert "Refused import rows older than 30 days would be deleted: 0" in retention()
    with days_later(31):
        report = retention()
        assert "Dry run: nothing was changed." in report
        assert "Refused import rows older than 30 days would be deleted: 4" in report
        assert "Unconfirmed preview batches would be deleted: 1" in report
        assert (ImportBatch.objects.count(), RejectedRow.objects.count()) == (2, 4)
        assert "Refused import rows older than 30 days deleted: 4" in retention("--apply")
    assert list(ImportBatch.objects.values_list("pk", "rejected")) == [(imported.pk, 2)]  # the counts stay
    assert RejectedRow.objects.count() == 0
    assert Person.objects.filter(anonymised_at=None).count() == 1  # her case is under way
    run = AccessEvent.objects.get(action=AccessEvent.Action.RETENTION)
    assert (run.details["rejected_rows"], run.details["preview_batches"]) == (4, 1)


def test_people_are_anonymised_after_their_outcomes_period_unless_a_case_is_on_hold(intake_officer, supervisor, counsellor):
    with days_later(0):
        declined = declined_person(intake_officer)
        fill_file(declined, by=supervisor)
        held = declined_person(intake_officer, person__last_name="Νικολάου")
        LegalHold.objects.create(case=held, reason="Δικαστική υπόθεση", placed_by=supervisor)
        withdrawn = referral_start(referral=ReferralFactory(), by=intake_officer)
        case_withdraw(case=withdrawn, by=supervisor, outcome=Case.Outcome.WITHDREW, reason="Μετακόμισε")
        counted = statistics()
    with days_later(366):
        report = apply_retention(dry_run=True)
        assert (report.people, report.held, dict(report.cases_by_outcome)) == ([declined.person_id], 1, {"declined": 1})
        assert Person.objects.filter(anonymised_at__isnull=False).count() == 0
        apply_retention(dry_run=False)
        assert list(Person.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)) == [declined.person_id]
    with days_later(6 * 365):
        apply_retention(dry_run=False)
    anonymised = set(Person.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True))
    assert anonymised == {declined.person_id, withdrawn.person_id}  # the held one is kept as it is
    assert Person.objects.get(pk=held.person_id).last_name == "Νικολάου"
    assert statistics() == counted  # the funder's counts do not change
    events = AccessEvent.objects.filter(action=AccessEvent.Action.ANONYMISED)
    assert {(e.person_id, e.details["grounds"]) for e in events} == {(declined.person_id, "retention"), (withdrawn.person_id, "retention")}


def test_the_periods_are_configurable_per_outcome(settings, intake_officer, supervisor):
    settings.GEFYRA_RETENTION_DAYS = {"default": 1825, "declined": 10}
    with days_later(0):
        declined = declined_person(intake_officer)
    with days_later(9):
        assert apply_retention().people == []
    with days_later(11):
        assert apply_retention().people == [declined.person_id]


def test_people_never_referred_go_after_a_year_and_waiting_referrals_keep_theirs(intake_officer):
    with days_later(0):
        entered = PersonFactory()
        waiting = ReferralFactory().person
    with days_later(366):
        assert apply_retention().people == [entered.pk]
        assert waiting.pk not in apply_retention().people


def test_anonymised_people_are_not_anonymised_twice(intake_officer):
    with days_later(0):
        declined = declined_person(intake_officer)
    with days_later(400):
        apply_retention(dry_run=False)
        assert apply_retention(dry_run=False).people == []
    assert AccessEvent.objects.filter(action=AccessEvent.Action.ANONYMISED, person_id=declined.person_id).count() == 1
    assert timezone.now() > NOW


def test_a_misspelt_outcome_in_the_retention_setting_fails_the_system_check(settings):
    from privacy.checks import check_retention_periods

    settings.GEFYRA_RETENTION_DAYS = {"default": 1825, "declned": 365}
    [error] = check_retention_periods()
    assert (error.id, "declned" in error.msg) == ("privacy.E002", True)
    settings.GEFYRA_RETENTION_DAYS = {"default": 1825, "declined": 365}
    assert check_retention_periods() == []


def test_a_supervisor_places_a_legal_hold_from_the_admin_and_it_names_them(client, supervisor, intake_officer):
    case = declined_person(intake_officer)
    client.force_login(supervisor)
    response = client.post(reverse("admin:privacy_legalhold_add"), {"case": case.pk, "reason": "Δίκη 12/2027"})
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.case, hold.placed_by, hold.reason) == (case, supervisor, "Δίκη 12/2027")
    with days_later(400):
        assert apply_retention().held == 1
