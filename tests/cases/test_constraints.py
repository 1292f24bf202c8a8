import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.models import Person, Referral
from cases.search import named
from tests.factories import AgencyFactory, PersonFactory, ReferralFactory


@pytest.mark.django_db
def test_amka_is_unique_when_present():
    PersonFactory(amka="01013099997")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(amka="01013099997")


@pytest.mark.django_db
def test_many_people_may_have_no_amka():
    PersonFactory(amka=None)
    PersonFactory(amka="")  # stored as NULL, not as a second empty string
    assert Person.objects.filter(amka__isnull=True).count() == 2


@pytest.mark.django_db
def test_agency_reference_is_unique_per_agency_only():
    agency, other = AgencyFactory(), AgencyFactory()
    ReferralFactory(agency=agency, agency_ref="R-1")
    ReferralFactory(agency=other, agency_ref="R-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralFactory(agency=agency, agency_ref="R-1")
    assert Referral.objects.filter(agency_ref="R-1").count() == 2


@pytest.mark.django_db
def test_full_clean_reports_bad_amka_on_the_field():
    person = PersonFactory.build(amka="01013099999")
    with pytest.raises(ValidationError) as exc:
        person.full_clean()
    assert exc.value.error_dict["amka"][0].code == "checksum"


@pytest.mark.django_db
def test_person_search_text_folds_accents_and_case():
    person = PersonFactory(last_name="Παπαδόπουλος", first_name="Γιώργος")
    assert "παπαδοπουλοσ γιωργοσ" in person.search_text
    assert list(named(Person.objects.all(), "ΠΑΠΑΔΟΠΟΥΛΟΣ")) == [person]
