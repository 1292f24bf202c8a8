"""A supervisor's first sign-in in a real browser: guided to set up the authenticator, shown her recovery codes,
then at work; the next sign-in asks for the app's code."""
import base64
import datetime

import pytest
from django.urls import reverse
from django_otp.oath import TOTP

from tests.factories import PASSWORD
from tests.workflows.conftest import reseeded  # noqa: F401

# Transactional: an earlier browser test's flush empties the groups the migrations made; reseeded restores them.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reseeded")]


def _code_for(secret: str, at: datetime.datetime) -> str:
    """What an authenticator app given this key shows at that moment."""
    app = TOTP(base64.b32decode(secret.replace(" ", "")))
    app.time = at.timestamp()
    return f"{app.token():06d}"


def _sign_in(page, base, user):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_a_supervisor_sets_up_two_factor_sign_in_and_uses_it(browser, live_server, supervisor, settings, artifacts):
    settings.GEFYRA_TWO_FACTOR = "privileged"
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    _sign_in(page, live_server.url, supervisor)
    page.wait_for_selector("img.two-factor-qr")
    assert page.url.startswith(live_server.url + reverse("accounts:two_factor_setup"))
    page.screenshot(path=artifacts / "two_factor_setup.png", full_page=True)
    secret = page.locator("code").first.inner_text()
    now = datetime.datetime.now(datetime.UTC)
    page.fill("#id_code", _code_for(secret, now))
    page.click("input[type=submit][value]:not(.button)")
    page.wait_for_selector("ul.recovery-codes")
    assert page.locator("ul.recovery-codes li").count() == 10
    page.click("text=Τους φύλαξα: συνέχεια")
    page.wait_for_selector("#my-task-counts")  # at work

    page.context.clear_cookies()  # a new sign-in
    _sign_in(page, live_server.url, supervisor)
    page.wait_for_selector("#id_code")
    assert page.url.startswith(live_server.url + reverse("accounts:two_factor"))
    page.fill("#id_code", _code_for(secret, now + datetime.timedelta(seconds=30)))
    page.click("input[type=submit]")
    page.wait_for_selector("#my-task-counts")
    page.close()
