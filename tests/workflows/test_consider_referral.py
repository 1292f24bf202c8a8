"""A new referral for a person whose case is under way reaches someone: a task to consider it."""
import pytest

from cases.models import Case, CaseEvent, Referral
from tests.factories import ReferralFactory
from tests.workflows.conftest import complete_via_admin, open_steps, open_task
from workflows.services import referral_take_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_counselling(client, new_case, intake_officer):
    complete_via_admin(client, new_case, "referral_review", intake_officer, decision="accept")
    complete_via_admin(client, new_case, "intake", intake_officer, outcome="held", identity_confirmed="on",
                       consent_confirmed="on")
    return new_case


def test_a_referral_for_an_open_case_joins_it_and_its_key_worker_gets_a_task(in_counselling, counsellor, intake_officer):
    Case.objects.filter(pk=in_counselling.pk).update(key_worker=counsellor)
    referral = ReferralFactory(person=in_counselling.person, reason="Στέγαση")

    assert referral_take_in(referral=referral, by=intake_officer).pk == in_counselling.pk
    referral.refresh_from_db()
    assert referral.case == in_counselling and referral.status == Referral.Status.RECEIVED
    task = open_task(in_counselling, "consider_referral")
    assert task.owner == counsellor and task.status == "ASSIGNED" and task.assigned is not None
    assert task.data == {"referral": referral.pk} and task.scheduled is not None
    assert open_steps(in_counselling) == {"counselling", "consider_referral"}  # the case's own step goes on
    assert in_counselling.events.filter(action=CaseEvent.Action.REFERRAL_ADDED, reason=str(referral)).exists()


def test_without_a_key_worker_the_counsellors_queue_gets_it(in_counselling, intake_officer):
    referral_take_in(referral=ReferralFactory(person=in_counselling.person), by=intake_officer)
    task = open_task(in_counselling, "consider_referral")
    assert task.owner is None and task.owner_permission == "workflows.can_counsel"


def test_considering_the_referral_decides_it_and_leaves_the_case_where_it_was(client, in_counselling, counsellor, intake_officer):
    referral = ReferralFactory(person=in_counselling.person, reason="Στέγαση")
    referral_take_in(referral=referral, by=intake_officer)
    complete_via_admin(client, in_counselling, "consider_referral", counsellor, decision="accept", reason="Στο σχέδιο")
    referral.refresh_from_db()
    in_counselling.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED and referral.decided_by == counsellor
    assert in_counselling.stage == Case.Stage.COUNSELLING and open_steps(in_counselling) == {"counselling"}
    assert in_counselling.events.filter(action=CaseEvent.Action.REFERRAL_CONSIDERED, by=counsellor).exists()


def test_declining_a_joined_referral_needs_the_reason_for_the_agency(client, in_counselling, counsellor, intake_officer):
    referral = ReferralFactory(person=in_counselling.person)
    referral_take_in(referral=referral, by=intake_officer)
    complete_via_admin(client, in_counselling, "consider_referral", counsellor, decision="decline")
    assert "consider_referral" in open_steps(in_counselling)
    complete_via_admin(client, in_counselling, "consider_referral", counsellor, decision="decline", reason="Ήδη σε άλλη δομή")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED and referral.decline_reason == "Ήδη σε άλλη δομή"


def test_the_task_page_shows_the_new_referral_to_consider(client, in_counselling, counsellor, intake_officer):
    from tests.workflows.conftest import as_user, task_url

    referral = ReferralFactory(person=in_counselling.person, reason="Νομική βοήθεια για άδεια διαμονής")
    referral_take_in(referral=referral, by=intake_officer)
    page = as_user(client, counsellor).get(task_url(open_task(in_counselling, "consider_referral")))
    assert page.status_code == 200
    assert "Νομική βοήθεια για άδεια διαμονής" in page.content.decode()
