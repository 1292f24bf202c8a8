import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse

from audit.context import channel
from cases.models import VulnerableGroup
from tests.factories import PersonFactory
from tests.workflows.conftest import complete_via_admin


def entries_of(obj):
    return LogEntry.objects.get_for_object(obj).order_by("pk")


def test_a_change_is_logged_with_actor_address_channel_and_old_and_new_values(admin_user):
    person = PersonFactory(first_name="Μαρία")
    assert entries_of(person).get().action == LogEntry.Action.CREATE
    person.first_name = "Ελένη"
    with set_actor(admin_user, remote_addr="10.0.0.7"), channel("admin", "/admin/cases/person/1/change/"):
        person.save()
    entry = entries_of(person).last()
    assert (entry.action, entry.actor, entry.remote_addr) == (LogEntry.Action.UPDATE, admin_user, "10.0.0.7")
    assert entry.changes["first_name"] == ["Μαρία", "Ελένη"]
    assert entry.additional_data == {"channel": "admin", "via": "/admin/cases/person/1/change/"}


def test_the_vulnerable_groups_of_a_person_are_logged(db):
    person = PersonFactory()
    person.vulnerable_groups.add(VulnerableGroup.objects.first())
    assert entries_of(person).filter(changes__has_key="vulnerable_groups").exists()


def test_a_workflow_step_names_itself_on_the_log(client, new_case, intake_officer):
    complete_via_admin(client, new_case, "referral_review", intake_officer, decision="accept")
    steps = LogEntry.objects.filter(additional_data__channel="step")
    assert steps.filter(additional_data__via="referral_review", actor=intake_officer).exists()


@pytest.mark.parametrize("url_name", ["admin:auditlog_logentry_changelist", "admin:audit_accessevent_changelist"])
def test_only_supervisors_and_the_dpo_see_the_audit(client, supervisor, data_protection_officer, counsellor, url_name):
    for user, status in [(supervisor, 200), (data_protection_officer, 200), (counsellor, 403)]:
        client.force_login(user)
        assert client.get(reverse(url_name)).status_code == status


def test_nobody_edits_or_deletes_audit_rows_in_the_admin(admin_client):
    entry_page = admin_client.get(reverse("admin:auditlog_logentry_changelist"))
    assert entry_page.status_code == 200
    PersonFactory()
    entry = LogEntry.objects.first()
    assert admin_client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()
