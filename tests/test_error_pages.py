"""Staff who reach a page they may not open stay in the admin, in Greek; task statuses are in Greek too."""
import pytest
from django.urls import reverse
from django.utils import translation
from viewflow.workflow.status import STATUS

pytestmark = pytest.mark.django_db


def test_a_forbidden_page_is_ours_in_greek_with_a_way_back(client, counsellor):
    client.force_login(counsellor)
    response = client.get(reverse("admin:cases_case_add"))
    assert response.status_code == 403
    content = response.content.decode()
    assert "Δεν μπορείτε να ανοίξετε αυτή τη σελίδα" in content
    assert reverse("admin:index") in content and "Django Material" not in content


def test_viewflow_task_statuses_and_the_admins_plural_error_are_greek():
    with translation.override("el"):
        assert [str(STATUS.NEW.label), str(STATUS.DONE.label)] == ["Νέα", "Ολοκληρωμένη"]
        assert translation.ngettext("Please correct the error below.", "Please correct the errors below.", 2) == (
            "Διορθώστε τα παρακάτω σφάλματα."
        )
