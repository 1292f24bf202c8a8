"""One referral walked to placement by clicking through the admin, as each step's staff member."""
import datetime

import pytest
import time_machine
from django.utils import timezone, translation

from cases.models import Case
from tests.browser.conftest import Staff
from tests.factories import EmployerFactory, ReferralFactory
from tests.workflows.conftest import reseeded  # noqa: F401
from workflows.services import referral_start, task_claim

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reseeded")]


def test_referral_to_placement_through_the_admin(
    browser, live_server, artifacts, intake_officer, counsellor, legal_adviser, training_officer,
    placement_officer, supervisor,
):
    # Two cases left waiting since last week, for the supervisor's Stuck cases page.
    with time_machine.travel(timezone.now() - datetime.timedelta(days=10)):
        for claim in (True, False):
            late = referral_start(referral=ReferralFactory(), by=None)
            if claim:
                task_claim(task=late.processes.get().task_set.get(flow_task_type="HUMAN"), by=intake_officer)
    referral = ReferralFactory(reason="Μακροχρόνια άνεργος, ζητά εργασία")
    case = referral_start(referral=referral, by=None)
    person = str(case.person)
    employer = EmployerFactory(name="Ταβέρνα Το Λιμάνι")

    intake = Staff(browser, live_server, intake_officer)
    intake.page.goto(f"{intake.base}/admin/workflows/teamtask/")
    intake.page.screenshot(path=artifacts / "team_queue.png", full_page=True)
    intake.claim_from_queue(person)
    intake.complete(lambda p: p.check("input[name=step-decision][value=accept]"))
    intake.claim_from_queue(person)

    def held(p):
        p.check("input[name=step-outcome][value=held]")
        p.check("#id_step-identity_confirmed")
        p.check("#id_step-consent_confirmed")
        p.fill("#id_step-skills", "Σερβιτόρος, 5 χρόνια")
    intake.complete(held)
    intake.close()

    staff = Staff(browser, live_server, counsellor)
    staff.claim_from_queue(person)

    def plan(p):
        p.fill("#id_step-text", "Εργασία στην εστίαση με άδεια διαμονής σε ισχύ")
        p.check("#id_step-needs_training")
        p.check("#id_step-needs_legal_advice")
        p.check("#id_step-person_agreed")
    staff.complete(plan)
    staff.close()

    lawyer = Staff(browser, live_server, legal_adviser)
    lawyer.claim_from_queue(person)
    lawyer.complete(lambda p: (p.fill("#id_step-outcome", "Ανανέωση άδειας"), p.select_option("#id_step-topic", "residence_permit")))
    lawyer.close()

    trainer = Staff(browser, live_server, training_officer)
    trainer.claim_from_queue(person)
    trainer.complete(lambda p: (p.fill("#id_step-outcome", "Πιστοποιητικό HACCP"), p.fill("#id_step-course", "HACCP")))
    trainer.close()

    placer = Staff(browser, live_server, placement_officer)
    placer.claim_from_queue(person)
    placer.page.goto(f"{placer.base}/admin/workflows/mytask/")
    placer.page.screenshot(path=artifacts / "my_tasks.png", full_page=True)
    placer.page.click(f"text={person}")

    def placed(p):
        p.check("input[name=step-decision][value=placed]")
        p.select_option("#id_step-employer", str(employer.pk))
        p.fill("#id_step-start_date", "2026-12-01")
        p.select_option("#id_step-contract_type", "permanent")
    placer.complete(placed)
    placer.page.screenshot(path=artifacts / "task_page.png", full_page=True)
    with translation.override("el"):  # staff see Greek whatever their browser's language
        assert str(Case.Stage.FOLLOW_UP.label) in placer.page.inner_text("#case-stage")
    placer.close()

    boss = Staff(browser, live_server, supervisor)
    boss.page.goto(f"{boss.base}/admin/workflows/stucktask/")
    boss.page.screenshot(path=artifacts / "stuck_cases.png", full_page=True)
    assert boss.page.locator("#result_list tbody tr").count() == 2
    boss.page.goto(f"{boss.base}/admin/workflows/staffworkload/")
    boss.page.screenshot(path=artifacts / "workload.png", full_page=True)
    boss.close()

    case.refresh_from_db()
    assert case.stage == "follow_up"
    assert case.placements.get().employer == employer
