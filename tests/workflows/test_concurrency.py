"""Two people at once, on two real database connections: only meaningful on PostgreSQL.

SQLite serialises every write and has no SELECT … FOR UPDATE, so these tests run only when DATABASE_URL points
at PostgreSQL (the CI's second pass); on SQLite they are skipped with a reason that says so.
"""
import os

import pytest
from django.db import connection

from tests.factories import ReferralFactory, UserFactory
from tests.threads import together
from tests.workflows.conftest import claimed, open_steps, open_task, process_of, reseeded  # noqa: F401
from workflows import step_services
from workflows.services import TaskError, referral_start, task_claim

postgres_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="needs two PostgreSQL connections (row locks); runs in the PostgreSQL pass",
)
# The flush before each transactional test leaves no groups or service levels: "reseeded" puts them back.
pytestmark = [postgres_only, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reseeded")]


def test_two_people_claiming_the_same_task_one_wins_the_other_is_told(intake_officer):
    assert connection.vendor == "postgresql"
    case = referral_start(referral=ReferralFactory(), by=intake_officer)
    colleague = UserFactory(username="intake2", roles=["Intake officer"])
    task_id = open_task(case, "referral_review").pk
    from workflows.models import CaseTask

    results = together(
        lambda: task_claim(task=CaseTask.objects.get(pk=task_id), by=intake_officer),
        lambda: task_claim(task=CaseTask.objects.get(pk=task_id), by=colleague),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], TaskError), results
    task = CaseTask.objects.get(pk=task_id)
    winner = intake_officer if not isinstance(results[0], Exception) else colleague
    assert task.owner == winner
    assert winner.get_full_name() in str(errors[0])  # "already claimed by <winner>"
    assert case.events.filter(action="task_claimed").count() == 1


def test_two_branches_completing_at_once_join_once(intake_officer, counsellor, legal_adviser, training_officer):
    assert connection.vendor == "postgresql"
    case = referral_start(referral=ReferralFactory(), by=intake_officer)
    step_services.referral_accept(task=claimed(case, "referral_review", intake_officer), by=intake_officer)
    step_services.intake_complete(task=claimed(case, "intake", intake_officer), by=intake_officer, identity_confirmed=True,
                          consent_confirmed=True, assessment={})
    step_services.plan_agree(task=claimed(case, "counselling", counsellor), by=counsellor, person_agreed=True,
                     goals=[{"text": "Εργασία", "needs_training": True, "needs_legal_advice": True}])
    legal = claimed(case, "legal_advice", legal_adviser)
    training = claimed(case, "training", training_officer)

    results = together(
        lambda: step_services.service_complete(task=legal, by=legal_adviser, outcome="ok", details={"topic": "debts"}),
        lambda: step_services.service_complete(task=training, by=training_officer, outcome="ok", details={"course": "Excel"}),
    )
    assert not any(isinstance(r, Exception) for r in results), results
    process = process_of(case)
    assert process.task_set.filter(flow_task_type="JOIN").count() == 1
    assert process.task_set.filter(flow_task_type="HUMAN", flow_task__endswith=".placement").count() == 1
    assert open_steps(case) == {"placement"}
    case.refresh_from_db()
    assert case.stage == "placement"
