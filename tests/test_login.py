import pytest
from django.urls import reverse

from tests.factories import PASSWORD


def _log_in(client, password: str, *, times: int = 1):
    for _ in range(times):
        response = client.post(reverse("admin:login"), {"username": "counsellor", "password": password})
    return response


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account(client, counsellor):
    _log_in(client, "wrong-guess", times=5)
    response = _log_in(client, PASSWORD)
    assert response.status_code == 429  # locked out, even with the right password
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_right_password_still_works_after_a_few_mistakes(client, counsellor):
    _log_in(client, "wrong-guess", times=3)
    response = _log_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(counsellor.pk)


@pytest.mark.django_db
def test_a_supervisor_can_see_and_clear_lockouts(client, supervisor, counsellor):
    _log_in(client, "wrong-guess", times=5)
    client.force_login(supervisor)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200
    assert "counsellor" in response.content.decode()
    attempts = [a.pk for a in response.context["cl"].result_list]
    client.post(reverse("admin:axes_accessattempt_changelist"), {
        "action": "delete_selected", "_selected_action": attempts, "post": "yes",
    })
    client.logout()
    assert _log_in(client, PASSWORD).status_code == 302  # unlocked
