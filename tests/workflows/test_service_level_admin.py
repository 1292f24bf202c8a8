import pytest
from django.urls import reverse

from tests.workflows.conftest import as_user
from workflows.models import ServiceLevel

pytestmark = pytest.mark.django_db


def test_supervisor_edits_a_service_level_and_new_tasks_use_it(client, supervisor, intake_officer):
    level = ServiceLevel.objects.get(step="referral_review")
    url = reverse("admin:workflows_servicelevel_change", args=[level.pk])
    response = as_user(client, supervisor).post(url, {"working_days": 3, "claim_within_days": 2})
    assert response.status_code == 302
    level.refresh_from_db()
    assert (level.working_days, level.claim_within_days, level.updated_by) == (3, 2, supervisor)


def test_staff_cannot_edit_service_levels(client, intake_officer):
    level = ServiceLevel.objects.get(step="referral_review")
    url = reverse("admin:workflows_servicelevel_change", args=[level.pk])
    assert as_user(client, intake_officer).post(url, {"working_days": 30, "claim_within_days": 2}).status_code == 403
    level.refresh_from_db()
    assert level.working_days == 2
