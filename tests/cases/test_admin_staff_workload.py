"""The supervisors' workload page names staff and counts their tasks; nothing of their accounts (finding 11)."""
import pytest
from django.urls import reverse

WORKLOAD = reverse("admin:workflows_staffworkload_changelist")


@pytest.mark.django_db
def test_a_staff_members_row_has_no_detail_page_with_their_account(client, supervisor, counsellor):
    client.force_login(supervisor)
    response = client.get(reverse("admin:workflows_staffworkload_change", args=[counsellor.pk]))
    assert response.status_code in (403, 404)
    page = response.content.decode()
    assert counsellor.password not in page and "pbkdf2" not in page and "is_superuser" not in page
    history = client.get(reverse("admin:workflows_staffworkload_history", args=[counsellor.pk]))
    assert history.status_code in (403, 404)


@pytest.mark.django_db
def test_the_workload_list_shows_names_and_counts_without_linking_to_accounts(client, supervisor, counsellor):
    client.force_login(supervisor)
    response = client.get(WORKLOAD)
    assert response.status_code == 200
    page = response.content.decode()
    assert counsellor.username in page and counsellor.get_full_name() in page
    assert reverse("admin:workflows_staffworkload_change", args=[counsellor.pk]) not in page
    assert "pbkdf2" not in page and counsellor.password not in page
