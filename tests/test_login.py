"""Lockout: per username from any address, per address for any username, for a short time that guessing cannot
extend; the client address read behind trusted proxies only; a themed page in Greek."""
import datetime

import pytest
import time_machine
from django.urls import reverse

from audit.models import AccessEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def _log_in(client, password: str, *, username: str = "counsellor", times: int = 1, address: str = "10.0.0.1",
            forwarded: str | None = None):
    extra = {"REMOTE_ADDR": address, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}
    for _ in range(times):
        response = client.post(reverse("admin:login"), {"username": username, "password": password}, **extra)
    return response


def test_repeated_wrong_passwords_lock_the_account_with_a_greek_page(client, counsellor):
    _log_in(client, "wrong-guess", times=10)
    response = _log_in(client, PASSWORD)
    assert response.status_code == 429  # locked out, even with the right password
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "Η σύνδεση είναι κλειδωμένη για λίγο" in page and "15 λεπτά" in page and "επόπτη" in page
    assert "admin_interface/css" in page  # the theme's page, not a bare message


def test_the_right_password_still_works_after_a_few_mistakes(client, counsellor):
    _log_in(client, "wrong-guess", times=9)
    response = _log_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(counsellor.pk)


def test_guesses_spread_over_many_addresses_lock_the_username(client, counsellor):
    for i in range(10):
        _log_in(client, f"guess-{i}", address=f"203.0.113.{i}")
    assert _log_in(client, PASSWORD, address="198.51.100.7").status_code == 429


def test_guesses_at_many_usernames_from_one_address_lock_the_address(client, counsellor, supervisor):
    for i in range(10):
        _log_in(client, "guess", username=f"someone{i}", address="203.0.113.9")
    assert _log_in(client, PASSWORD, address="203.0.113.9").status_code == 429
    assert _log_in(client, PASSWORD, address="198.51.100.7").status_code == 302


def test_the_lock_ends_on_time_however_long_the_guessing_goes_on(client, counsellor):
    with time_machine.travel(START, tick=False):
        _log_in(client, "wrong-guess", times=10, address="203.0.113.1")
    with time_machine.travel(START + datetime.timedelta(minutes=10), tick=False):
        _log_in(client, "still-guessing", times=3, address="203.0.113.1")  # does not push the end back
        assert _log_in(client, PASSWORD, address="198.51.100.7").status_code == 429
    with time_machine.travel(START + datetime.timedelta(minutes=16), tick=False):
        assert _log_in(client, PASSWORD, address="198.51.100.7").status_code == 302


def test_behind_a_trusted_proxy_each_client_is_its_own_address(client, counsellor, supervisor, settings):
    settings.GEFYRA_TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    for i in range(10):  # one client guessing at many usernames
        _log_in(client, "guess", username=f"someone{i}", address=proxy, forwarded="203.0.113.9")
    # Another client behind the same proxy is not locked out; the guesser writing a header of its own gains nothing.
    assert _log_in(client, PASSWORD, address=proxy, forwarded="198.51.100.7").status_code == 302
    client.logout()
    assert _log_in(client, PASSWORD, address=proxy, forwarded="198.51.100.1, 203.0.113.9").status_code == 429
    failed = AccessEvent.objects.filter(action=AccessEvent.Action.LOGIN_FAILED).first()
    assert failed.remote_addr == "203.0.113.9"


def test_without_trusted_proxies_a_forwarded_header_is_ignored(client, counsellor):
    _log_in(client, "guess", address="203.0.113.5", forwarded="192.0.2.77")
    assert AccessEvent.objects.get(action=AccessEvent.Action.LOGIN_FAILED).remote_addr == "203.0.113.5"


def test_a_supervisor_can_see_and_clear_lockouts(client, supervisor, counsellor):
    _log_in(client, "wrong-guess", times=10)
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
