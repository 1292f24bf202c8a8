"""CaseMember, which the scope reads, is what the tasks say, whatever touched them: the triggers' contract."""
import io

import pytest
from django.core.management import call_command
from django.db.models import F
from viewflow.workflow.status import STATUS

from imports.services import referral_import
from privacy.models import CaseMember
from tests.factories import AgencyFactory
from tests.imports.conftest import csv_bytes, person_row
from tests.workflows.conftest import complete_via_admin, open_task
from workflows.corrections import case_withdraw
from workflows.models import CaseTask
from workflows.services import task_claim, task_reassign, task_release


def _truth() -> tuple[set, set]:
    """Who owns a task of each case (any status), and which teams have one waiting, read off the tasks."""
    case = "process__caseprocess__case"
    owners = set(CaseTask.objects.filter(owner__isnull=False).values_list(case, "owner"))
    teams = set(CaseTask.objects.filter(status=STATUS.NEW, owner_permission__isnull=False).values_list(case, "owner_permission"))
    return owners, teams


def _kept() -> tuple[set, set]:
    return (set(CaseMember.objects.filter(user__isnull=False).values_list("case", "user")),
            set(CaseMember.objects.filter(permission__isnull=False).values_list("case", "permission")))


def _assert_kept():
    owners, teams = _truth()
    assert _kept() == (owners, teams)
    assert not CaseMember.objects.exclude(person=F("case__person")).exists()
    return owners, teams


@pytest.mark.django_db
def test_claim_release_reassign_complete_and_withdraw_keep_it_true(client, new_case, intake_officer, supervisor):
    review = open_task(new_case, "referral_review")
    _, teams = _assert_kept()
    assert (new_case.pk, review.owner_permission) in teams  # waiting in the intake team's queue

    task_claim(task=review, by=intake_officer)
    owners, teams = _assert_kept()
    assert (new_case.pk, intake_officer.pk) in owners and (new_case.pk, review.owner_permission) not in teams

    task_release(task=CaseTask.objects.get(pk=review.pk), by=intake_officer)
    owners, teams = _assert_kept()
    assert (new_case.pk, intake_officer.pk) not in owners and (new_case.pk, review.owner_permission) in teams

    task_reassign(task=CaseTask.objects.get(pk=review.pk), to=intake_officer, by=supervisor, reason="άδεια")
    _assert_kept()
    complete_via_admin(client, new_case, "referral_review", intake_officer, decision="accept")
    owners, _ = _assert_kept()
    assert (new_case.pk, intake_officer.pk) in owners  # a task done by them stays theirs

    case_withdraw(case=new_case, by=supervisor, outcome="withdrew", reason="μετακόμισε")
    _assert_kept()


@pytest.mark.django_db
def test_the_imports_bulk_writes_and_the_demo_keep_it_true(intake_officer, tmp_path):
    call_command("demo_data", people=25, stdout=io.StringIO())  # its flows are written in bulk too
    path = tmp_path / "partner.csv"
    path.write_bytes(csv_bytes([person_row(n) for n in range(1, 6)]))
    with path.open("rb") as file:
        assert referral_import(file=file, agency=AgencyFactory(), by=intake_officer).created
    owners, teams = _assert_kept()
    assert len(owners) > 20 and len(teams) > 5
