"""Staff see the people and cases they work with; everything else does not exist for them (issue 11)."""
import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Appointment, Case, VulnerableGroup
from tests.factories import CaseFactory, PersonFactory
from tests.workflows.conftest import as_user, claimed, complete_via_admin, open_task, task_url

pytestmark = pytest.mark.django_db


def _listed(client, name: str, **params) -> list:
    response = client.get(reverse(f"admin:cases_{name}_changelist"), params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def _urls(case) -> list[str]:
    person = case.person
    return [
        reverse("admin:cases_case_change", args=[case.pk]), reverse("admin:cases_case_history", args=[case.pk]),
        reverse("admin:cases_person_change", args=[person.pk]), reverse("admin:cases_person_history", args=[person.pk]),
        reverse("admin:cases_person_delete", args=[person.pk]),
        reverse("admin:cases_referral_change", args=[person.referrals.get().pk]),
        reverse("admin:workflows_case_work", args=[case.pk]),
    ]


def test_a_training_officer_sees_the_case_waiting_in_the_training_queue_and_not_another(
        client, in_services, training_officer, legal_adviser):
    elsewhere = CaseFactory()
    as_user(client, training_officer)
    assert _listed(client, "case") == [in_services]
    assert _listed(client, "person") == [in_services.person]
    assert all(client.get(url).status_code != 404 for url in _urls(in_services)[:3])
    for url in [reverse("admin:cases_case_change", args=[elsewhere.pk]),
                reverse("admin:cases_person_change", args=[elsewhere.person.pk])]:
        assert client.get(url).status_code == 404
    # No training asked for the lawyer: the case is not theirs at all, whatever the URL.
    as_user(client, legal_adviser)
    assert _listed(client, "case") == [] and _listed(client, "person") == []
    assert {client.get(url).status_code for url in _urls(in_services)} == {404}


def test_a_task_done_stays_in_scope_for_who_did_it_not_for_their_colleague(client, new_case, intake_officer):
    from tests.factories import UserFactory

    colleague = UserFactory(username="intake2", roles=["Intake officer"])
    complete_via_admin(client, new_case, "referral_review", intake_officer, decision="accept")
    complete_via_admin(client, new_case, "intake", intake_officer, outcome="held", identity_confirmed="on",
                       consent_confirmed="on")
    assert new_case.pk in [c.pk for c in _listed(as_user(client, intake_officer), "case")]
    assert _listed(as_user(client, colleague), "case") == []  # it has left the intake officers' queue


def test_the_key_worker_sees_the_case_and_the_person(client, counsellor):
    mine, other = CaseFactory(key_worker=counsellor), CaseFactory()
    as_user(client, counsellor)
    assert _listed(client, "case") == [mine]
    assert _listed(client, "person") == [mine.person]
    assert client.get(reverse("admin:cases_person_change", args=[other.person.pk])).status_code == 404


def test_a_supervisor_sees_everyone(client, supervisor, in_services):
    other = CaseFactory()
    as_user(client, supervisor)
    assert set(_listed(client, "case")) == {in_services, other}


def test_the_gbv_filter_and_the_search_list_only_people_in_scope(client, counsellor):
    gbv = VulnerableGroup.objects.get(code="gbv")
    mine, other = CaseFactory(key_worker=counsellor), CaseFactory()
    for case in (mine, other):
        case.person.vulnerable_groups.add(gbv)
    as_user(client, counsellor)
    assert _listed(client, "person", vulnerable_groups__id__exact=gbv.pk) == [mine.person]
    assert _listed(client, "person", q=other.person.amka) == []
    assert _listed(client, "person", q=other.person.last_name) == [mine.person] * (mine.person.last_name == other.person.last_name)


def test_autocomplete_dropdowns_and_inlines_offer_only_what_is_in_scope(client, counsellor):
    mine, other = CaseFactory(key_worker=counsellor), CaseFactory()
    CaseFactory(person=mine.person, stage="closed", closed_on=mine.opened_on)  # her earlier case, not his
    as_user(client, counsellor)
    found = client.get(reverse("admin:autocomplete"), {
        "app_label": "cases", "model_name": "appointment", "field_name": "person", "term": ""}).json()
    assert [r["id"] for r in found["results"]] == [str(mine.person.pk)]
    form = client.get(reverse("admin:cases_appointment_add")).context["adminform"].form
    assert list(form.fields["case"].queryset) == [mine]
    response = client.post(reverse("admin:cases_appointment_add"), {
        "person": other.person.pk, "case": other.pk, "staff": counsellor.pk, "kind": "counselling",
        "scheduled_at_0": "01/12/2026", "scheduled_at_1": "10:00", "status": "scheduled"})
    assert set(response.context["adminform"].form.errors) == {"person", "case"}  # refused as invalid choices
    person_page = client.get(reverse("admin:cases_person_change", args=[mine.person.pk]))
    cases_inline = next(f for f in person_page.context["inline_admin_formsets"] if f.formset.model is Case)
    assert [form.instance for form in cases_inline.formset.forms] == [mine]


def test_the_export_holds_only_the_rows_in_scope(client, counsellor):
    from django.contrib.auth.models import Permission

    from tests.exports.test_exports import export

    counsellor.user_permissions.add(Permission.objects.get(codename="export_case"))
    mine, other = CaseFactory(key_worker=counsellor), CaseFactory()
    content = export(as_user(client, counsellor), "case").body.decode("utf-8-sig")
    assert str(mine.person.amka) in content and str(other.person.amka) not in content


def test_an_appointment_with_a_person_out_of_scope_is_404(client, counsellor):
    person = PersonFactory()
    appointment = Appointment.objects.create(person=person, staff=counsellor, kind="counselling", scheduled_at=timezone.now())
    assert as_user(client, counsellor).get(
        reverse("admin:cases_appointment_change", args=[appointment.pk])).status_code == 404


def test_the_intake_officer_sees_a_person_entered_before_their_referral(client, intake_officer, counsellor):
    person = PersonFactory()
    assert _listed(as_user(client, intake_officer), "person") == [person]
    assert _listed(as_user(client, counsellor), "person") == []


def test_a_task_claimed_by_a_colleague_a_moment_ago_says_so(client, new_case, intake_officer):
    from tests.factories import UserFactory

    colleague = UserFactory(username="intake2", roles=["Intake officer"])
    task = claimed(new_case, "referral_review", intake_officer)
    assert as_user(client, colleague).get(task_url(task)).status_code == 404
    response = client.post(task_url(open_task(new_case, "referral_review"), "claim"), follow=True)
    assert intake_officer.get_full_name() in [m.message for m in response.context["messages"]][0]


def test_a_filter_on_a_relation_to_people_or_cases_offers_only_those_in_scope():
    from django.contrib.admin import RelatedOnlyFieldListFilter

    from cases.models import FollowUp, ServiceSession
    from privacy.admin_mixins import _related_only

    assert _related_only(ServiceSession, "service") == ("service", RelatedOnlyFieldListFilter)
    assert _related_only(FollowUp, "placement__case") == ("placement__case", RelatedOnlyFieldListFilter)
    assert _related_only(ServiceSession, "service__kind") == "service__kind"  # a value, not a row
