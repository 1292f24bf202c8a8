"""Helpers to drive the case flow in code, as viewflow's own tests do."""
from __future__ import annotations

import pytest
from viewflow.workflow.status import STATUS

from tests.factories import ReferralFactory
from workflows.models import CaseProcess, CaseTask
from workflows.services import referral_start, task_claim


def open_task(case, step: str):
    """Return the open task of `step` for the case's current process."""
    return CaseTask.objects.get(
        process__caseprocess__case=case, flow_task__endswith=f".{step}",
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )


def open_steps(case) -> set[str]:
    tasks = CaseTask.objects.filter(process__caseprocess__case=case, status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED])
    return {t.flow_task.name for t in tasks}


def claimed(case, step: str, user):
    task = open_task(case, step)
    if task.owner_id != user.pk:
        task_claim(task=task, by=user)
    task.refresh_from_db()
    return task


@pytest.fixture
def new_case(db, intake_officer):
    return referral_start(referral=ReferralFactory(), by=intake_officer)


def process_of(case) -> CaseProcess:
    return case.processes.order_by("-pk").first()


def task_url(task, action: str | None = None) -> str:
    """The task page, or the URL one of its forms posts to (complete, claim, release, reassign, undo, cancel)."""
    from django.urls import reverse

    if action:
        return reverse(f"admin:workflows_task_{action}", args=[task.pk])
    return reverse("admin:workflows_mytask_change", args=[task.pk])


def as_user(client, user):
    client.force_login(user)
    return client


def claim_via_admin(client, case, step: str, user):
    """Claim the step's task from the task page, as `user`."""
    task = open_task(case, step)
    response = as_user(client, user).post(task_url(task, "claim"))
    assert response.status_code == 302, response.content[:500]
    return task


def complete_via_admin(client, case, step: str, user, **fields):
    """Claim the step's task if needed and submit its form, as `user`; return the response followed."""
    task = open_task(case, step)
    if task.owner_id != user.pk:
        claim_via_admin(client, case, step, user)
    data = {f"step-{k}": v for k, v in fields.items()}
    return as_user(client, user).post(task_url(task, "complete"), data, follow=True)


def reseed_migration_data() -> None:
    """Put back the rows the data migrations create (role groups, vocabularies, service levels).

    A transactional test (two real connections, or the live server) ends with a flush of every table; the next
    one would find no groups. serialized_rollback does not restore them reliably once the live server has run,
    so the data migrations' own functions are run again (they are idempotent) on the migrations' model state.
    """
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    state_apps = MigrationExecutor(connection).loader.project_state().apps
    for module, function in [
        ("cases.migrations.0002_vulnerable_groups", "seed"), ("cases.migrations.0003_roles", "create_roles"),
        ("cases.migrations.0004_admin_theme", "apply_theme"), ("cases.migrations.0005_supervisor_login_audit", "grant"),
        ("workflows.migrations.0002_service_levels", "seed"), ("workflows.migrations.0004_role_permissions", "grant"),
        ("imports.migrations.0002_roles", "grant"), ("workflows.migrations.0006_consider_referral", "seed"),
        ("cases.migrations.0007_read_consent_records_and_corrections", "grant"),
        ("exports.migrations.0002_export_log_permissions", "grant"), ("privacy.migrations.0002_roles", "grant"),
        ("audit.migrations.0003_roles", "grant"),
    ]:
        getattr(import_module(module), function)(state_apps, None)


@pytest.fixture
def reseeded(transactional_db):
    reseed_migration_data()


@pytest.fixture
def in_services(client, new_case, intake_officer, counsellor):
    complete_via_admin(client, new_case, "referral_review", intake_officer, decision="accept")
    complete_via_admin(client, new_case, "intake", intake_officer, outcome="held", identity_confirmed="on",
                       consent_confirmed="on")
    complete_via_admin(client, new_case, "counselling", counsellor, text="Κατάρτιση", person_agreed="on",
                       needs_training="on")
    assert open_steps(new_case) == {"training", "services_done"}
    return new_case
