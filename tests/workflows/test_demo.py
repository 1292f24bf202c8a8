import pytest
from django.core.management import call_command
from viewflow.workflow.status import STATUS

from cases.models import Case
from workflows.models import CaseProcess, CaseTask
from workflows.steps import STAGE_OF_NODE

pytestmark = pytest.mark.django_db


def test_demo_cases_get_a_process_with_the_tasks_of_their_stage():
    call_command("demo_data", people=60)
    call_command("demo_data", people=60)  # idempotent
    assert CaseProcess.objects.count() == Case.objects.count() == 60
    for case in Case.objects.open():
        open_tasks = CaseTask.objects.filter(process__caseprocess__case=case, status__in=[
            STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED])
        assert {STAGE_OF_NODE[t.flow_task.name] for t in open_tasks} == {case.stage}, case.stage


def test_a_demo_service_branch_can_be_completed_and_joins(client):
    from django.contrib.auth import get_user_model

    from workflows import step_services
    from workflows.services import task_claim

    call_command("demo_data", people=60)
    branch = CaseTask.objects.filter(flow_task_type="HUMAN", status=STATUS.NEW, flow_task__endswith=".training").first()
    case = branch.process.caseprocess.case
    trainer = get_user_model().objects.get(username="trainer")
    for task in CaseTask.objects.filter(process=branch.process, flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED]):
        owner = get_user_model().objects.get(username={"training": "trainer", "legal_advice": "lawyer", "accounting": "accountant"}[task.flow_task.name])
        if task.owner_id is None:
            task_claim(task=task, by=owner)
            task.refresh_from_db()
        step_services.service_complete(task=task, by=owner, outcome="ok",
                               details={"course": "x"} if owner == trainer else {"topic": "other"})
    case.refresh_from_db()
    assert case.stage == Case.Stage.PLACEMENT


def test_a_demo_case_declined_at_review_closes_like_any_other():
    from django.contrib.auth import get_user_model

    from workflows import step_services
    from workflows.services import task_claim

    call_command("demo_data", people=60)
    review = CaseTask.objects.filter(flow_task__endswith=".referral_review", status=STATUS.NEW).first()
    intake = get_user_model().objects.get(username="intake")
    task_claim(task=review, by=intake)
    review.refresh_from_db()
    step_services.referral_decline(task=review, by=intake, reason="Εκτός περιοχής")
    case = review.process.caseprocess.case
    case.refresh_from_db()
    # The End closes a process only when every earlier task is finished: the demo's start task must be too.
    assert review.process.caseprocess.__class__.objects.get(pk=review.process_id).status == "DONE"
    assert case.stage == Case.Stage.CLOSED
