from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AccessEvent
from imports.services import referral_import
from tests.exports.test_exports import export
from tests.factories import PersonFactory, UserFactory, opened_by
from tests.imports.conftest import csv_bytes, person_row


def last_event(**filters):
    return AccessEvent.objects.filter(**filters).latest("id")


def test_opening_a_person_records_a_view_with_the_person(admin_client, admin_user):
    person = PersonFactory()
    admin_client.get(reverse("admin:cases_person_change", args=[person.pk]))
    event = last_event(action=AccessEvent.Action.VIEW)
    assert (event.user_id, event.username, event.model, event.person_id) == (admin_user.pk, admin_user.username, "cases.Person", person.pk)
    assert event.remote_addr == "127.0.0.1"


def test_a_case_page_records_its_person(admin_client, new_case):
    admin_client.get(reverse("admin:cases_case_change", args=[new_case.pk]))
    assert last_event(action=AccessEvent.Action.VIEW).person_id == new_case.person_id


def test_a_search_records_its_terms_filters_and_count(admin_client):
    PersonFactory(last_name="Παπαδοπούλου")
    admin_client.get(reverse("admin:cases_person_changelist"), {"q": "Παπαδοπούλου", "sex__exact": "F", "p": "0"})
    event = last_event(action=AccessEvent.Action.SEARCH)
    assert (event.model, event.terms, event.filters) == ("cases.Person", "Παπαδοπούλου", {"sex__exact": "F"})
    assert event.count is not None


def test_an_export_records_model_filters_and_rows(admin_client):
    PersonFactory()
    export(admin_client, "person", query="?vulnerable_groups__id__exact=1")
    event = last_event(action=AccessEvent.Action.EXPORT)
    assert (event.model, event.filters, event.details) == ("cases.Person", {"vulnerable_groups__id__exact": "1"}, {"format": "csv"})
    # "Who exported GBV victims": the filters are searchable.
    assert AccessEvent.objects.filter(action=AccessEvent.Action.EXPORT, filters__icontains="vulnerable_groups").exists()


def test_an_import_records_its_batch_and_rows(agency, intake_officer):
    file = SimpleUploadedFile("r.csv", csv_bytes([person_row(1), person_row(2)]))
    report = referral_import(file=file, agency=agency, by=intake_officer)
    event = last_event(action=AccessEvent.Action.IMPORT)
    assert (event.username, event.object_id, event.count) == ("intake", str(report.batch.pk), 2)


def test_login_logout_and_failed_login_are_recorded(client, db):
    UserFactory(username="maria", password="right-one", is_staff=True)
    client.post(reverse("admin:login"), {"username": "maria", "password": "wrong"})
    failed = last_event(action=AccessEvent.Action.LOGIN_FAILED)
    assert failed.details == {"username": "maria"} and "wrong" not in str(failed.details)
    client.post(reverse("admin:login"), {"username": "maria", "password": "right-one"})
    assert last_event(action=AccessEvent.Action.LOGIN).username == "maria"
    client.post(reverse("admin:logout"))
    assert last_event(action=AccessEvent.Action.LOGOUT).username == "maria"


def test_the_access_log_filters_by_person(client, supervisor):
    person = PersonFactory()
    client.force_login(supervisor)
    client.get(reverse("admin:cases_person_change", args=[person.pk]))
    page = client.get(reverse("admin:audit_accessevent_changelist"), {"person_id": person.pk})
    assert page.context["cl"].result_count == 1


def test_the_person_page_shows_supervisors_who_opened_it(client, supervisor, counsellor):
    person = PersonFactory()
    opened_by(person, counsellor)
    client.force_login(counsellor)
    client.get(reverse("admin:cases_person_change", args=[person.pk]))
    counsellors_page = client.get(reverse("admin:cases_person_change", args=[person.pk]))
    assert "accesses" not in counsellors_page.context and 'id="accesses"' not in counsellors_page.content.decode()

    client.force_login(supervisor)
    page = client.get(reverse("admin:cases_person_change", args=[person.pk]))
    shown = page.context["accesses"]
    assert [e.username for e in shown] == [counsellor.username, counsellor.username]
    assert all(e.person_id == person.pk for e in shown)
    html = page.content.decode()
    assert "Ποιος άνοιξε αυτόν τον φάκελο" in html and counsellor.username in html
    assert f"?person_id={person.pk}" in html


def test_the_person_page_lists_the_last_fifty_accesses_in_one_query(client, supervisor):
    person, other = PersonFactory(), PersonFactory()
    AccessEvent.objects.bulk_create([AccessEvent(action="view", person_id=person.pk, username=f"u{i}") for i in range(60)])
    AccessEvent.objects.create(action="view", person_id=other.pk, username="elsewhere")
    client.force_login(supervisor)
    page = client.get(reverse("admin:cases_person_change", args=[person.pk]))
    shown = page.context["accesses"]
    assert len(shown) == 50 and shown[0].username == "u59" and "elsewhere" not in page.content.decode()


def test_asking_for_a_file_out_of_scope_is_404_and_recorded_with_the_person(client, training_officer, new_case):
    client.force_login(training_officer)
    for url in (reverse("admin:cases_person_change", args=[new_case.person_id]),
                reverse("admin:cases_case_history", args=[new_case.pk]),
                reverse("admin:workflows_case_work", args=[new_case.pk])):
        assert client.get(url).status_code == 404
        event = last_event(action=AccessEvent.Action.REFUSED)
        assert (event.user_id, event.person_id, event.path) == (training_officer.pk, new_case.person_id, url)


def test_a_row_that_does_not_exist_is_404_with_nothing_to_record(client, training_officer):
    client.force_login(training_officer)
    assert client.get(reverse("admin:cases_person_change", args=[999999])).status_code == 404
    assert not AccessEvent.objects.filter(action=AccessEvent.Action.REFUSED).exists()
