"""Admin pages withhold what a role may not see: a placeholder instead of the value, no input, no filter."""
import pytest
from django.urls import reverse

from cases.models import NeedsAssessment, Person, VulnerableGroup
from tests.factories import CaseFactory, PersonFactory, opened_by

pytestmark = pytest.mark.django_db
# Greek is the default language.
WITHHELD = "Δεν εμφανίζεται — δεν έχετε δικαίωμα να το δείτε"


@pytest.fixture
def assessment():
    return NeedsAssessment.objects.create(
        case=CaseFactory(), health="Διαβήτης τύπου 1", addiction="Αλκοόλ", legal_status="Άδεια διαμονής σε εκκρεμότητα",
        finances="Χρέη στην εφορία",
    )


def _get(client, user, url):
    """The page as `user`, every file of the test opened to them: what is tested here is fields, not scope."""
    for person in Person.objects.all():
        opened_by(person, user)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_legal_adviser_sees_legal_status_but_not_health(client, legal_adviser, assessment):
    page = _get(client, legal_adviser, reverse("admin:cases_needsassessment_change", args=[assessment.pk]))
    assert "Άδεια διαμονής σε εκκρεμότητα" in page and "Χρέη στην εφορία" in page
    assert "Διαβήτης" not in page and "Αλκοόλ" not in page
    assert WITHHELD in page
    assert 'name="health"' not in page


def test_the_supervisor_sees_every_category(client, supervisor, assessment):
    page = _get(client, supervisor, reverse("admin:cases_needsassessment_change", args=[assessment.pk]))
    assert "Διαβήτης" in page and "Άδεια διαμονής" in page
    assert WITHHELD not in page


def test_a_hidden_field_cannot_be_posted(client, accountant, assessment):
    from django.contrib.auth.models import Permission

    # No role both changes assessments and lacks a category: give the accountant the permission to change them.
    accountant.user_permissions.add(Permission.objects.get(codename="change_needsassessment"))
    opened_by(assessment.case, accountant)
    client.force_login(accountant)
    url = reverse("admin:cases_needsassessment_change", args=[assessment.pk])
    response = client.post(url, {"case": assessment.case_id, "health": "", "housing": assessment.housing, "finances": "x",
                                 "assessed_on": "01/12/2026"})
    assert response.status_code == 302, response.context["adminform"].form.errors  # saved: what the accountant may see
    assessment.refresh_from_db()
    assert (assessment.health, assessment.finances) == ("Διαβήτης τύπου 1", "x")


def test_the_case_page_withholds_in_its_needs_assessment_inline(client, training_officer, counsellor, assessment):
    url = reverse("admin:cases_case_change", args=[assessment.case_id])
    assert "Διαβήτης" not in _get(client, training_officer, url)
    assert "Διαβήτης" in _get(client, counsellor, url)


def test_the_person_list_offers_no_filter_by_group_to_who_may_not_see_every_group(client, legal_adviser, supervisor):
    person = PersonFactory()
    person.vulnerable_groups.add(VulnerableGroup.objects.get(code="gbv"))
    url = reverse("admin:cases_person_changelist")
    assert "vulnerable_groups__id__exact" not in _get(client, legal_adviser, url)
    assert "vulnerable_groups__id__exact" in _get(client, supervisor, url)


def test_an_at_risk_persons_phone_is_withheld_but_for_her_key_worker(client, counsellor, intake_officer):
    person = PersonFactory(at_risk=True, phone="+306970000001")
    CaseFactory(person=person, key_worker=counsellor)
    url = reverse("admin:cases_person_change", args=[person.pk])
    assert "6970000001" in _get(client, counsellor, url)
    page = _get(client, intake_officer, url)
    assert "6970000001" not in page and WITHHELD in page


def test_the_person_page_shows_only_the_groups_the_role_may_see(client, legal_adviser):
    person = PersonFactory()
    person.vulnerable_groups.set(VulnerableGroup.objects.filter(code__in=["gbv", "ex_prisoner"]))
    page = _get(client, legal_adviser, reverse("admin:cases_person_change", args=[person.pk]))
    assert str(VulnerableGroup.objects.get(code="ex_prisoner")) in page
    assert str(VulnerableGroup.objects.get(code="gbv")) not in page
    assert "ορισμένες δεν εμφανίζονται" in page


def test_the_person_list_withholds_an_at_risk_persons_phone(client, intake_officer, supervisor):
    PersonFactory(at_risk=True, phone="+306970000002")
    PersonFactory(phone="+306970000003")
    url = reverse("admin:cases_person_changelist")
    page = _get(client, intake_officer, url)
    assert "6970000002" not in page and "6970000003" in page
    assert "6970000002" in _get(client, supervisor, url)


@pytest.mark.parametrize("term", ["6970000005", "eleni.k@example.gr"])
def test_an_at_risk_person_is_not_found_by_her_phone_or_email(client, intake_officer, supervisor, term):
    PersonFactory(last_name="Κυριακού", at_risk=True, phone="+306970000005", email="eleni.k@example.gr")
    other = PersonFactory(last_name="Λαμπράκη", phone="+306970000006", email="maria.l@example.gr")
    url = reverse("admin:cases_person_changelist")
    for user in (intake_officer, supervisor):
        assert "Κυριακού" not in _get(client, user, f"{url}?q={term}")
        assert "Λαμπράκη" in _get(client, user, f"{url}?q={other.phone[-10:] if term[0] == '6' else other.email}")
    assert "Κυριακού" in _get(client, intake_officer, f"{url}?q=κυριακου")  # still found by name


def test_the_task_queue_offers_no_filter_by_group_to_the_legal_adviser(client, legal_adviser, supervisor):
    url = reverse("admin:workflows_teamtask_changelist")
    assert "?group=" in _get(client, supervisor, url)
    assert "?group=" not in _get(client, legal_adviser, url)
