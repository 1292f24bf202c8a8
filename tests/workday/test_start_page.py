"""The start page is the working day of whoever signs in; the quick search on every page goes to what it names."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Appointment
from tests.factories import CaseFactory, PersonFactory, ReferralFactory
from tests.workflows.conftest import as_user, claimed, open_task
from workflows.models import CaseTask
from workflows.services import referral_start

pytestmark = pytest.mark.django_db
INDEX = reverse("admin:index")
QUEUE = reverse("admin:workflows_teamtask_changelist")


def _appointment(person, staff, hour: int, **kwargs) -> Appointment:
    at = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(hour)))
    return Appointment.objects.create(person=person, staff=staff, kind=Appointment.Kind.INTAKE, scheduled_at=at, **kwargs)


def test_an_intake_officers_day_holds_her_appointments_tasks_queue_and_referrals(client, intake_officer):
    waiting, mine = (referral_start(referral=ReferralFactory(), by=intake_officer) for _ in range(2))
    task = claimed(mine, "referral_review", intake_officer)
    CaseTask.objects.filter(pk=task.pk).update(scheduled=timezone.now() - datetime.timedelta(days=1))
    _appointment(mine.person, intake_officer, 10)
    _appointment(waiting.person, intake_officer, 9, status=Appointment.Status.CANCELLED)
    content = as_user(client, intake_officer).get(INDEX).content.decode()
    assert "Η μέρα μου" in content and "Διαχείριση του ιστότοπου" not in content
    appointments = content.split('id="today-appointments"')[1].split("</div>")[0]
    assert str(mine.person) in appointments and mine.person.phone in appointments and str(waiting.person) not in appointments
    due = content.split('id="tasks-due"')[1].split("</ul>")[0]
    assert reverse("admin:workflows_mytask_change", args=[task.pk]) in due and "εκπρόθεσμ" in due.lower()
    queued = open_task(waiting, "referral_review")
    assert f'name="_selected_action" value="{queued.pk}"' in content.split('id="queue-next"')[1].split("</ul>")[0]
    assert 'id="referrals-by-agency"' in content and 'id="stuck-cases"' not in content
    assert '<details id="all-sections">' in content  # the model list, out of the way


def test_the_claim_on_the_start_page_claims_the_task(client, intake_officer):
    case = referral_start(referral=ReferralFactory(), by=intake_officer)
    task = open_task(case, "referral_review")
    as_user(client, intake_officer).post(QUEUE, {"action": "claim", "_selected_action": [task.pk]})
    task.refresh_from_db()
    assert task.owner == intake_officer


def test_a_supervisors_day_shows_the_stuck_cases_and_the_workload(client, intake_officer, supervisor):
    case = referral_start(referral=ReferralFactory(), by=intake_officer)
    task = claimed(case, "referral_review", intake_officer)
    CaseTask.objects.filter(pk=task.pk).update(scheduled=timezone.now() - datetime.timedelta(days=3))
    content = as_user(client, supervisor).get(INDEX).content.decode()
    stuck = content.split('id="stuck-cases"')[1].split("</div>")[0]
    assert str(case.person) in stuck and intake_officer.get_full_name() in stuck


def test_an_at_risk_persons_phone_is_not_on_the_day_of_someone_not_her_key_worker(client, intake_officer):
    person = PersonFactory(at_risk=True, phone="+306970000001")
    _appointment(person, intake_officer, 11)
    content = as_user(client, intake_officer).get(INDEX).content.decode()
    assert str(person) in content and "6970000001" not in content


def test_the_start_page_reads_as_many_queries_for_many_rows_as_for_few(client, intake_officer, supervisor):
    def queries(cases: int) -> int:
        for _ in range(cases):
            case = referral_start(referral=ReferralFactory(), by=intake_officer)
            claimed(case, "referral_review", intake_officer)
            _appointment(case.person, intake_officer, 12)
            referral_start(referral=ReferralFactory(), by=intake_officer)
        counts = []
        for user in (intake_officer, supervisor):
            as_user(client, user)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(INDEX).status_code == 200
            counts.append(len(captured))
        return counts

    queries(1)
    assert queries(2) == queries(8)


def test_the_quick_search_goes_to_the_person_or_case_it_names_within_the_scope(client, intake_officer):
    case = referral_start(referral=ReferralFactory(), by=intake_officer)
    elsewhere = CaseFactory(person=PersonFactory())  # nothing of hers is the officer's
    go = reverse("workday_go")
    as_user(client, intake_officer)
    assert client.get(go, {"q": case.person.amka}).url == reverse("admin:cases_person_change", args=[case.person.pk])
    assert client.get(go, {"q": f"#{case.pk}"}).url == reverse("admin:cases_case_change", args=[case.pk])
    # Out of scope: the list's own search, which finds nothing, rather than a page that says she exists.
    assert client.get(go, {"q": elsewhere.person.amka}).url == f"{reverse('admin:cases_person_changelist')}?q={elsewhere.person.amka}"
    assert client.get(go, {"q": str(elsewhere.pk)}).url.startswith(reverse("admin:cases_person_changelist"))
    assert client.get(go, {"q": case.person.last_name}).url.startswith(reverse("admin:cases_person_changelist") + "?q=")
    assert 'id="quick-search"' in client.get(reverse("admin:cases_case_changelist")).content.decode()
