"""Consent per purpose: processing by the centre, and sharing with each named partner agency (issue 11)."""
import datetime

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse

from cases.models import ConsentRecord, Person
from cases.services import consent_give, consent_to_share_withdraw, consent_withdraw
from tests.cases.admin_pages import form_errors, post_form
from tests.factories import AgencyFactory, PersonFactory, opened_by

SIGNED = ConsentRecord.Method.SIGNED_FORM
DAY = datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)


@pytest.fixture
def shelter(db):
    return AgencyFactory(name="Ξενώνας Αστέγων")


@pytest.fixture
def ngo(db):
    return AgencyFactory(name="Κλίμακα")


@pytest.mark.django_db
def test_consent_to_share_is_with_the_named_agencies_only(shelter, ngo, intake_officer):
    person = PersonFactory(consent_processing_at=None)
    consent_give(person=person, by=intake_officer, method=SIGNED, share_with=[shelter], evidence="Έντυπο 7")

    assert person.may_share_with(shelter) and not person.may_share_with(ngo)
    assert list(Person.objects.sharing_with(shelter)) == [person]
    assert not Person.objects.sharing_with(ngo).exists()
    assert list(person.sharing_agencies()) == [shelter]


@pytest.mark.django_db
def test_withdrawing_consent_to_share_takes_effect_at_once_and_is_recorded(shelter, ngo, intake_officer):
    person = PersonFactory(consent_processing_at=None)
    with time_machine.travel(DAY, tick=False):
        consent_give(person=person, by=intake_officer, method=SIGNED, share_with=[shelter, ngo])
    consent_to_share_withdraw(person=person, agency=shelter, by=intake_officer, reason="Δεν το θέλει πια")

    assert not person.may_share_with(shelter) and person.may_share_with(ngo)
    record = person.consents.order_by("at", "id").last()
    assert (record.kind, record.purpose, record.agency, record.by, record.note) == (
        "withdrawn", "sharing", shelter, intake_officer, "Δεν το θέλει πια"
    )
    assert person.has_processing_consent  # processing goes on


@pytest.mark.django_db
def test_withdrawing_consent_to_processing_ends_every_consent_to_share_even_once_renewed(shelter, intake_officer):
    person = PersonFactory(consent_processing_at=None)
    with time_machine.travel(DAY, tick=False):
        consent_give(person=person, by=intake_officer, method=SIGNED, share_with=[shelter])
    with time_machine.travel(DAY + datetime.timedelta(days=1), tick=False):
        consent_withdraw(person=person, by=intake_officer)
    assert not person.may_share_with(shelter)

    with time_machine.travel(DAY + datetime.timedelta(days=2), tick=False):
        consent_give(person=person, by=intake_officer, method=SIGNED)
    assert person.has_processing_consent and not person.may_share_with(shelter)

    with time_machine.travel(DAY + datetime.timedelta(days=3), tick=False):
        consent_give(person=person, by=intake_officer, method=SIGNED, share_with=[shelter])
    assert person.may_share_with(shelter)


@pytest.mark.django_db
def test_the_database_refuses_consent_to_share_without_an_agency_and_processing_with_one(shelter):
    person = PersonFactory()
    with pytest.raises(IntegrityError):
        ConsentRecord.objects.create(person=person, kind="given", method=SIGNED, purpose="sharing")


@pytest.mark.django_db
def test_the_database_refuses_consent_to_processing_naming_an_agency(shelter):
    with pytest.raises(IntegrityError):
        ConsentRecord.objects.create(person=PersonFactory(), kind="given", method=SIGNED, agency=shelter)


def _change_url(person):
    return reverse("admin:cases_person_change", args=[person.pk])


@pytest.mark.django_db
def test_the_person_page_shows_and_stops_sharing_per_agency(client, shelter, ngo, intake_officer):
    person = PersonFactory(consent_processing_at=None)
    consent_give(person=person, by=intake_officer, method=SIGNED, share_with=[shelter, ngo])
    opened_by(person, intake_officer)
    client.force_login(intake_officer)
    page = client.get(_change_url(person)).content.decode()
    assert "Ξενώνας Αστέγων" in page and "Κλίμακα" in page

    response = post_form(client, _change_url(person), stop_sharing_with=[shelter.pk])
    assert response.status_code == 302, form_errors(response)
    assert list(person.sharing_agencies()) == [ngo]
    assert person.consents.filter(kind="withdrawn", agency=shelter, by=intake_officer).exists()


@pytest.mark.django_db
def test_consent_to_share_is_given_with_a_recorded_consent_not_on_its_own(client, shelter, intake_officer):
    person = PersonFactory(consent_processing_at=None)
    opened_by(person, intake_officer)
    client.force_login(intake_officer)
    response = post_form(client, _change_url(person), consent_share_with=[shelter.pk])
    assert "consent_share_with" in form_errors(response)
    assert not person.consents.exists()
