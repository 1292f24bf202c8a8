"""Two-factor sign-in: required for supervisors and the data-protection officer (or everyone), guided enrolment
with recovery codes, verification at each sign-in, a recorded reset by a supervisor."""
import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AccessEvent
from tests.factories import PASSWORD
from tests.test_project import manage

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
INDEX = reverse("admin:index")


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.GEFYRA_TWO_FACTOR = "privileged"


def _at(seconds: int):
    # Each code works once: steps of 30 s give the app a fresh one.
    return time_machine.travel(START + datetime.timedelta(seconds=seconds), tick=False)


def _sign_in(client, user):
    response = client.post(reverse("admin:login") + f"?next={INDEX}", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client.get(INDEX)


def _code(user) -> str:
    return f"{totp(TOTPDevice.objects.get(user=user).bin_key):06d}"


def _enrol(client, user) -> list[str]:
    client.get(reverse("accounts:two_factor_setup"))
    page = client.post(reverse("accounts:two_factor_setup"), {"code": _code(user), "next": INDEX}).content.decode()
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)


def test_a_supervisor_is_guided_to_set_it_up_at_first_sign_in(client, supervisor):
    with _at(0):
        response = _sign_in(client, supervisor)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor_setup"))
        assert client.get(reverse("admin:cases_person_changelist")).status_code == 302  # nothing before it
        page = client.get(response["Location"]).content.decode()
        assert 'src="data:image/svg+xml' in page and "Ρύθμιση σύνδεσης δύο βημάτων" in page
        wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"}).content.decode()
        assert "Αυτός ο κωδικός δεν είναι σωστός" in wrong
    with _at(30):  # a wrong code makes the next try wait (django-otp's throttling)
        codes = _enrol(client, supervisor)
        assert client.get(INDEX).status_code == 200
    assert len(codes) == 10 and len(set(codes)) == 10
    actions = list(AccessEvent.objects.filter(user_id=supervisor.pk).values_list("action", flat=True))
    assert "2fa_enrolled" in actions and "2fa_failed" in actions


def test_each_sign_in_asks_for_the_code_and_a_recovery_code_works_once(client, supervisor):
    with _at(0):
        _sign_in(client, supervisor)
        codes = _enrol(client, supervisor)
    client.logout()
    with _at(60):
        response = _sign_in(client, supervisor)
        assert response["Location"].startswith(reverse("accounts:two_factor"))
        assert client.post(reverse("accounts:two_factor"), {"code": "123456"}).status_code == 200
        assert client.get(INDEX).status_code == 302
    with _at(90):
        assert client.post(reverse("accounts:two_factor"), {"code": _code(supervisor), "next": INDEX})["Location"] == INDEX
        assert client.get(INDEX).status_code == 200
    for attempt, expected in ((150, INDEX), (210, None)):
        client.logout()
        with _at(attempt):
            _sign_in(client, supervisor)
            response = client.post(reverse("accounts:two_factor"), {"code": codes[0].upper(), "next": INDEX})
            assert (response.get("Location") if response.status_code == 302 else None) == expected


def test_staff_without_privileges_need_it_only_when_everyone_must(client, counsellor, settings):
    assert _sign_in(client, counsellor).status_code == 200
    settings.GEFYRA_TWO_FACTOR = "everyone"
    assert client.get(INDEX)["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_an_unverified_session_can_still_sign_out(client, data_protection_officer):
    _sign_in(client, data_protection_officer)
    assert client.get(reverse("admin:audit_accessevent_changelist")).status_code == 302
    assert client.post(reverse("admin:logout")).status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_supervisor_resets_a_colleagues_second_factor_and_it_is_recorded(client, supervisor, data_protection_officer):
    with _at(0):
        _sign_in(client, data_protection_officer)
        _enrol(client, data_protection_officer)
    client.logout()
    with _at(30):
        _sign_in(client, supervisor)
        _enrol(client, supervisor)
        url = reverse("admin:auth_user_changelist")
        confirm = client.post(url, {"action": "reset_two_factor", "_selected_action": [data_protection_officer.pk]})
        assert "Επαναφορά σύνδεσης δύο βημάτων" in confirm.content.decode()
        done = client.post(url, {"action": "reset_two_factor", "_selected_action": [data_protection_officer.pk],
                                 "confirm": "1", "reason": "Έχασε το κινητό της, χωρίς κωδικούς ανάκτησης"})
        assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=data_protection_officer).exists()
    event = AccessEvent.objects.get(action="2fa_reset")
    assert event.user_id == supervisor.pk and event.details["username"] == data_protection_officer.username
    assert event.details["reason"].startswith("Έχασε")
    client.logout()
    assert _sign_in(client, data_protection_officer)["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_only_supervisors_are_offered_the_reset(client, supervisor, settings):
    settings.GEFYRA_TWO_FACTOR = "off"
    client.force_login(supervisor)
    assert "reset_two_factor" in client.get(reverse("admin:auth_user_changelist")).content.decode()
    supervisor.groups.clear()
    supervisor.user_permissions.add(*Permission.objects.filter(codename="view_user"))
    supervisor = type(supervisor).objects.get(pk=supervisor.pk)  # no cached permissions
    client.force_login(supervisor)
    assert "reset_two_factor" not in client.get(reverse("admin:auth_user_changelist")).content.decode()


def test_production_refuses_to_turn_it_off():
    result = manage("check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 50, GEFYRA_TWO_FACTOR="off")
    assert result.returncode != 0 and "GEFYRA_TWO_FACTOR" in result.stderr
