"""Every field is classified, and each restricted category is seen only by the roles allowed it."""
import pytest
from django.db import models
from django.test.utils import isolate_apps

from cases.models import NeedsAssessment, Person, VulnerableGroup
from privacy import fields
from privacy.categories import Category
from privacy.checks import check_fields_classified
from tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db

# Who sees each restricted category (privacy migration 0002).
ALLOWED = {
    Category.HEALTH: {"intake_officer", "counsellor", "supervisor", "data_protection_officer"},
    Category.ETHNIC_ORIGIN: {"intake_officer", "counsellor", "supervisor", "data_protection_officer"},
    Category.GBV: {"intake_officer", "counsellor", "supervisor", "data_protection_officer"},
    Category.CRIMINAL_RECORD: {"intake_officer", "counsellor", "supervisor", "data_protection_officer", "legal_adviser"},
    Category.FINANCIAL: {
        "intake_officer", "counsellor", "supervisor", "data_protection_officer", "legal_adviser", "accountant",
    },
    Category.LEGAL_STATUS: {"intake_officer", "counsellor", "supervisor", "data_protection_officer", "legal_adviser"},
}
PERSONAS = [
    "intake_officer", "counsellor", "training_officer", "legal_adviser", "accountant", "placement_officer",
    "supervisor", "data_protection_officer", "outsider",
]


def test_every_field_of_our_models_is_classified():
    assert check_fields_classified() == []


def test_an_unclassified_field_fails_the_check(monkeypatch):
    person = dict(fields.REGISTRY["cases.Person"])
    person[Category.ORDINARY] = person[Category.ORDINARY].replace(" education ", " ")
    monkeypatch.setitem(fields.REGISTRY, "cases.Person", person)

    errors = check_fields_classified()

    assert [(e.id, e.msg) for e in errors] == [("privacy.E001", "cases.Person.education is not classified.")]


@isolate_apps("cases")
def test_a_new_model_has_every_field_unclassified():
    class Pet(models.Model):
        name = models.CharField(max_length=20)

        class Meta:
            app_label = "cases"

        def __str__(self) -> str:
            return self.name

    assert fields.unclassified(Pet) == ["id", "name"]


def test_vulnerable_group_categories_are_privacy_categories():
    assert set(VulnerableGroup.Category.values) <= set(Category.values)
    for value, label in VulnerableGroup.Category.choices:
        assert str(label) == str(Category(value).label)


def test_sensitive_vulnerable_groups_carry_their_category():
    category = dict(VulnerableGroup.objects.values_list("code", "category"))
    assert category["gbv"] == "gbv"
    assert category["roma"] == "ethnic_origin"
    assert {category[c] for c in ("recovered_addiction", "mental_illness", "autism", "disability")} == {"health"}
    assert category["ex_prisoner"] == "criminal_record"
    assert category["migrant"] == category["over_50"] == "ordinary"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_restricted_category_only_for_the_roles_allowed(persona, request):
    user = request.getfixturevalue(persona)
    assert {c for c in ALLOWED if fields.may_see(user, c)} == {c for c, roles in ALLOWED.items() if persona in roles}
    assert fields.may_see(user, Category.ORDINARY) and fields.may_see(user, Category.CONTACT)


def test_the_legal_adviser_sees_legal_status_not_health(legal_adviser, supervisor):
    assert fields.hidden_fields(legal_adviser, NeedsAssessment) == {"health", "addiction"}
    assert fields.hidden_fields(supervisor, NeedsAssessment) == set()


def test_a_child_model_inherits_its_parents_classification(accountant):
    from cases.models import LegalAdvice

    assert fields.hidden_fields(accountant, LegalAdvice) == {"topic"}
    assert "case" in fields.categories(LegalAdvice)


def test_vulnerable_groups_are_shown_by_their_category(legal_adviser, training_officer, counsellor):
    person = PersonFactory()
    person.vulnerable_groups.set(VulnerableGroup.objects.filter(code__in=["gbv", "ex_prisoner", "migrant"]))

    def codes(user):
        return set(fields.visible_groups(user, person).values_list("code", flat=True))

    assert codes(counsellor) == {"gbv", "ex_prisoner", "migrant"}
    assert codes(legal_adviser) == {"ex_prisoner", "migrant"}
    assert codes(training_officer) == {"migrant"}
    assert "vulnerable_groups" in fields.hidden_fields(legal_adviser, Person)
    assert "vulnerable_groups" not in fields.hidden_fields(counsellor, Person)


def test_an_at_risk_persons_contact_details_go_to_her_key_worker_and_supervisors(counsellor, supervisor, intake_officer):
    person = PersonFactory(at_risk=True)
    CaseFactory(person=person, key_worker=counsellor)

    assert fields.hidden_fields_of(counsellor, person) == set()
    assert fields.hidden_fields_of(supervisor, person) == set()
    assert fields.hidden_fields_of(intake_officer, person) == {"phone", "email", "address"}
    person.at_risk = False
    assert fields.hidden_fields_of(intake_officer, person) == set()
