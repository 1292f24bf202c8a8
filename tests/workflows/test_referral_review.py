import pytest

from cases.models import Case, Referral
from tests.factories import CaseFactory
from tests.workflows.conftest import complete_via_admin, open_steps, process_of

pytestmark = pytest.mark.django_db


def test_new_referral_gets_a_review_task_due_in_two_working_days(new_case):
    task = process_of(new_case).task_set.get(flow_task_type="HUMAN")
    assert task.flow_task.name == "referral_review"
    assert task.owner_permission == "workflows.can_review_referral"
    assert task.scheduled is not None


def test_declined_referral_keeps_the_reason_for_the_agency_and_closes_the_case(client, new_case, intake_officer):
    complete_via_admin(client, new_case, "referral_review", intake_officer, decision="decline",
                       reason="Εκτός περιοχής ευθύνης")
    new_case.refresh_from_db()
    referral = new_case.referrals.get()
    assert referral.status == Referral.Status.DECLINED
    assert referral.decline_reason == "Εκτός περιοχής ευθύνης" and referral.decided_by == intake_officer
    assert new_case.stage == Case.Stage.CLOSED and new_case.outcome == Case.Outcome.DECLINED
    assert open_steps(new_case) == set()
    assert new_case.events.filter(action="closed", reason__endswith="Εκτός περιοχής ευθύνης", by=intake_officer).exists()


def test_decline_without_a_reason_is_refused_and_the_task_stays_open(client, new_case, intake_officer):
    response = complete_via_admin(client, new_case, "referral_review", intake_officer, decision="decline", reason="")
    assert response.status_code == 200
    assert open_steps(new_case) == {"referral_review"}
    assert new_case.referrals.get().status == Referral.Status.RECEIVED


def test_duplicate_referral_is_linked_to_the_existing_case(client, new_case, intake_officer):
    existing = CaseFactory()
    complete_via_admin(client, new_case, "referral_review", intake_officer, decision="duplicate", duplicate_of=existing.pk)
    referral = Referral.objects.get(processes__case=new_case)
    assert referral.status == Referral.Status.DUPLICATE and referral.case == existing
    new_case.refresh_from_db()
    assert new_case.stage == Case.Stage.CLOSED
    assert existing.events.filter(action="duplicate_referral_linked").exists()


def test_the_key_worker_named_at_acceptance_follows_the_case(client, new_case, intake_officer, counsellor):
    complete_via_admin(client, new_case, "referral_review", intake_officer, decision="accept", key_worker=counsellor.pk)
    new_case.refresh_from_db()
    assert new_case.key_worker == counsellor
    assert new_case.events.filter(action="key_worker_assigned", reason=counsellor.get_full_name(), by=intake_officer).exists()


def test_the_review_offers_the_counsellors_by_name(client, new_case, intake_officer, counsellor):
    from workflows.forms import ReviewForm

    choices = dict(ReviewForm().fields["key_worker"].choices)
    assert counsellor.get_full_name() in choices.values() and intake_officer.get_full_name() not in choices.values()


def test_with_nobody_named_the_counsellor_who_agrees_the_plan_becomes_key_worker(new_case, intake_officer, counsellor):
    from tests.workflows.conftest import claimed
    from workflows import step_services

    step_services.referral_accept(task=claimed(new_case, "referral_review", intake_officer), by=intake_officer)
    step_services.intake_complete(task=claimed(new_case, "intake", intake_officer), by=intake_officer,
                                  identity_confirmed=True, consent_confirmed=True, assessment={})
    step_services.plan_agree(task=claimed(new_case, "counselling", counsellor), by=counsellor, person_agreed=True,
                             goals=[{"text": "Εργασία"}])
    new_case.refresh_from_db()
    assert new_case.key_worker == counsellor
