"""The admin works under its Content-Security-Policy in a real browser: no script, style, frame or request is
refused but the inline event handlers the theme writes, whose work inline-handlers.js does instead."""
import pytest
from django.urls import reverse

from tests.browser.conftest import Staff
from tests.factories import ReferralFactory
from tests.workflows.conftest import reseeded  # noqa: F401
from workflows.services import referral_start

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reseeded")]

# Playwright's init script runs before the page's own, outside its policy.
WATCH = """window.refused = [];
document.addEventListener("securitypolicyviolation", e => window.refused.push(e.effectiveDirective + " " + e.blockedURI));"""


def test_the_admin_works_under_its_content_security_policy(browser, live_server, supervisor):
    case = referral_start(referral=ReferralFactory(), by=None)
    staff = Staff(browser, live_server, supervisor)
    page = staff.page
    page.add_init_script(WATCH)
    refused = []

    page.goto(staff.base + reverse("admin:cases_case_change", args=[case.pk]))
    tabs = page.locator(".tabbed-changeform-tablink")
    assert tabs.count() >= 2
    tabs.nth(1).click()
    assert "active" in tabs.nth(1).get_attribute("class") and "active" not in tabs.nth(0).get_attribute("class")
    assert page.locator("#session-warning").count() == 1  # the session warning's script and box are there
    refused += page.evaluate("window.refused")

    page.goto(staff.base + reverse("admin:cases_person_export"))
    fields = page.locator("input[type=checkbox]:not(.select-toggle)")
    assert fields.count() > 2 and all(box.is_checked() for box in fields.all())
    page.locator("input.select-toggle").uncheck()
    assert not any(box.is_checked() for box in fields.all())
    refused += page.evaluate("window.refused")

    assert {entry.split()[0] for entry in refused} <= {"script-src-attr"}, refused
    staff.close()
