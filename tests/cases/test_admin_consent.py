"""Consent on the person page: recorded through consent_give, never typed into a date field (issue 10)."""
import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases import models
from cases.services import consent_withdraw
from tests.cases.admin_pages import form_data, form_errors, post_form
from tests.factories import AgencyFactory, CaseFactory, PersonFactory, opened_by

ADD = reverse("admin:cases_person_add")


def _change_url(person):
    return reverse("admin:cases_person_change", args=[person.pk])


@pytest.mark.django_db
def test_the_consent_dates_cannot_be_typed_in(client, intake_officer):
    person = PersonFactory(consent_processing_at=None)
    client.force_login(intake_officer)
    response = post_form(client, _change_url(person), consent_processing_at_0="01/12/2026",
                         consent_processing_at_1="10:00", consent_withdrawn_at_0="01/12/2026", consent_withdrawn_at_1="10:00")
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.consent_processing_at, person.consent_withdrawn_at) == (None, None)
    assert not person.consents.exists()


@pytest.mark.django_db
def test_recording_a_signed_consent_on_the_person_page_goes_through_consent_give(client, intake_officer):
    person = PersonFactory(consent_processing_at=timezone.now() - datetime.timedelta(days=90))
    consent_withdraw(person=person, by=intake_officer)
    case = CaseFactory(person=person)
    shelter = AgencyFactory()
    opened_by(person, intake_officer)
    client.force_login(intake_officer)
    response = post_form(client, _change_url(person), record_consent="on", consent_method="signed_form",
                         consent_evidence="Φάκελος 12/2026", consent_share_with=[shelter.pk])
    assert response.status_code == 302
    person.refresh_from_db()
    record = person.consents.get(kind="given", purpose="processing")
    assert (record.method, record.evidence, record.by) == ("signed_form", "Φάκελος 12/2026", intake_officer)
    shared = person.consents.get(kind="given", purpose="sharing")
    assert (shared.agency, shared.method, shared.evidence, shared.at) == (shelter, "signed_form", "Φάκελος 12/2026", record.at)
    assert person.has_processing_consent and person.may_share_with(shelter)
    assert case.events.filter(action="consent_given", by=intake_officer).exists()


@pytest.mark.django_db
def test_a_new_person_can_be_added_with_verbal_consent_before_a_witness(client, intake_officer):
    client.force_login(intake_officer)
    response = post_form(client, ADD, last_name="Νικολάου", first_name="Άννα", birth_date="02/05/1990",
                         record_consent="on", consent_method="verbal_witnessed", consent_witness="Μαρία Ιωάννου")
    assert response.status_code == 302, form_errors(response)
    person = models.Person.objects.get(last_name="Νικολάου")
    record = person.consents.get()
    assert (record.method, record.witness, record.purpose) == ("verbal_witnessed", "Μαρία Ιωάννου", "processing")
    assert person.has_processing_consent and not person.sharing_agencies().exists()


@pytest.mark.django_db
def test_verbal_consent_without_a_witness_is_refused_in_greek(client, intake_officer):
    person = PersonFactory(consent_processing_at=None)
    client.force_login(intake_officer)
    response = post_form(client, _change_url(person), record_consent="on", consent_method="verbal_witnessed")
    assert form_errors(response)  # the form comes back, saying why
    assert "Η προφορική συναίνεση χρειάζεται το όνομα ενός μάρτυρα." in response.content.decode()
    person.refresh_from_db()
    assert person.consent_processing_at is None and not person.consents.exists()


@pytest.mark.django_db
def test_the_same_refusal_in_english(client, intake_officer):
    person = PersonFactory(consent_processing_at=None)
    client.force_login(intake_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = post_form(client, _change_url(person), record_consent="on", consent_method="verbal_witnessed")
    assert "Verbal consent needs the name of a witness." in response.content.decode()


@pytest.mark.django_db
def test_a_method_is_needed_to_record_consent_and_a_partner_declaration_is_not_offered(client, intake_officer):
    person = PersonFactory(consent_processing_at=None)
    client.force_login(intake_officer)
    response = client.get(_change_url(person))
    choices = [value for value, _ in response.context["adminform"].form.fields["consent_method"].choices]
    assert set(choices) - {""} == {"signed_form", "verbal_witnessed"}
    response = post_form(client, _change_url(person), record_consent="on", consent_method="partner_declaration")
    assert "consent_method" in form_errors(response)
    response = post_form(client, _change_url(person), record_consent="on", consent_method="")
    assert "Δηλώστε πώς δόθηκε η συναίνεση." in response.content.decode()
    assert not person.consents.exists()


@pytest.mark.django_db
def test_leaving_record_consent_unticked_records_nothing(client, intake_officer):
    person = PersonFactory(consent_processing_at=None)
    client.force_login(intake_officer)
    response = post_form(client, _change_url(person), consent_method="signed_form", phone="+306970000000")
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "+306970000000" and person.consent_processing_at is None and not person.consents.exists()


@pytest.mark.django_db
def test_the_person_page_lists_the_consent_records(client, intake_officer):
    person = PersonFactory(consent_processing_at=None)
    models.ConsentRecord.objects.create(person=person, kind="given", method="verbal_witnessed", witness="Ελένη Μάρτυς",
                                        by=intake_officer)
    client.force_login(intake_officer)
    response = client.get(_change_url(person))
    assert "Ελένη Μάρτυς" in response.content.decode()
    assert "consents-0-witness" not in form_data(response)  # shown, not editable


@pytest.mark.django_db
def test_who_may_only_read_the_person_page_is_offered_no_consent_to_record(client, training_officer):
    person = PersonFactory()
    opened_by(person, training_officer)
    client.force_login(training_officer)
    response = client.get(_change_url(person))
    assert response.status_code == 200
    assert "record_consent" not in response.content.decode()
