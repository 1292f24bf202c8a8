"""A case from referral to closing, driven through the admin as each role would."""
import datetime

import pytest
import time_machine
from django.core.management import call_command
from viewflow.workflow.status import PROCESS

from cases.models import Case, Referral, Service
from tests.factories import EmployerFactory, ReferralFactory
from tests.workflows.conftest import complete_via_admin, open_steps, process_of
from workflows.services import referral_start

pytestmark = pytest.mark.django_db


def _to_services(client, case, intake_officer, counsellor, **needs):
    complete_via_admin(client, case, "referral_review", intake_officer, decision="accept")
    complete_via_admin(client, case, "intake", intake_officer, outcome="held", identity_confirmed="on",
                       consent_confirmed="on", skills="Μάγειρας", digital_skills="", housing="")
    complete_via_admin(client, case, "counselling", counsellor, text="Εργασία στην εστίαση", person_agreed="on",
                       **{k: "on" for k, v in needs.items() if v})


@pytest.mark.parametrize("legal_first", [True, False], ids=["legal-then-training", "training-then-legal"])
def test_case_goes_from_referral_to_closing_with_outcome(
    client, legal_first, intake_officer, counsellor, legal_adviser, training_officer, placement_officer
):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        referral = ReferralFactory()
        case = referral_start(referral=referral, by=intake_officer)
        assert open_steps(case) == {"referral_review"}

        _to_services(client, case, intake_officer, counsellor, needs_training=True, needs_legal_advice=True)
        case.refresh_from_db()
        assert case.stage == Case.Stage.SERVICES
        assert open_steps(case) == {"training", "legal_advice", "services_done"}

        legal = ("legal_advice", legal_adviser, {"outcome": "Άδεια διαμονής ανανεώθηκε", "topic": "residence_permit"})
        training = ("training", training_officer, {"outcome": "Ολοκληρώθηκε", "course": "HACCP", "hours_planned": 20, "hours_attended": 20})
        first, second = (legal, training) if legal_first else (training, legal)
        complete_via_admin(client, case, first[0], first[1], **first[2])
        case.refresh_from_db()
        # The Join waits for the other branch.
        assert case.stage == Case.Stage.SERVICES and "placement" not in open_steps(case)
        complete_via_admin(client, case, second[0], second[1], **second[2])
        case.refresh_from_db()
        assert case.stage == Case.Stage.PLACEMENT and open_steps(case) == {"placement"}
        assert set(case.services.values_list("kind", "status")) == {
            (Service.Kind.LEGAL, Service.Status.COMPLETED), (Service.Kind.TRAINING, Service.Status.COMPLETED)
        }
        assert process_of(case).task_set.filter(flow_task_type="JOIN", status="DONE").count() == 1

        employer = EmployerFactory()
        complete_via_admin(client, case, "placement", placement_officer, decision="placed", employer=employer.pk,
                           start_date="2026-03-16", contract_type="permanent", hours_per_week=40)
        case.refresh_from_db()
        assert case.stage == Case.Stage.FOLLOW_UP
        assert open_steps(case) == {"follow_up_wait"}  # nothing to do until the first follow-up falls due

        call_command("advance_flows")
        assert open_steps(case) == {"follow_up_wait"}
        for due in ["2026-04-16", "2026-06-16", "2026-09-16", "2027-03-16"]:
            clock.move_to(datetime.datetime.fromisoformat(due + "T06:00:00+02:00"))
            call_command("advance_flows")
            assert open_steps(case) == {"follow_up"}, due
            complete_via_admin(client, case, "follow_up", placement_officer, still_employed="yes", notes="Όλα καλά")

    case.refresh_from_db()
    assert case.stage == Case.Stage.CLOSED and case.outcome == Case.Outcome.RETAINED_6M
    assert case.closed_on is not None
    assert process_of(case).status == PROCESS.DONE
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED and referral.decided_by == intake_officer
    # Every step done is on the timeline, the first service branch too, though the case stays in services.
    transitions = [(e.from_stage, e.to_stage, e.by.username if e.by else None)
                   for e in case.events.filter(action__in=["step_done", "closed"])]
    assert transitions == [
        ("referral_review", "intake", "intake"),
        ("intake", "counselling", "intake"),
        ("counselling", "services", "counsellor"),
        ("services", "services", first[1].username),
        ("services", "placement", second[1].username),
        ("placement", "follow_up", "placement"),
        *[("follow_up", "follow_up", "placement")] * 3,
        ("follow_up", "closed", "placement"),
    ]
    first_branch = case.events.get(action="step_done", by=first[1])
    assert first_branch.reason.startswith(str(first[0] == "training" and "Κατάρτιση" or "Νομική συμβουλευτική"))


def test_plan_needing_no_service_goes_straight_to_placement(client, new_case, intake_officer, counsellor):
    _to_services(client, new_case, intake_officer, counsellor)
    new_case.refresh_from_db()
    assert new_case.stage == Case.Stage.PLACEMENT and open_steps(new_case) == {"placement"}


def test_task_page_shows_the_case_summary_and_the_step_form(client, new_case, intake_officer):
    from tests.workflows.conftest import claim_via_admin, task_url

    task = claim_via_admin(client, new_case, "referral_review", intake_officer)
    response = client.get(task_url(task))
    assert response.status_code == 200
    content = response.content.decode()
    assert new_case.person.full_name in content
    assert 'name="step-decision"' in content
    assert str(new_case.referrals.get()) in content  # the timeline's first line names the referral
