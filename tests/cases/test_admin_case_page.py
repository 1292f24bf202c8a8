"""The case page: the workflow is the only writer of a case's stage and outcome (issue 10, findings 1 and 3)."""
import datetime

import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from cases import models
from tests.cases.admin_pages import form_data, post_form
from tests.factories import ReferralFactory, opened_by
from workflows.models import CaseTask
from workflows.services import referral_start


@pytest.fixture
def case(db, intake_officer, counsellor):
    case = referral_start(referral=ReferralFactory(), by=intake_officer)
    opened_by(case, counsellor)  # the intake officers see it in their queue
    return case


def _change_url(case):
    return reverse("admin:cases_case_change", args=[case.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["counsellor", "intake_officer"])
def test_posting_stage_closed_on_the_case_page_changes_nothing(client, request, case, persona):
    client.force_login(request.getfixturevalue(persona))
    response = post_form(client, _change_url(case), stage="closed", outcome="withdrew", closed_on="01/12/2026",
                         opened_on="01/01/2020")
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.outcome, case.closed_on) == ("referral_review", "", None)
    assert case.opened_on != datetime.date(2020, 1, 1)
    assert not case.events.filter(action="closed").exists()
    review = CaseTask.objects.get(process__caseprocess__case=case, flow_task__endswith=".referral_review")
    assert review.status == STATUS.NEW


@pytest.mark.django_db
def test_stage_outcome_and_dates_are_shown_not_editable(client, counsellor, case):
    client.force_login(counsellor)
    fields = form_data(client.get(_change_url(case)))
    assert not {"stage", "outcome", "opened_on", "closed_on", "person"} & set(fields)
    assert "key_worker" in fields


@pytest.mark.django_db
def test_the_key_worker_can_still_be_set_on_the_case_page(client, counsellor, case):
    client.force_login(counsellor)
    response = post_form(client, _change_url(case), key_worker=str(counsellor.pk))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.key_worker == counsellor


@pytest.mark.django_db
def test_the_case_page_offers_closing_early_on_the_workflow_page(client, counsellor, case):
    client.force_login(counsellor)
    response = client.get(_change_url(case))
    workflow = reverse("admin:workflows_case_work", args=[case.pk])
    # In the object tools at the top of the page, not only in a field of the form.
    assert f'<a href="{workflow}" class="gefyra-close-early' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["supervisor", "intake_officer", "admin_user"])
def test_a_case_cannot_be_added_in_the_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("admin:cases_case_add")).status_code == 403
    changelist = client.get(reverse("admin:cases_case_changelist"))
    assert changelist.status_code == 200
    assert reverse("admin:cases_case_add") not in changelist.content.decode()
    assert not models.Case.objects.exists()
