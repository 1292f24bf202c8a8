"""Passwords: at least 12 characters, not common, not like the user, and not easy to guess (Greek included)."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _codes(password: str, user=None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


@pytest.mark.parametrize("password", ["gefyra2026!", "Ελένη12345", "Ελένη12345678", "Μαρία2026!!!",
                                      "Μαρια-Παπαδοπουλου", "ολυμπιακος1925", "password1234"])
def test_guessable_passwords_are_refused(password):
    assert "password_too_guessable" in _codes(password)


def test_short_passwords_are_refused_and_the_examples_fail_the_estimate_too():
    assert "password_too_short" in _codes("gefyra2026!")
    assert "password_too_short" in _codes("Ελένη12345")


def test_a_password_built_on_the_users_own_name_is_refused():
    user = get_user_model()(username="kpapadaki", first_name="Κωνσταντίνα", last_name="Παπαδάκη")
    assert _codes("kpapadaki-2026", user) & {"password_too_guessable", "password_too_similar"}
    assert "password_too_guessable" in _codes("Παπαδάκη Κωνσταντίνα", user)


@pytest.mark.parametrize("password", ["θάλασσα ήλιος βουνό ποτάμι", "kX9#mP2$vL7q", "πράσινη καρέκλα τρέχει 7"])
def test_strong_passwords_are_accepted(password):
    assert _codes(password) == set()


def test_the_admin_refuses_a_weak_new_password_in_greek(client, supervisor):
    client.force_login(supervisor)
    response = client.post(reverse("admin:password_change"), {
        "old_password": "x", "new_password1": "Μαρία2026!!!", "new_password2": "Μαρία2026!!!"})
    assert response.status_code == 200
    assert "εύκολο να μαντευτεί" in response.content.decode()
