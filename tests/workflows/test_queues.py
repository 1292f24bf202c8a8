"""My tasks, my team's queue, stuck cases, workload: who sees what, claim/release/reassign, query counts."""
import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from viewflow.workflow.status import STATUS

from tests.factories import ReferralFactory, UserFactory
from tests.workflows.conftest import as_user, claimed, open_task, task_url
from workflows import step_services
from workflows.models import CaseTask
from workflows.services import referral_start, task_claim, task_reassign

pytestmark = pytest.mark.django_db

MY_TASKS = reverse("admin:workflows_mytask_changelist")
QUEUE = reverse("admin:workflows_teamtask_changelist")
STUCK = reverse("admin:workflows_stucktask_changelist")
WORKLOAD = reverse("admin:workflows_staffworkload_changelist")


def _cases(n, by):
    return [referral_start(referral=ReferralFactory(), by=by) for _ in range(n)]


def test_team_queue_lists_unassigned_tasks_of_my_groups_only(client, intake_officer, placement_officer):
    case, = _cases(1, intake_officer)
    response = as_user(client, intake_officer).get(QUEUE)
    assert response.status_code == 200
    assert str(case.person) in response.content.decode()
    response = as_user(client, placement_officer).get(QUEUE)
    assert str(case.person) not in response.content.decode()


def test_claim_and_release_through_the_admin_actions(client, intake_officer):
    case, = _cases(1, intake_officer)
    task = open_task(case, "referral_review")
    as_user(client, intake_officer).post(QUEUE, {"action": "claim", "_selected_action": [task.pk]})
    task.refresh_from_db()
    assert task.owner == intake_officer and task.status == STATUS.ASSIGNED and task.assigned is not None
    assert str(case.person) in client.get(MY_TASKS).content.decode()
    assert str(case.person) not in client.get(QUEUE).content.decode()

    client.post(MY_TASKS, {"action": "release", "_selected_action": [task.pk]})
    task.refresh_from_db()
    assert task.owner is None and task.status == STATUS.NEW
    assert list(case.events.filter(action__startswith="task_").values_list("action", flat=True)) == [
        "task_claimed", "task_released"
    ]


def test_second_claim_gets_a_clear_message(client, intake_officer):
    case, = _cases(1, intake_officer)
    colleague = UserFactory(username="intake2", roles=["Intake officer"])
    task = open_task(case, "referral_review")
    task_claim(task=task, by=intake_officer)
    response = as_user(client, colleague).post(task_url(task, "claim"), follow=True)
    [message] = list(response.context["messages"])
    assert message.level_tag == "error" and intake_officer.get_full_name() in message.message
    task.refresh_from_db()
    assert task.owner == intake_officer


def test_my_tasks_lists_overdue_first_then_by_due_date(client, intake_officer):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC), tick=False) as clock:
        old, = _cases(1, intake_officer)
        clock.move_to(datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.UTC))
        new, = _cases(1, intake_officer)
        claimed(new, "referral_review", intake_officer)
        claimed(old, "referral_review", intake_officer)
        content = as_user(client, intake_officer).get(MY_TASKS).content.decode()
    assert content.index(str(old.person)) < content.index(str(new.person))
    assert "⚠" in content


def test_my_tasks_filters_by_step_agency_and_vulnerable_group(client, intake_officer):
    from cases.models import VulnerableGroup

    a, b = _cases(2, intake_officer)
    group = VulnerableGroup.objects.get(code="refugee")
    a.person.vulnerable_groups.add(group)
    for case in (a, b):
        claimed(case, "referral_review", intake_officer)
    as_user(client, intake_officer)
    content = client.get(MY_TASKS, {"group": group.pk}).content.decode()
    assert str(a.person) in content and str(b.person) not in content
    agency = a.referrals.get().agency
    content = client.get(MY_TASKS, {"agency": agency.pk}).content.decode()
    assert str(a.person) in content and str(b.person) not in content
    content = client.get(MY_TASKS, {"step": "intake"}).content.decode()
    assert str(a.person) not in content


def test_another_groups_task_url_answers_404(client, intake_officer, legal_adviser, outsider):
    case, = _cases(1, intake_officer)
    url = task_url(open_task(case, "referral_review"))
    # The case is outside their work: for them it does not exist.
    assert as_user(client, legal_adviser).get(url).status_code == 404
    assert as_user(client, outsider).get(url).status_code == 404
    assert as_user(client, intake_officer).get(url).status_code == 200


def test_outsider_and_staff_cannot_see_supervisor_pages(client, outsider, intake_officer, supervisor):
    assert as_user(client, outsider).get(MY_TASKS).status_code == 403
    assert as_user(client, intake_officer).get(STUCK).status_code == 403
    assert as_user(client, intake_officer).get(WORKLOAD).status_code == 403
    assert as_user(client, supervisor).get(STUCK).status_code == 200
    assert client.get(WORKLOAD).status_code == 200


def test_services_check_permissions_themselves(intake_officer, placement_officer, legal_adviser):
    """viewflow's activation methods do not check who calls them: the services do."""
    case, = _cases(1, intake_officer)
    task = open_task(case, "referral_review")
    with pytest.raises(PermissionDenied):
        task_claim(task=task, by=legal_adviser)
    task_claim(task=task, by=intake_officer)
    task.refresh_from_db()
    with pytest.raises(PermissionDenied):  # not the assignee
        step_services.referral_accept(task=task, by=placement_officer)
    with pytest.raises(PermissionDenied):  # not a supervisor
        task_reassign(task=task, to=placement_officer, by=intake_officer, reason="x")
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED and task.owner == intake_officer


def test_reassign_only_to_a_member_of_the_steps_group(intake_officer, supervisor, placement_officer):
    case, = _cases(1, intake_officer)
    task = claimed(case, "referral_review", intake_officer)
    with pytest.raises(ValidationError):
        task_reassign(task=task, to=placement_officer, by=supervisor, reason="Άδεια")
    colleague = UserFactory(username="intake2", roles=["Intake officer"])
    task_reassign(task=task, to=colleague, by=supervisor, reason="Άδεια")
    task.refresh_from_db()
    assert task.owner == colleague
    assert case.events.filter(action="task_reassigned", by=supervisor, reason__contains="intake → intake2: Άδεια").exists()


def test_bulk_reassignment_of_everything_of_someone_on_leave(client, intake_officer, supervisor):
    cases = _cases(3, intake_officer)
    tasks = [claimed(c, "referral_review", intake_officer) for c in cases]
    colleague = UserFactory(username="intake2", roles=["Intake officer"])
    url = reverse("admin:workflows_casetask_changelist")
    as_user(client, supervisor)
    page = client.post(url, {"action": "reassign", "_selected_action": [t.pk for t in tasks]})
    assert page.status_code == 200 and 'name="to"' in page.content.decode()
    client.post(url, {"action": "reassign", "apply": "1", "_selected_action": [t.pk for t in tasks],
                      "to": colleague.pk, "reason": "Άδεια μητρότητας"})
    assert set(CaseTask.objects.filter(pk__in=[t.pk for t in tasks]).values_list("owner__username", flat=True)) == {"intake2"}
    # The new assignee sees them at once.
    content = as_user(client, colleague).get(MY_TASKS).content.decode()
    assert all(str(c.person) in content for c in cases)


def test_stuck_cases_show_overdue_and_long_unassigned_tasks(client, intake_officer, supervisor):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC), tick=False) as clock:
        late, = _cases(1, intake_officer)
        clock.move_to(datetime.datetime(2026, 3, 4, 8, 0, tzinfo=datetime.UTC))
        waiting, = _cases(1, intake_officer)
        clock.move_to(datetime.datetime(2026, 3, 5, 12, 0, tzinfo=datetime.UTC))
        fresh, = _cases(1, intake_officer)
        content = as_user(client, supervisor).get(STUCK).content.decode()
        assert str(late.person) in content and str(waiting.person) in content and str(fresh.person) not in content
        overdue_only = client.get(STUCK, {"why": "overdue"}).content.decode()
        assert str(late.person) in overdue_only and str(waiting.person) not in overdue_only


def test_advance_flows_marks_overdue_tasks_once(intake_officer):
    from django.core.management import call_command

    with time_machine.travel(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC), tick=False) as clock:
        case, = _cases(1, intake_officer)
        clock.move_to(datetime.datetime(2026, 3, 10, 8, 0, tzinfo=datetime.UTC))
        call_command("advance_flows")
        call_command("advance_flows")
    assert case.events.filter(action="task_overdue").count() == 1


def test_workload_counts_open_and_overdue_tasks_per_person(client, intake_officer, supervisor):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC), tick=False) as clock:
        for case in _cases(2, intake_officer):
            claimed(case, "referral_review", intake_officer)
        clock.move_to(datetime.datetime(2026, 3, 10, 8, 0, tzinfo=datetime.UTC))
        response = as_user(client, supervisor).get(WORKLOAD)
    row = response.context["cl"].result_list.get(pk=intake_officer.pk)
    assert (row.open_tasks, row.overdue_tasks) == (2, 2)


def test_index_page_shows_my_open_and_overdue_counts(client, intake_officer):
    for case in _cases(2, intake_officer):
        claimed(case, "referral_review", intake_officer)
    _cases(1, intake_officer)
    content = as_user(client, intake_officer).get(reverse("admin:index")).content.decode()
    assert 'id="count-open">2<' in content and 'id="count-overdue"' in content and 'id="count-queue">1<' in content


@pytest.mark.parametrize("url", [MY_TASKS, QUEUE, STUCK, WORKLOAD])
def test_queue_pages_use_a_fixed_number_of_queries(client, url, intake_officer, supervisor, django_assert_max_num_queries):
    cases = _cases(12, intake_officer)
    for case in cases[:6]:
        claimed(case, "referral_review", supervisor)
    user = supervisor if url in (STUCK, WORKLOAD) else supervisor
    as_user(client, user)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    more = _cases(12, intake_officer)
    for case in more[:6]:
        claimed(case, "referral_review", supervisor)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_task_page_uses_a_bounded_number_of_queries(client, intake_officer, django_assert_max_num_queries):
    case, = _cases(1, intake_officer)
    task = claimed(case, "referral_review", intake_officer)
    as_user(client, intake_officer)
    with django_assert_max_num_queries(25):
        assert client.get(task_url(task)).status_code == 200


def test_the_case_work_page_opens_for_whoever_has_an_open_step_of_it(client, intake_officer, legal_adviser):
    [case] = _cases(1, intake_officer)
    url = reverse("admin:workflows_case_work", args=[case.pk])
    assert as_user(client, intake_officer).get(url).status_code == 200  # its referral review is the intake's
    assert as_user(client, legal_adviser).get(url).status_code == 404  # not theirs: out of scope


def test_the_team_queue_pages_in_due_order_its_keys_read_from_the_task_table_alone(client, intake_officer, monkeypatch):
    from django.contrib import admin
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workflows.models import TeamTask

    monkeypatch.setattr(admin.site._registry[TeamTask], "list_per_page", 4)

    start = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for day in range(7):  # the earliest referral is due first
            clock.move_to(start + datetime.timedelta(days=day))
            _cases(1, intake_officer)
        in_due_order = list(CaseTask.objects.filter(status=STATUS.NEW).order_by("scheduled", "id"))
        as_user(client, intake_officer)
        shown = []
        for page in (1, 2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(QUEUE, {"p": page})
            shown += list(response.context["cl"].result_list)
    assert [t.pk for t in shown] == [t.pk for t in in_due_order]
    keys = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "viewflow_task"."id" AS "pk" FROM'))
    assert " JOIN " not in keys
