"""Recognising a person across everyone, and opening a file outside one's work with a reason (issue 11)."""
import datetime

import pytest
import time_machine
from django.urls import reverse

from audit.models import AccessEvent
from privacy.models import AccessGrant
from tests.factories import CaseFactory, PersonFactory
from tests.workflows.conftest import as_user

pytestmark = pytest.mark.django_db
LOOKUP = reverse("admin:privacy_person_lookup")


def test_the_lookup_shows_enough_to_recognise_a_person_and_no_more(client, intake_officer):
    case = CaseFactory(person=PersonFactory(last_name="Παπαδοπούλου", first_name="Ελένη", phone="6912345678"))
    person = case.person
    page = as_user(client, intake_officer).get(LOOKUP, {"name": "παπαδοπουλου", "amka": person.amka})
    [match] = page.context["matches"]
    assert (match.name, match.birth_year, match.amka_matches, match.open_case, match.in_scope) == (
        "Παπαδοπούλου Ελένη", person.birth_date.year, True, case.pk, False)
    results = page.content.decode().split('<table class="gefyra-lookup">')[1].split("</table>")[0]
    assert person.phone not in results and person.amka not in results
    assert reverse("admin:privacy_break_glass", args=[person.pk]) in results
    searched = AccessEvent.objects.filter(action=AccessEvent.Action.SEARCH, model="cases.Person", user_id=intake_officer.pk).get()
    assert (searched.terms, searched.count) == (f"παπαδοπουλου {person.amka}", 1)
    other_amka = "01010100007" if person.amka != "01010100007" else "02020200008"
    [match] = client.get(LOOKUP, {"name": "Παπαδοπουλου", "amka": other_amka}).context["matches"]
    assert match.amka_matches is False


def test_staff_without_a_role_cannot_look_people_up(client, outsider):
    assert as_user(client, outsider).get(LOOKUP, {"name": "Παπ"}).status_code == 403


def test_break_glass_needs_a_reason_opens_the_file_for_the_day_and_is_listed_for_supervisors(
        client, training_officer, supervisor):
    person = CaseFactory().person
    page_url = reverse("admin:cases_person_change", args=[person.pk])
    open_url = reverse("admin:privacy_break_glass", args=[person.pk])
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        as_user(client, training_officer)
        assert client.get(page_url).status_code == 404
        assert client.post(open_url, {"reason": "  "}).status_code == 200  # the form again
        assert not AccessGrant.objects.exists()
        response = client.post(open_url, {"reason": "Τηλεφώνησε στο κέντρο"})
        assert response.status_code == 302 and response.url == page_url
        assert client.get(page_url).status_code == 200
        grant = AccessGrant.objects.get()
        assert (grant.user, grant.person, grant.reason) == (training_officer, person, "Τηλεφώνησε στο κέντρο")
        event = AccessEvent.objects.get(action=AccessEvent.Action.BREAK_GLASS)
        assert (event.user_id, event.person_id, event.details) == (training_officer.pk, person.pk, {"reason": grant.reason})

        clock.move_to(datetime.datetime(2026, 12, 2, 7, 0, tzinfo=datetime.UTC))
        assert as_user(client, training_officer).get(page_url).status_code == 404  # the next day it is closed again
        listed = as_user(client, supervisor).get(reverse("admin:privacy_accessgrant_changelist"), {"when": "yesterday"})
        assert list(listed.context["cl"].result_list) == [grant]
    assert as_user(client, training_officer).get(reverse("admin:privacy_accessgrant_changelist")).status_code == 403


def test_the_start_page_links_to_the_lookup_in_greek(client, training_officer):
    page = as_user(client, training_officer).get(reverse("admin:index")).content.decode()
    assert LOOKUP in page and "Αναζήτηση ατόμου που γνωρίζει το κέντρο" in page
    assert "Δεν εργάζεστε στον φάκελο" in client.get(reverse("admin:privacy_break_glass", args=[PersonFactory().pk])).content.decode()
