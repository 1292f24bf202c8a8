import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from viewflow.workflow.status import STATUS

from cases.models import Case, ConsentRecord, Person, Referral, VulnerableGroup
from cases.services import consent_give
from imports.models import ImportBatch
from imports.revert import import_batch_revert
from imports.services import referral_import
from tests.factories import AgencyFactory, PersonFactory, ReferralFactory
from tests.imports.conftest import case_under_way, csv_bytes, person_row
from workflows.flows import CaseFlow
from workflows.models import CaseProcess


def run(content, agency, by=None):
    return referral_import(file=io.BytesIO(content), agency=agency, by=by)


def test_revert_removes_what_the_batch_created_and_nothing_else(agency, supervisor):
    unrelated = ReferralFactory()
    known = PersonFactory(amka=person_row(2)["amka"], afm=person_row(2)["afm"])
    closed = Case.objects.create(person=known, stage=Case.Stage.CLOSED, closed_on=datetime.date(2023, 5, 1), outcome="withdrew")
    batch = run(csv_bytes([person_row(1), person_row(2)]), agency).batch

    assert CaseProcess.objects.count() == 2  # referral_start started a flow for each referral

    import_batch_revert(batch=batch, by=supervisor)

    assert list(Referral.objects.all()) == [unrelated]
    assert CaseProcess.objects.count() == 0
    assert set(Person.objects.all()) == {unrelated.person, known}
    closed.refresh_from_db()
    assert (closed.stage, closed.closed_on, closed.outcome) == ("closed", datetime.date(2023, 5, 1), "withdrew")
    assert closed.events.filter(action="import_reverted").exists()
    batch.refresh_from_db()
    assert (batch.status, batch.reverted_by) == (ImportBatch.Status.REVERTED, supervisor)


def test_revert_takes_back_what_the_batch_added_to_people_and_open_cases(agency, supervisor):
    known = PersonFactory(amka=person_row(1)["amka"], afm=None, phone="")
    known.vulnerable_groups.add(VulnerableGroup.objects.get(code="gmi"))
    case = case_under_way(known)
    batch = run(csv_bytes([person_row(1)]), agency).batch
    Person.objects.filter(pk=known.pk).update(phone="+302101234567")  # staff corrected the phone since

    import_batch_revert(batch=batch, by=supervisor)

    known.refresh_from_db()
    assert known.afm is None and known.email == "" and not known.nationality and known.phone == "+302101234567"
    assert list(known.vulnerable_groups.values_list("code", flat=True)) == ["gmi"]
    assert not Referral.objects.filter(agency=agency).exists()
    assert Case.objects.get() == case and case.stage == Case.Stage.REFERRAL_REVIEW
    assert list(case.events.values_list("action", flat=True)) == ["opened", "referral_added", "import_reverted"]


def test_revert_refused_once_a_case_moved_past_referral_review(agency, supervisor):
    batch = run(csv_bytes([person_row(1), person_row(2)]), agency).batch
    Case.objects.filter(referrals__agency_ref="KK-0002").update(stage=Case.Stage.INTAKE)

    with pytest.raises(ValidationError) as exc:
        import_batch_revert(batch=batch, by=supervisor)
    assert "έλεγχο παραπομπής" in exc.value.messages[0]
    assert Referral.objects.count() == 2
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED


def test_revert_keeps_a_person_referred_since_by_another_agency(agency, supervisor):
    batch = run(csv_bytes([person_row(1)]), agency).batch
    person = Person.objects.get()
    other = ReferralFactory(agency=AgencyFactory(code="NGO"), person=person)

    import_batch_revert(batch=batch, by=supervisor)
    assert list(Person.objects.all()) == [person] and list(Referral.objects.all()) == [other]
    person.refresh_from_db()  # the other agency's referral was taken in on the consent the file declared
    assert person.has_processing_consent and person.consents.get().method == ConsentRecord.Method.PARTNER_DECLARATION


def test_revert_twice_or_of_a_dry_run_is_refused(agency, supervisor):
    batch = run(csv_bytes([person_row(1)]), agency).batch
    import_batch_revert(batch=batch, by=supervisor)
    with pytest.raises(ValidationError):
        import_batch_revert(batch=batch, by=supervisor)
    dry = referral_import(file=io.BytesIO(csv_bytes([person_row(1)])), agency=agency, by=None, dry_run=True).batch
    with pytest.raises(ValidationError):
        import_batch_revert(batch=dry, by=supervisor)


def test_revert_refused_when_staff_have_since_recorded_work(agency, supervisor):
    from django.utils import timezone

    from cases.models import Appointment

    batch = run(csv_bytes([person_row(1)]), agency).batch
    Appointment.objects.create(person=Person.objects.get(), staff=supervisor, kind="intake", scheduled_at=timezone.now())

    with pytest.raises(ValidationError) as exc:
        import_batch_revert(batch=batch, by=supervisor)
    assert "ραντεβού" in exc.value.messages[0]
    assert Referral.objects.count() == 1 and Appointment.objects.count() == 1


def test_revert_removes_the_consent_the_batch_recorded(agency, supervisor):
    known = PersonFactory(amka=person_row(2)["amka"], consent_processing_at=None)
    batch = run(csv_bytes([person_row(1), person_row(2)]), agency).batch
    assert ConsentRecord.objects.filter(method=ConsentRecord.Method.PARTNER_DECLARATION).count() == 2

    import_batch_revert(batch=batch, by=supervisor)

    assert not ConsentRecord.objects.exists()
    assert list(Person.objects.all()) == [known]
    known.refresh_from_db()
    assert known.consent_processing_at is None and not known.has_processing_consent


def test_revert_keeps_the_consent_a_known_person_gave_again_since(agency, supervisor):
    known = PersonFactory(amka=person_row(1)["amka"], consent_processing_at=None)
    batch = run(csv_bytes([person_row(1)]), agency).batch
    declared = batch.consents.get()
    signed = consent_give(person=known, by=supervisor, method=ConsentRecord.Method.SIGNED_FORM)
    assert (declared.person, declared.at < signed.at) == (known, True)

    import_batch_revert(batch=batch, by=supervisor)

    assert list(ConsentRecord.objects.all()) == [signed]
    known.refresh_from_db()
    assert known.consent_processing_at == signed.at


def test_revert_refused_when_staff_have_since_recorded_a_new_persons_consent(agency, supervisor):
    batch = run(csv_bytes([person_row(1)]), agency).batch
    consent_give(person=Person.objects.get(), by=supervisor, method=ConsentRecord.Method.SIGNED_FORM)

    with pytest.raises(ValidationError) as exc:
        import_batch_revert(batch=batch, by=supervisor)
    assert str(ConsentRecord._meta.verbose_name_plural) in exc.value.messages[0]
    assert ConsentRecord.objects.count() == 2 and Referral.objects.count() == 1


def test_revert_cancels_the_task_to_consider_a_referral_that_joined_an_open_case(agency, supervisor, counsellor):
    case = case_under_way(PersonFactory(amka=person_row(1)["amka"]), key_worker=counsellor)
    batch = run(csv_bytes([person_row(1)]), agency).batch
    process = case.processes.get()
    task = process.task_set.get(flow_task=CaseFlow.consider_referral)

    import_batch_revert(batch=batch, by=supervisor)

    task.refresh_from_db()
    assert task.status == STATUS.CANCELED
    review = process.task_set.get(flow_task=CaseFlow.referral_review)
    assert review.status == STATUS.NEW  # the case's own step goes on
    assert not Referral.objects.filter(agency=agency).exists()


def test_revert_refused_once_the_joined_referral_has_been_considered(agency, supervisor, counsellor):
    case = case_under_way(PersonFactory(amka=person_row(1)["amka"]), key_worker=counsellor)
    batch = run(csv_bytes([person_row(1)]), agency).batch
    task = case.processes.get().task_set.get(flow_task=CaseFlow.consider_referral)
    with task.activation() as activation:
        activation.start(None)
        activation.execute()

    with pytest.raises(ValidationError) as exc:
        import_batch_revert(batch=batch, by=supervisor)
    assert f"{agency.code}/KK-0001" in exc.value.messages[0] and f"{case.pk}" in exc.value.messages[0]
    task.refresh_from_db()
    assert task.status == STATUS.DONE and Referral.objects.filter(agency=agency).exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
