import pytest
from django.core.exceptions import PermissionDenied
from viewflow.workflow.status import STATUS

from cases.models import Case, Referral
from tests.factories import ReferralFactory
from tests.workflows.conftest import as_user, complete_via_admin, open_steps, open_task, process_of, task_url
from workflows.corrections import task_undo
from workflows.services import referral_start

pytestmark = pytest.mark.django_db


def test_a_new_referral_reopens_a_closed_case_with_a_new_flow_and_its_history(client, new_case, intake_officer):
    complete_via_admin(client, new_case, "referral_review", intake_officer, decision="decline", reason="Όχι τώρα")
    first_process = process_of(new_case)
    again = referral_start(referral=ReferralFactory(person=new_case.person), by=intake_officer)
    assert again.pk == new_case.pk and again.stage == Case.Stage.REFERRAL_REVIEW
    assert process_of(again).pk != first_process.pk
    assert open_steps(again) == {"referral_review"}
    assert list(again.events.filter(action__in=["opened", "closed", "reopened"]).values_list("action", flat=True)) == [
        "opened", "closed", "reopened"
    ]


def test_supervisor_undoes_a_decline_made_by_mistake(client, new_case, intake_officer, supervisor):
    complete_via_admin(client, new_case, "referral_review", intake_officer, decision="decline", reason="Λάθος")
    done = process_of(new_case).task_set.get(flow_task__endswith=".referral_review")
    response = as_user(client, supervisor).post(task_url(done, "undo"), {"undo-reason": "Λάθος απόφαση"})
    assert response.url == task_url(open_task(new_case, "referral_review"))  # the step's new task, to work on
    new_case.refresh_from_db()
    assert new_case.stage == Case.Stage.REFERRAL_REVIEW and new_case.closed_on is None and new_case.outcome == ""
    assert open_steps(new_case) == {"referral_review"}
    assert open_task(new_case, "referral_review").owner_permission == "workflows.can_review_referral"
    assert new_case.referrals.get().status == Referral.Status.RECEIVED
    assert done.__class__.objects.get(pk=done.pk).status == STATUS.REVIVED  # kept, not deleted


def test_undo_is_refused_once_the_next_step_has_been_done(client, new_case, intake_officer, supervisor):
    complete_via_admin(client, new_case, "referral_review", intake_officer, decision="accept")
    complete_via_admin(client, new_case, "intake", intake_officer, outcome="held", identity_confirmed="on",
                       consent_confirmed="on")
    done = process_of(new_case).task_set.get(flow_task__endswith=".referral_review")
    from workflows.services import TaskError

    with pytest.raises(TaskError):
        task_undo(task=done, by=supervisor, reason="x")
    assert open_steps(new_case) == {"counselling"}


def test_only_supervisors_undo(client, new_case, intake_officer):
    complete_via_admin(client, new_case, "referral_review", intake_officer, decision="accept")
    done = process_of(new_case).task_set.get(flow_task__endswith=".referral_review")
    with pytest.raises(PermissionDenied):
        task_undo(task=done, by=intake_officer, reason="x")
