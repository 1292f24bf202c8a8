import datetime

import pytest
import time_machine
from django.core.management import call_command

from cases.models import Case
from tests.factories import EmployerFactory
from tests.workflows.conftest import complete_via_admin, open_steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_placement(client, new_case, intake_officer, counsellor):
    complete_via_admin(client, new_case, "referral_review", intake_officer, decision="accept")
    complete_via_admin(client, new_case, "intake", intake_officer, outcome="held", identity_confirmed="on",
                       consent_confirmed="on")
    complete_via_admin(client, new_case, "counselling", counsellor, text="Εργασία", person_agreed="on")
    assert open_steps(new_case) == {"placement"}
    return new_case


def test_not_ready_sends_the_case_back_to_counselling_with_the_reason(client, at_placement, placement_officer, counsellor):
    complete_via_admin(client, at_placement, "placement", placement_officer, decision="not_ready",
                       reason="Χρειάζεται πρώτα ελληνικά")
    at_placement.refresh_from_db()
    assert at_placement.stage == Case.Stage.COUNSELLING and open_steps(at_placement) == {"counselling"}
    assert at_placement.events.filter(from_stage="placement", to_stage="counselling", reason__endswith="Χρειάζεται πρώτα ελληνικά").exists()
    # … and round again: the new plan asks for training this time.
    complete_via_admin(client, at_placement, "counselling", counsellor, text="Μαθήματα ελληνικών", person_agreed="on",
                       needs_training="on")
    assert open_steps(at_placement) == {"training", "services_done"}


def test_a_lost_job_at_follow_up_sends_the_case_back_to_placement(client, at_placement, placement_officer):
    with time_machine.travel(datetime.datetime(2026, 5, 4, 8, 0, tzinfo=datetime.UTC), tick=False) as clock:
        complete_via_admin(client, at_placement, "placement", placement_officer, decision="placed",
                           employer=EmployerFactory().pk, start_date="2026-05-04", contract_type="seasonal")
        clock.move_to(datetime.datetime(2026, 6, 5, 8, 0, tzinfo=datetime.UTC))
        call_command("advance_flows")
        complete_via_admin(client, at_placement, "follow_up", placement_officer, still_employed="no", notes="Απολύθηκε")
    at_placement.refresh_from_db()
    assert at_placement.stage == Case.Stage.PLACEMENT and open_steps(at_placement) == {"placement"}
    placement = at_placement.placements.get()
    assert placement.end_date is not None and placement.end_reason == "Απολύθηκε"


def test_follow_up_is_not_a_task_before_its_date(client, at_placement, placement_officer):
    with time_machine.travel(datetime.datetime(2026, 5, 4, 8, 0, tzinfo=datetime.UTC), tick=False) as clock:
        complete_via_admin(client, at_placement, "placement", placement_officer, decision="placed",
                           employer=EmployerFactory().pk, start_date="2026-05-04", contract_type="seasonal")
        clock.move_to(datetime.datetime(2026, 6, 3, 8, 0, tzinfo=datetime.UTC))
        call_command("advance_flows")
        assert open_steps(at_placement) == {"follow_up_wait"}
        clock.move_to(datetime.datetime(2026, 6, 4, 4, 0, tzinfo=datetime.UTC))
        call_command("advance_flows")
        call_command("advance_flows")  # twice: nothing more happens
        assert open_steps(at_placement) == {"follow_up"}
