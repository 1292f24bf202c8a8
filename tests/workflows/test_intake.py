import datetime

import pytest

from cases.models import Appointment, Case
from tests.workflows.conftest import complete_via_admin, open_steps

pytestmark = pytest.mark.django_db


def _accepted(client, case, intake_officer):
    complete_via_admin(client, case, "referral_review", intake_officer, decision="accept")


def test_no_show_keeps_the_intake_open_and_is_recorded(client, new_case, intake_officer):
    _accepted(client, new_case, intake_officer)
    response = complete_via_admin(client, new_case, "intake", intake_officer, outcome="no_show")
    assert response.status_code == 200
    assert open_steps(new_case) == {"intake"}
    assert Appointment.objects.filter(case=new_case, status=Appointment.Status.NO_SHOW).count() == 1
    assert new_case.events.filter(action="no_show").exists()


def test_lost_contact_is_refused_before_three_no_shows(client, new_case, intake_officer):
    _accepted(client, new_case, intake_officer)
    complete_via_admin(client, new_case, "intake", intake_officer, outcome="no_show")
    response = complete_via_admin(client, new_case, "intake", intake_officer, outcome="lost_contact")
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert open_steps(new_case) == {"intake"}


def test_after_three_no_shows_the_case_closes_as_lost_contact(client, new_case, intake_officer):
    _accepted(client, new_case, intake_officer)
    for _ in range(3):
        complete_via_admin(client, new_case, "intake", intake_officer, outcome="no_show")
    complete_via_admin(client, new_case, "intake", intake_officer, outcome="lost_contact", reason="Δεν απαντά")
    new_case.refresh_from_db()
    assert new_case.stage == Case.Stage.CLOSED and new_case.outcome == Case.Outcome.LOST_CONTACT
    assert open_steps(new_case) == set()


def test_intake_needs_identity_and_consent_confirmed(client, new_case, intake_officer):
    _accepted(client, new_case, intake_officer)
    complete_via_admin(client, new_case, "intake", intake_officer, outcome="held", identity_confirmed="on")
    assert open_steps(new_case) == {"intake"}
    complete_via_admin(client, new_case, "intake", intake_officer, outcome="held", identity_confirmed="on",
                       consent_confirmed="on", skills="Οδηγός")
    new_case.refresh_from_db()
    assert new_case.stage == Case.Stage.COUNSELLING and new_case.assessment.skills == "Οδηγός"


BOOKED_AT = datetime.datetime.fromisoformat("2026-12-10T10:00:00+02:00")


def _book(case, staff, when=BOOKED_AT):
    return Appointment.objects.create(person=case.person, case=case, staff=staff, kind=Appointment.Kind.INTAKE,
                                      scheduled_at=when)


def test_the_intake_marks_the_booked_appointment_attended_and_makes_no_second_one(client, new_case, intake_officer):
    booked = _book(new_case, intake_officer)
    _accepted(client, new_case, intake_officer)
    complete_via_admin(client, new_case, "intake", intake_officer, outcome="held", identity_confirmed="on",
                       consent_confirmed="on")
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.ATTENDED
    assert list(new_case.appointments.values_list("pk", flat=True)) == [booked.pk]


def test_a_no_show_marks_the_booked_appointment_and_the_next_one_is_booked_again(client, new_case, intake_officer):
    booked = _book(new_case, intake_officer)
    _accepted(client, new_case, intake_officer)
    complete_via_admin(client, new_case, "intake", intake_officer, outcome="no_show")
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.NO_SHOW
    assert new_case.appointments.count() == 1
    again = _book(new_case, intake_officer, when=datetime.datetime.fromisoformat("2026-12-17T10:00:00+02:00"))
    complete_via_admin(client, new_case, "intake", intake_officer, outcome="held", identity_confirmed="on",
                       consent_confirmed="on")
    again.refresh_from_db()
    assert again.status == Appointment.Status.ATTENDED and new_case.appointments.count() == 2


def test_without_a_booked_appointment_the_intake_records_one_attended_now(client, new_case, intake_officer):
    _accepted(client, new_case, intake_officer)
    complete_via_admin(client, new_case, "intake", intake_officer, outcome="held", identity_confirmed="on",
                       consent_confirmed="on")
    assert list(new_case.appointments.values_list("status", "staff")) == [(Appointment.Status.ATTENDED, intake_officer.pk)]
