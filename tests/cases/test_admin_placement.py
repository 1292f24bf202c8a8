"""A placement pairs an employer with one of that employer's own vacancies (finding 7)."""
import pytest
from django.urls import reverse

from cases import models
from tests.cases.admin_pages import form_errors, post_form
from tests.factories import CaseFactory, EmployerFactory, PlacementFactory, VacancyFactory, opened_by

ADD = reverse("admin:cases_placement_add")


@pytest.mark.django_db
def test_adding_a_placement_with_another_employers_vacancy_is_refused(client, placement_officer):
    case, employer, elsewhere = CaseFactory(), EmployerFactory(), VacancyFactory()
    opened_by(case, placement_officer)
    client.force_login(placement_officer)
    response = post_form(client, ADD, case=str(case.pk), employer=str(employer.pk), vacancy=str(elsewhere.pk),
                         start_date="15/01/2026", contract_type="permanent")
    assert str(elsewhere.employer) in form_errors(response)["vacancy"][0]
    assert not models.Placement.objects.exists() and not models.FollowUp.objects.exists()
    assert not case.events.filter(action="placed").exists()


@pytest.mark.django_db
def test_changing_a_placement_to_another_employers_vacancy_is_refused(client, placement_officer):
    own = VacancyFactory()
    placement = PlacementFactory(employer=own.employer, vacancy=own)
    elsewhere = VacancyFactory()
    opened_by(placement.case, placement_officer)
    client.force_login(placement_officer)
    response = post_form(client, reverse("admin:cases_placement_change", args=[placement.pk]), vacancy=str(elsewhere.pk))
    assert "vacancy" in form_errors(response)
    placement.refresh_from_db()
    assert placement.vacancy == own


@pytest.mark.django_db
def test_a_placement_with_the_employers_own_vacancy_is_saved(client, placement_officer):
    case, vacancy = CaseFactory(), VacancyFactory()
    opened_by(case, placement_officer)
    client.force_login(placement_officer)
    response = post_form(client, ADD, case=str(case.pk), employer=str(vacancy.employer.pk), vacancy=str(vacancy.pk),
                         start_date="15/01/2026", contract_type="permanent")
    assert response.status_code == 302
    assert models.Placement.objects.get(case=case).vacancy == vacancy
