import datetime

import pytest

from cases.models import Case, Referral
from tests.factories import CaseFactory, PersonFactory, ReferralFactory
from tests.workflows.conftest import claimed, open_steps, process_of
from workflows.services import ReferralStartError, referral_start, referral_start_many
from workflows.step_services import referral_accept

pytestmark = pytest.mark.django_db


def state_of(case: Case) -> dict:
    """What starting a referral leaves behind, without the ids and timestamps that differ between two cases."""
    case.refresh_from_db()
    process = process_of(case)
    tasks = {}
    for task in process.task_set.order_by("pk"):
        tasks[task.flow_task.name] = {
            "flow_task": task.flow_task, "flow_task_type": task.flow_task_type, "status": task.status,
            "owner": task.owner_id, "owner_permission": task.owner_permission, "scheduled": task.scheduled,
            "token": str(task.token), "data": task.data, "assigned": task.assigned,
            "started": task.started is not None, "finished": task.finished is not None,
            "previous": sorted(t.flow_task.name for t in task.previous.all()),
        }
    return {
        "stage": case.stage, "closed_on": case.closed_on, "outcome": case.outcome,
        "referrals": [r.pk for r in case.referrals.all()],
        "events": [(e.action, e.by_id, e.from_stage, e.to_stage, e.reason) for e in case.events.all()],
        "process": {
            "flow_class": process.flow_class, "status": process.status, "finished": process.finished,
            "data": process.data, "referral": process.referral_id, "processes": case.processes.count(),
        },
        "tasks": tasks,
    }


def without_referral(state: dict, referral: Referral) -> dict:
    """The state with this case's own referral (its id and its name on the timeline) blanked out."""
    events = [(a, by, f, t, "" if reason == str(referral) else reason) for a, by, f, t, reason in state["events"]]
    process = {**state["process"], "referral": state["process"]["referral"] == referral.pk}
    return {**state, "referrals": state["referrals"] == [referral.pk], "events": events, "process": process}


def test_bulk_start_leaves_exactly_what_referral_start_leaves(intake_officer):
    one, other = ReferralFactory(), ReferralFactory()
    by_one = referral_start(referral=one, by=intake_officer)
    [by_many] = referral_start_many(referrals=[other], by=intake_officer)

    expected, got = state_of(by_one), state_of(by_many)
    assert set(got["tasks"]) == {"start", "referral_review"}
    assert got["tasks"]["referral_review"]["scheduled"] is not None
    assert without_referral(got, other) == without_referral(expected, one)


def test_a_bulk_started_case_goes_through_the_real_flow(intake_officer):
    [case] = referral_start_many(referrals=[ReferralFactory()], by=intake_officer)

    referral_accept(task=claimed(case, "referral_review", intake_officer), by=intake_officer)

    case.refresh_from_db()
    assert case.stage == Case.Stage.INTAKE and open_steps(case) == {"intake"}
    assert case.referrals.get().status == Referral.Status.ACCEPTED


def test_a_closed_case_is_reopened_as_referral_start_does(intake_officer):
    closed = CaseFactory(stage=Case.Stage.CLOSED, closed_on=datetime.date(2024, 1, 5), outcome=Case.Outcome.WITHDREW)
    new, again = ReferralFactory(), ReferralFactory(person=closed.person)

    cases = referral_start_many(referrals=[new, again], by=intake_officer)

    assert cases[1] == closed and cases[0].person == new.person  # in the order given
    closed.refresh_from_db()
    assert closed.stage == Case.Stage.REFERRAL_REVIEW and open_steps(closed) == {"referral_review"}
    assert closed.events.filter(action="reopened", from_stage=Case.Stage.CLOSED).exists()
    assert open_steps(cases[0]) == {"referral_review"}


@pytest.mark.parametrize("problem", ["open case", "no consent"])
def test_a_referral_that_cannot_be_started_is_named_and_nothing_is_started(intake_officer, problem):
    if problem == "open case":
        refused = ReferralFactory(person=CaseFactory().person)
    else:
        refused = ReferralFactory(person=PersonFactory(consent_processing_at=None))
    fine = ReferralFactory()

    with pytest.raises(ReferralStartError) as exc:
        referral_start_many(referrals=[fine, refused], by=intake_officer)

    assert exc.value.referral is refused and exc.value.messages
    fine.refresh_from_db()
    assert fine.case is None and not fine.processes.exists()
