"""A large partner file previewed and imported in the browser: while the server works, the page shows how far it has got."""
import datetime
import re
import threading

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cases.demo import make_amka
from cases.models import Referral
from imports import services, views
from imports.models import ImportBatch
from tests.browser.conftest import Staff
from tests.factories import AgencyFactory
from tests.imports.conftest import csv_bytes, person_row, private_storage  # noqa: F401
from tests.workflows.conftest import reseeded  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reseeded")]

ROWS = 1200
CHUNK = 100  # rows the server reads, checks and writes at a time
# Tells the test each time a progress bar shows rows done. Playwright cannot evaluate in a page whose form
# submission is pending (it waits for the next page), so the page reports to the test instead.
REPORT_PROGRESS = """
new MutationObserver(() => {
  document.querySelectorAll(".import-progress:not([hidden])").forEach(box => {
    const bar = box.querySelector("progress");
    if (bar.value > 0) window.progressShown(box.querySelector(".import-progress-line").textContent, bar.value);
  });
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


@pytest.fixture
def server_waits_for_the_page(monkeypatch):
    """Hold the import after its first chunk until the page has shown that chunk, so the test never races the server.

    The real progress reporter still records the progress; the import just waits for the test's go-ahead.
    """
    go_on = threading.Event()
    reporter = views.progress_reporter

    def waiting_reporter(token):
        report = reporter(token)

        def progress(rows, fraction):
            report(rows, fraction)
            if fraction < 1:
                go_on.wait(timeout=30)
        return progress if report else None

    monkeypatch.setattr(views, "progress_reporter", waiting_reporter)
    monkeypatch.setattr(services, "CHUNK_ROWS", CHUNK)
    return go_on


def rows_in(message: str, text: str) -> int | None:
    """Return the row count in `text` if it is the progress sentence `message` in Greek (staff's language)."""
    with translation.override("el"):
        pattern = re.escape(gettext(message))
    pattern = pattern.replace(re.escape("{rows}"), r"([\d,.]+)").replace(re.escape("{percent}"), r"\d+%")
    match = re.fullmatch(pattern, text)
    return int(re.sub(r"\D", "", match[1])) if match else None


def progress_shown(page, form: str, go_on: threading.Event, shown: list) -> tuple[str, float]:
    """Submit the form, wait until its progress bar shows rows done, and let the server finish; return what it showed."""
    shown.clear()
    page.click(f"{form} [type=submit]", no_wait_after=True)
    try:
        for _ in range(200):
            if shown:
                return shown[0]
            page.wait_for_timeout(50)
        pytest.fail("the progress bar did not move within 10 s")
    finally:
        go_on.set()


def test_a_large_file_shows_its_progress_while_previewed_and_imported(
    browser, live_server, artifacts, intake_officer, server_waits_for_the_page, tmp_path,
):
    go_on = server_waits_for_the_page
    agency = AgencyFactory(code="KK-CHIOS", name="Κέντρο Κοινότητας Χίου")
    rows = []
    for n in range(ROWS):
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=11 * n)
        rows.append(person_row(n, birth_date=f"{birth:%d/%m/%Y}", amka=make_amka(birth, n)))
    path = tmp_path / "referrals.csv"
    path.write_bytes(csv_bytes(rows, encoding="cp1253"))

    staff = Staff(browser, live_server, intake_officer)
    page, shown = staff.page, []
    page.expose_function("progressShown", lambda text, value: shown.append((text.strip(), value)))
    page.add_init_script(REPORT_PROGRESS)
    page.goto(staff.base + reverse("admin:imports_importbatch_upload"))
    page.select_option("#id_agency", str(agency.pk))
    page.set_input_files("#id_file", str(path))
    text, value = progress_shown(page, "#upload-form", go_on, shown)
    page.wait_for_selector("#confirm-form", timeout=60_000)
    # Shown while the server was still checking the file: the rows of its first chunk.
    assert rows_in("{rows} rows checked ({percent})", text) == CHUNK and 0 < value < 1, (text, value)
    assert f"{ROWS}" in page.inner_text("#summary")
    page.screenshot(path=artifacts / "import_preview.png")  # the top: the summary and the confirm button

    go_on.clear()
    text, value = progress_shown(page, "#confirm-form", go_on, shown)
    page.wait_for_selector(".messagelist .success", timeout=120_000)
    assert rows_in("{rows} rows imported ({percent})", text) == CHUNK and 0 < value < 1, (text, value)
    page.screenshot(path=artifacts / "import_batch.png", full_page=True)
    staff.close()

    batch = ImportBatch.objects.get(status=ImportBatch.Status.IMPORTED)
    assert (batch.rows, batch.created, batch.rejected) == (ROWS, ROWS, 0)
    assert Referral.objects.filter(agency=agency).count() == ROWS
