"""Undoing a step takes back what it wrote; doing training again continues the enrolment under way."""
import datetime

import pytest

from cases.models import Appointment, NeedsAssessment, Service, ServiceSession, TrainingEnrolment
from tests.workflows.conftest import as_user, complete_via_admin, open_steps, process_of, task_url

pytestmark = pytest.mark.django_db

TRAINING = {"outcome": "Ολοκληρώθηκε", "course": "HACCP", "hours_planned": 20, "hours_attended": 20,
            "certificate": "HACCP-2026-17"}


def _done(case, step):
    return process_of(case).task_set.get(flow_task__endswith=f".{step}", status="DONE")


def test_undoing_training_removes_the_enrolment_and_its_certificate(client, in_services, training_officer, supervisor):
    complete_via_admin(client, in_services, "training", training_officer, **TRAINING)
    assert TrainingEnrolment.objects.filter(case=in_services, certificate="HACCP-2026-17").exists()

    as_user(client, supervisor).post(task_url(_done(in_services, "training"), "undo"), {"undo-reason": "Λάθος υπόθεση"})
    assert "training" in open_steps(in_services)
    assert not TrainingEnrolment.objects.filter(case=in_services).exists()


def test_redoing_training_continues_the_active_enrolment(client, in_services, training_officer, supervisor):
    enrolment = TrainingEnrolment.objects.create(case=in_services, course="HACCP", hours_planned=20)
    ServiceSession.objects.create(service=enrolment, held_by=training_officer, minutes=120)
    complete_via_admin(client, in_services, "training", training_officer, **TRAINING)
    enrolment.refresh_from_db()
    assert TrainingEnrolment.objects.filter(case=in_services).count() == 1
    assert enrolment.status == Service.Status.COMPLETED and enrolment.certificate == "HACCP-2026-17"

    # Undone, the enrolment is back as it was: active, with its session, no certificate.
    as_user(client, supervisor).post(task_url(_done(in_services, "training"), "undo"), {"undo-reason": "Δεν τελείωσε"})
    enrolment.refresh_from_db()
    assert enrolment.status == Service.Status.ACTIVE and enrolment.certificate == "" and enrolment.completed_on is None
    assert enrolment.sessions.count() == 1
    complete_via_admin(client, in_services, "training", training_officer, **TRAINING)
    assert TrainingEnrolment.objects.filter(case=in_services).count() == 1


def test_undoing_a_service_refused_once_sessions_were_recorded_on_what_it_created(
    client, in_services, training_officer, supervisor
):
    complete_via_admin(client, in_services, "training", training_officer, **TRAINING)
    enrolment = TrainingEnrolment.objects.get(case=in_services)
    ServiceSession.objects.create(service=enrolment, held_by=training_officer)
    response = as_user(client, supervisor).post(task_url(_done(in_services, "training"), "undo"),
                                                {"undo-reason": "x"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert TrainingEnrolment.objects.filter(pk=enrolment.pk, status=Service.Status.COMPLETED).exists()
    assert "training" not in open_steps(in_services)


def test_undoing_the_intake_puts_the_booked_appointment_and_the_assessment_back(client, new_case, intake_officer, supervisor):
    booked = Appointment.objects.create(person=new_case.person, case=new_case, staff=intake_officer,
                                        kind=Appointment.Kind.INTAKE, scheduled_at=datetime.datetime.fromisoformat("2026-12-10T10:00:00+02:00"))
    complete_via_admin(client, new_case, "referral_review", intake_officer, decision="accept")
    complete_via_admin(client, new_case, "intake", intake_officer, outcome="held", identity_confirmed="on",
                       consent_confirmed="on", skills="Οδηγός")
    as_user(client, supervisor).post(task_url(_done(new_case, "intake"), "undo"), {"undo-reason": "Άλλο άτομο"})
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.SCHEDULED
    assert not NeedsAssessment.objects.filter(case=new_case).exists()
    assert open_steps(new_case) == {"intake"}
