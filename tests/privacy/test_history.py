"""History pages show the change log's old and new values, withheld as the record's own page withholds them."""
import pytest
from django.urls import reverse

from audit.context import channel
from cases.models import NeedsAssessment, Person, VulnerableGroup
from tests.factories import CaseFactory, PersonFactory
from tests.privacy.test_admin_withholding import WITHHELD, _get

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment():
    assessment = NeedsAssessment.objects.create(case=CaseFactory(), health="Διαβήτης τύπου 1", legal_status="Εκκρεμεί")
    with channel("step", "Intake"):
        assessment.health, assessment.legal_status = "Διαβήτης τύπου 2", "Άδεια διαμονής"
        assessment.save()
    return assessment


def _history(client, user, obj):
    return _get(client, user, reverse(f"admin:cases_{obj._meta.model_name}_history", args=[obj.pk]))


def test_the_history_shows_who_changed_what_through_what_from_and_to(client, counsellor, assessment):
    page = _history(client, counsellor, assessment)
    assert "Διαβήτης τύπου 1" in page and "Διαβήτης τύπου 2" in page
    assert "Εκκρεμεί" in page and "Άδεια διαμονής" in page
    assert "step Intake" in page


def test_the_history_withholds_the_values_of_a_category_the_role_may_not_see(client, legal_adviser, assessment):
    page = _history(client, legal_adviser, assessment)
    assert "Εκκρεμεί" in page and "Άδεια διαμονής" in page  # legal status: the legal adviser's
    assert "Διαβήτης" not in page and WITHHELD in page


def test_an_at_risk_persons_old_and_new_phone_are_only_for_her_key_worker_and_supervisors(
    client, counsellor, supervisor, training_officer
):
    person = PersonFactory(phone="+306971111111", at_risk=True)
    CaseFactory(person=person, key_worker=counsellor)
    person.phone = "+306972222222"
    person.save()

    for allowed in (counsellor, supervisor):
        page = _history(client, allowed, person)
        assert "+306971111111" in page and "+306972222222" in page
    page = _history(client, training_officer, person)
    assert "697111" not in page and "697222" not in page and WITHHELD in page


def test_the_groups_added_to_a_person_are_withheld_from_who_may_not_see_every_group(client, counsellor, training_officer):
    person = PersonFactory()
    person.vulnerable_groups.add(VulnerableGroup.objects.get(code="gbv"))
    gbv = str(VulnerableGroup.objects.get(code="gbv"))
    assert gbv in _history(client, counsellor, person)
    page = _history(client, training_officer, person)
    assert gbv not in page and WITHHELD in page


def test_a_history_out_of_scope_is_404(client, training_officer):
    person = PersonFactory()
    client.force_login(training_officer)
    assert client.get(reverse("admin:cases_person_history", args=[person.pk])).status_code == 404
    assert Person.objects.filter(pk=person.pk).exists()


def test_the_history_pages_its_entries(client, supervisor):
    person = PersonFactory()
    for n in range(55):
        person.father_name = f"Πατέρας {n}"
        person.save()
    page = _history(client, supervisor, person)
    assert "Πατέρας 54" in page and "Πατέρας 3<" not in page  # newest first, 50 a page
    assert "56 καταχωρίσεις" in page
