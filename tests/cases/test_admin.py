import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from cases import models
from cases.demo import seed
from tests.factories import AgencyFactory, CaseFactory, EmployerFactory, PersonFactory, opened_by


@pytest.fixture
def populated(db, supervisor):
    """Demo data plus one row of each model the demo leaves empty."""
    seed(people=25)
    supervisor.refresh_from_db()  # the demo resets the "supervisor" login's password
    case = models.Case.objects.filter(stage=models.Case.Stage.SERVICES).first()
    training = models.TrainingEnrolment.objects.create(case=case, course="Βοηθός μάγειρα", hours_planned=120)
    models.LegalAdvice.objects.create(case=case, topic=models.LegalAdvice.Topic.RESIDENCE_PERMIT)
    models.AccountingSupport.objects.create(case=case, topic=models.AccountingSupport.Topic.TAX_REGISTRATION)
    models.ServiceSession.objects.create(service=training, held_by=supervisor)
    models.Appointment.objects.create(
        person=case.person, case=case, staff=supervisor, kind="counselling", scheduled_at=timezone.now()
    )
    models.ContactNote.objects.create(case=case, kind="phone", text="Τηλεφωνική επικοινωνία", written_by=supervisor)
    return case


def _registered_cases_models():
    return [m for m in admin.site._registry if m._meta.app_label == "cases"]


@pytest.mark.django_db
def test_every_changelist_and_change_form_opens_for_a_supervisor(client, supervisor, populated):
    client.force_login(supervisor)
    for model in _registered_cases_models():
        info = model._meta.app_label, model._meta.model_name
        response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == 200, model
        obj = model.objects.first()
        assert obj is not None, f"no {model.__name__} to open"
        response = client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        assert response.status_code == 200, model


@pytest.mark.django_db
def test_every_add_form_opens_for_a_superuser(admin_client, admin_user, rf):
    request = rf.get("/")
    request.user = admin_user
    addable = [m for m in _registered_cases_models() if admin.site._registry[m].has_add_permission(request)]
    # A case begins from a referral: adding one is adding a referral.
    assert models.Referral in addable and models.Case not in addable and models.CaseEvent not in addable
    for model in addable:
        assert admin_client.get(reverse(f"admin:cases_{model._meta.model_name}_add")).status_code == 200, model


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["παπαδοπουλος", "ΠΑΠΑΔΟΠΟΥΛΟΣ", "Παπαδόπουλος", "παπαδοπουλοσ γιωργ"])
def test_greek_search_ignores_accents_and_case(client, supervisor, typed):
    wanted = PersonFactory(last_name="Παπαδόπουλος", first_name="Γιώργος")
    PersonFactory(last_name="Οικονόμου", first_name="Μαρία")
    client.force_login(supervisor)
    response = client.get(reverse("admin:cases_person_changelist"), {"q": typed})
    assert list(response.context["cl"].result_list) == [wanted]


@pytest.mark.django_db
def test_case_list_is_searchable_by_the_persons_name(client, supervisor):
    case = CaseFactory(person=PersonFactory(last_name="Καραγιάννη", first_name="Δέσποινα"))
    CaseFactory()
    client.force_login(supervisor)
    response = client.get(reverse("admin:cases_case_changelist"), {"q": "καραγιαννη"})
    assert list(response.context["cl"].result_list) == [case]


@pytest.mark.django_db
def test_staff_without_a_role_gets_403(client, outsider):
    person = PersonFactory()
    client.force_login(outsider)
    assert client.get(reverse("admin:cases_person_changelist")).status_code == 403
    assert client.get(reverse("admin:cases_person_change", args=[person.pk])).status_code == 404  # out of scope: it does not exist for them


@pytest.mark.django_db
def test_a_legal_adviser_cannot_edit_placements(client, legal_adviser):
    client.force_login(legal_adviser)
    assert client.get(reverse("admin:cases_placement_add")).status_code == 403


@pytest.mark.django_db
def test_admin_refuses_a_referral_for_a_person_without_consent(client, supervisor):
    person = PersonFactory(consent_processing_at=None)
    client.force_login(supervisor)
    response = client.post(reverse("admin:cases_referral_add"), {
        "agency": AgencyFactory().pk, "agency_ref": "R-1", "person": person.pk, "referral_date": "20/11/2026",
    })
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.as_data()["person"][0].code == "no_consent"
    assert not models.Referral.objects.exists() and not models.Case.objects.exists()


@pytest.mark.django_db
def test_confidential_notes_are_hidden_from_other_staff(client, counsellor, intake_officer):
    case = CaseFactory()
    models.ContactNote.objects.create(case=case, kind="office_visit", text="Εμπιστευτικό", confidential=True, written_by=counsellor)
    models.ContactNote.objects.create(case=case, kind="phone", text="Κανονικό", written_by=counsellor)
    opened_by(case, intake_officer, counsellor)
    client.force_login(intake_officer)
    response = client.get(reverse("admin:cases_contactnote_changelist"))
    assert [n.text for n in response.context["cl"].result_list] == ["Κανονικό"]
    client.force_login(counsellor)
    response = client.get(reverse("admin:cases_contactnote_changelist"))
    assert len(response.context["cl"].result_list) == 2


@pytest.mark.django_db
def test_adding_a_placement_in_the_admin_schedules_follow_ups(client, placement_officer):
    case, employer = CaseFactory(), EmployerFactory()
    opened_by(case, placement_officer)
    client.force_login(placement_officer)
    response = client.post(reverse("admin:cases_placement_add"), {
        "case": case.pk, "employer": employer.pk, "start_date": "15/01/2026", "contract_type": "permanent",
        "hours_per_week": "40", "follow_ups-TOTAL_FORMS": "0", "follow_ups-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    placement = models.Placement.objects.get(case=case)
    assert sorted(placement.follow_ups.values_list("months", flat=True)) == [1, 3, 6, 12]
    assert placement.follow_ups.get(months=1).due_on == datetime.date(2026, 2, 15)


@pytest.mark.django_db
def test_consent_withdrawal_from_the_admin_reaches_the_case_timeline(client, intake_officer):
    case = CaseFactory()
    opened_by(case, intake_officer)
    client.force_login(intake_officer)
    response = client.post(reverse("admin:cases_person_changelist"), {
        "action": "withdraw_consent", "_selected_action": [case.person.pk],
    }, follow=True)
    assert response.status_code == 200
    case.person.refresh_from_db()
    assert not case.person.has_processing_consent
    assert case.events.filter(action="consent_withdrawn", by=intake_officer).exists()


@pytest.mark.django_db
def test_case_page_links_to_the_cases_workflow_page(client, counsellor):
    case = CaseFactory(key_worker=counsellor)
    client.force_login(counsellor)
    response = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert reverse("admin:workflows_case_work", args=[case.pk]) in response.content.decode()
