"""The parallel services: revising the plan, withdrawing, cancelling a branch."""
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from viewflow.workflow.status import PROCESS, STATUS

from cases.models import Case
from tests.workflows.conftest import as_user, complete_via_admin, open_steps, open_task, process_of, task_url

pytestmark = pytest.mark.django_db


def test_counsellor_revising_the_plan_starts_a_branch_the_join_then_waits_for(
    client, in_services, counsellor, training_officer, accountant
):
    as_user(client, counsellor).post(reverse("admin:workflows_case_revise", args=[in_services.pk]), {
        "revise-text": "Ρύθμιση οφειλών στην εφορία", "revise-needs_accounting": "on",
    })
    assert open_steps(in_services) == {"training", "accounting", "services_done"}
    assert in_services.events.filter(action="plan_revised", by=counsellor).exists()

    complete_via_admin(client, in_services, "training", training_officer, outcome="ok", course="Excel")
    assert "placement" not in open_steps(in_services)
    complete_via_admin(client, in_services, "accounting", accountant, outcome="ok", topic="tax_debts")
    assert open_steps(in_services) == {"placement"}


def test_withdrawing_during_services_cancels_open_tasks_and_deletes_nothing(client, in_services, counsellor):
    process = process_of(in_services)
    tasks_before = process.task_set.count()
    as_user(client, counsellor).post(reverse("admin:workflows_case_withdraw", args=[in_services.pk]), {
        "withdraw-outcome": "withdrew", "withdraw-reason": "Βρήκε δουλειά μόνος του",
    })
    in_services.refresh_from_db()
    process.refresh_from_db()
    assert in_services.stage == Case.Stage.CLOSED and in_services.outcome == Case.Outcome.WITHDREW
    assert process.status == PROCESS.CANCELED
    assert process.task_set.count() == tasks_before
    assert process.task_set.get(flow_task_type="HUMAN", flow_task__endswith=".training").status == STATUS.CANCELED
    assert in_services.events.filter(action="closed", reason="Βρήκε δουλειά μόνος του", by=counsellor).exists()


def test_a_training_officer_cannot_close_a_case(in_services, training_officer):
    from workflows.corrections import case_withdraw

    with pytest.raises(PermissionDenied):
        case_withdraw(case=in_services, by=training_officer, outcome="withdrew", reason="x")


def test_supervisor_cancelling_the_last_open_branch_lets_the_join_go_on(client, in_services, supervisor):
    task = open_task(in_services, "training")
    as_user(client, supervisor).post(task_url(task, "cancel"), {"cancel-reason": "Άνοιξε κατά λάθος"})
    in_services.refresh_from_db()
    assert open_steps(in_services) == {"placement"} and in_services.stage == Case.Stage.PLACEMENT


def test_a_counsellor_cannot_open_a_training_task(client, in_services, counsellor):
    response = as_user(client, counsellor).get(task_url(open_task(in_services, "training")))
    assert response.status_code == 403
