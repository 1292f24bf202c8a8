"""The pages of issue 10 speak Greek: their new labels and refusals are in the catalogue."""
import pytest
from django.urls import reverse

from tests.cases.admin_pages import post_form
from tests.factories import CaseFactory, EmployerFactory, ReferralFactory, VacancyFactory, opened_by
from workflows.services import referral_start


@pytest.mark.django_db
def test_the_case_and_referral_pages_link_to_the_workflow_in_greek(client, counsellor, intake_officer):
    referral = ReferralFactory()
    case = referral_start(referral=referral, by=intake_officer)
    opened_by(case, counsellor)
    client.force_login(counsellor)
    page = client.get(reverse("admin:cases_case_change", args=[case.pk])).content.decode()
    assert "Πρόωρο κλείσιμο ή εργασία στην υπόθεση" in page
    page = client.get(reverse("admin:cases_referral_change", args=[referral.pk])).content.decode()
    assert f"ροή εργασιών της υπόθεσης {case.pk}" in page


@pytest.mark.django_db
def test_another_employers_vacancy_is_refused_in_greek(client, placement_officer):
    vacancy, case = VacancyFactory(), CaseFactory()
    opened_by(case, placement_officer)
    client.force_login(placement_officer)
    response = post_form(client, reverse("admin:cases_placement_add"), case=str(case.pk),
                         employer=str(EmployerFactory().pk), vacancy=str(vacancy.pk), start_date="15/01/2026",
                         contract_type="permanent")
    assert f"Η θέση αυτή είναι του εργοδότη {vacancy.employer}, όχι αυτού του εργοδότη." in response.content.decode()


@pytest.mark.django_db
def test_the_export_log_has_a_greek_heading(client, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("admin:exports_exportrecord_changelist")).content.decode()
    assert "Εξαγωγές δεδομένων" in page and "καταγραφή εξαγωγής" in page
