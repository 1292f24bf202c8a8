"""The referral page: decisions are the workflow's; a new referral is taken in like an imported one (findings 2, 4)."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import models
from cases.services import consent_withdraw
from tests.cases.admin_pages import form_data, form_errors, post_form
from tests.factories import AgencyFactory, PersonFactory, ReferralFactory
from workflows.flows import CaseFlow
from workflows.models import CaseTask
from workflows.services import referral_start

ADD = reverse("admin:cases_referral_add")


def _new_referral(client, person, **changes):
    agency = AgencyFactory()
    return post_form(client, ADD, agency=str(agency.pk), agency_ref="ADM-1", person=str(person.pk),
                     referral_date="01/12/2026", **changes)


@pytest.fixture
def started(db, intake_officer):
    """A referral whose case is at referral review."""
    referral = ReferralFactory()
    referral_start(referral=referral, by=intake_officer)
    referral.refresh_from_db()
    return referral


@pytest.mark.django_db
def test_posting_a_decision_on_the_referral_page_changes_nothing(client, intake_officer, started):
    client.force_login(intake_officer)
    url = reverse("admin:cases_referral_change", args=[started.pk])
    response = post_form(client, url, status="declined", decline_reason="Εκτός περιοχής",
                         decided_at_0="01/12/2026", decided_at_1="10:00", decided_by=str(intake_officer.pk), case="")
    assert response.status_code == 302
    started.refresh_from_db()
    assert (started.status, started.decline_reason, started.decided_at) == ("received", "", None)
    assert started.case is not None


@pytest.mark.django_db
def test_the_decision_fields_are_not_in_the_add_or_change_form(client, intake_officer, started):
    client.force_login(intake_officer)
    decision = {"status", "decline_reason", "decided_at_0", "decided_by", "case"}
    assert not decision & set(form_data(client.get(ADD)))
    assert not decision & set(form_data(client.get(reverse("admin:cases_referral_change", args=[started.pk]))))


@pytest.mark.django_db
def test_a_referral_cannot_be_added_already_accepted(client, intake_officer):
    client.force_login(intake_officer)
    response = _new_referral(client, PersonFactory(), status="accepted")
    assert response.status_code == 302
    referral = models.Referral.objects.get(agency_ref="ADM-1")
    assert referral.status == "received" and referral.decided_at is None
    assert CaseTask.objects.filter(process__caseprocess__referral=referral, flow_task=CaseFlow.referral_review).exists()


@pytest.mark.django_db
def test_the_referral_page_links_to_its_cases_workflow_page(client, intake_officer, started):
    client.force_login(intake_officer)
    response = client.get(reverse("admin:cases_referral_change", args=[started.pk]))
    assert reverse("admin:workflows_case_work", args=[started.case_id]) in response.content.decode()


@pytest.mark.django_db
def test_a_referral_for_a_person_with_an_open_case_joins_that_case(client, intake_officer, started):
    case = started.case
    client.force_login(intake_officer)
    response = _new_referral(client, started.person)
    assert response.status_code == 302
    referral = models.Referral.objects.get(agency_ref="ADM-1")
    assert referral.case == case
    process = case.processes.get()
    consider = CaseTask.objects.get(process=process, flow_task=CaseFlow.consider_referral)
    assert consider.data["referral"] == referral.pk
    assert case.events.filter(action="referral_added", by=intake_officer, reason=str(referral)).exists()
    assert models.Case.objects.filter(person=started.person).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("consent", ["never_given", "withdrawn"])
def test_a_referral_for_a_person_without_consent_is_a_form_error(client, intake_officer, consent):
    if consent == "never_given":
        person = PersonFactory(consent_processing_at=None)
    else:
        person = PersonFactory(consent_processing_at=timezone.now() - datetime.timedelta(days=30))
        consent_withdraw(person=person, by=intake_officer)
    client.force_login(intake_officer)
    response = _new_referral(client, person)
    assert form_errors(response).as_data()["person"][0].code == "no_consent"
    assert not models.Referral.objects.exists() and not models.Case.objects.exists()
