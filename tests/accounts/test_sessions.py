"""Sessions end after 30 idle minutes and 10 hours at most; pages warn before; the warning's poll is not activity."""
import datetime

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)
INDEX = "/admin/"


def _at(minutes: float):
    return time_machine.travel(START + datetime.timedelta(minutes=minutes), tick=False)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def signed_in(client, counsellor):
    with _at(0):
        client.force_login(counsellor)
        assert client.get(INDEX).status_code == 200
    return client


def test_thirty_idle_minutes_sign_out_with_a_message(signed_in):
    with _at(29):
        assert signed_in.get(INDEX).status_code == 200
    with _at(29 + 31):
        response = signed_in.get(INDEX + "cases/case/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login")) and "next=/admin/cases/case/" in response["Location"]
    assert not _signed_in(signed_in)
    page = signed_in.get(response["Location"]).content.decode()
    assert "Αποσυνδεθήκατε" in page


def test_ten_hours_is_the_most_a_session_lasts_however_busy(signed_in):
    for minutes in range(20, 600, 20):
        with _at(minutes):
            assert signed_in.get(INDEX).status_code == 200
    with _at(601):
        assert signed_in.get(INDEX).status_code == 302
    assert not _signed_in(signed_in)


def test_asking_how_long_is_left_is_not_activity_but_staying_signed_in_is(signed_in):
    url = reverse("accounts:session")
    with _at(25):
        left = signed_in.get(url).json()
    assert left == {"idle": 5 * 60, "total": 10 * 3600 - 25 * 60}
    with _at(28):
        assert signed_in.post(url).json()["idle"] == 30 * 60
    with _at(28 + 29):
        assert signed_in.get(INDEX).status_code == 200
    with _at(28 + 29 + 31):
        assert signed_in.get(url).json() == {"idle": 0, "total": 0, "signed_out": True}
    assert not _signed_in(signed_in)


def test_every_admin_page_carries_the_warning_in_greek(signed_in):
    with _at(1):
        page = signed_in.get(INDEX).content.decode()
    assert 'id="session-warning"' in page and 'data-idle="1800"' in page
    assert "Παραμονή σε σύνδεση" in page
    assert "accounts/session.js" in page


def test_the_limits_are_settings(signed_in, settings):
    settings.GEFYRA_SESSION_IDLE_MINUTES = 5
    with _at(6):
        assert signed_in.get(INDEX).status_code == 302
