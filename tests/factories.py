"""factory_boy factories that build valid Greek data."""
from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from cases import models
from cases.demo import make_afm, make_amka

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = "Ελένη"
    last_name = factory.Sequence(lambda n: f"Υπάλληλος{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@gefyra.example")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            self.groups.add(Group.objects.get(name=role))
        if create:
            self.save()


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"AG{n}")
    name = factory.Sequence(lambda n: f"Κέντρο Κοινότητας {n}")
    kind = models.Agency.Kind.COMMUNITY_CENTRE


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    last_name = "Παπαδόπουλος"
    first_name = factory.Sequence(lambda n: f"Γιώργος{n}")
    birth_date = datetime.date(1985, 3, 14)
    sex = models.Person.Sex.MALE
    amka = factory.Sequence(lambda n: make_amka(datetime.date(1985, 3, 14), n))
    phone = "+306971234567"
    consent_processing_at = factory.LazyFunction(timezone.now)


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Referral

    agency = factory.SubFactory(AgencyFactory)
    agency_ref = factory.Sequence(lambda n: f"REF-{n:05d}")
    person = factory.SubFactory(PersonFactory)
    reason = "Αναζήτηση εργασίας"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Case

    person = factory.SubFactory(PersonFactory)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Employer

    afm = factory.Sequence(lambda n: make_afm(1000 + n))
    name = factory.Sequence(lambda n: f"Εργοδότης {n} Α.Ε.")
    sector = "Εστίαση"


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Vacancy

    employer = factory.SubFactory(EmployerFactory)
    title = "Βοηθός κουζίνας"


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Placement

    case = factory.SubFactory(CaseFactory)
    employer = factory.SubFactory(EmployerFactory)
    start_date = datetime.date(2026, 1, 15)
    contract_type = models.Placement.Contract.PERMANENT


def opened_by(case_or_person, *users) -> None:
    """Bring a person (and her cases) into each user's scope for today, as break-glass does: the tests of a page
    of someone's file need them to be allowed to open it."""
    from privacy.models import AccessGrant

    person = getattr(case_or_person, "person", case_or_person)
    AccessGrant.objects.bulk_create([AccessGrant(user=u, person=person, reason="test") for u in users])
