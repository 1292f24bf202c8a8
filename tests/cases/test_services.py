import pytest
from django.core.exceptions import ValidationError

from cases.models import Case
from cases.services import case_open, consent_withdraw, placement_record
from tests.factories import CaseFactory, EmployerFactory, PersonFactory, PlacementFactory, ReferralFactory


@pytest.mark.django_db
def test_case_cannot_be_opened_without_processing_consent(intake_officer):
    referral = ReferralFactory(person=PersonFactory(consent_processing_at=None))
    with pytest.raises(ValidationError) as exc:
        case_open(referral=referral, by=intake_officer)
    assert exc.value.error_dict["person"][0].code == "no_consent"
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_case_cannot_be_opened_after_consent_is_withdrawn(intake_officer):
    person = PersonFactory()
    consent_withdraw(person=person, by=intake_officer)
    with pytest.raises(ValidationError):
        case_open(referral=ReferralFactory(person=person), by=intake_officer)


@pytest.mark.django_db
def test_case_open_records_the_opening_on_the_timeline(intake_officer):
    case = case_open(referral=ReferralFactory(), by=intake_officer)
    assert case.stage == Case.Stage.REFERRAL_REVIEW
    assert list(case.events.values_list("action", "by__username")) == [("opened", "intake")]


@pytest.mark.django_db
def test_new_referral_reopens_a_closed_case_and_keeps_its_history(intake_officer):
    first = ReferralFactory()
    case = case_open(referral=first, by=intake_officer)
    case.stage, case.closed_on, case.outcome = Case.Stage.CLOSED, case.opened_on, Case.Outcome.LOST_CONTACT
    case.save()
    again = case_open(referral=ReferralFactory(person=first.person), by=intake_officer)
    assert again.pk == case.pk
    assert again.stage == Case.Stage.REFERRAL_REVIEW and again.outcome == ""
    assert [e.action for e in again.events.all()] == ["opened", "reopened"]
    assert again.referrals.count() == 2


@pytest.mark.django_db
def test_placement_schedules_follow_ups_at_1_3_6_12_months(placement_officer):
    placement = PlacementFactory.build(case=CaseFactory(), employer=EmployerFactory())
    placement_record(placement=placement, by=placement_officer)
    dues = list(placement.follow_ups.values_list("months", "due_on"))
    assert [(m, d.isoformat()) for m, d in dues] == [
        (1, "2026-02-15"), (3, "2026-04-15"), (6, "2026-07-15"), (12, "2027-01-15"),
    ]
