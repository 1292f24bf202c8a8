"""Reads for the task pages: the queues, as chainable filters over viewflow's Task table."""
from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import BooleanField, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from viewflow.workflow.status import STATUS

from workflows import calendar, steps
from workflows.models import CaseTask, ServiceLevel

OPEN = [STATUS.NEW, STATUS.ASSIGNED]


def step_permissions(user) -> list[str]:
    """The steps' permissions ("workflows.can_…") the user holds through their groups."""
    return sorted({f"workflows.{s.permission}" for s in steps.STEPS} & user.get_all_permissions())


def _literally(sql: str) -> RawSQL:
    # SQLite uses a partial index only when the query repeats its WHERE terms as literals, and Django binds
    # values as parameters: these few fixed terms are written out so the indexes of migration 0005 serve.
    return RawSQL(sql, (), output_field=BooleanField())


HUMAN = "viewflow_task.flow_task_type = 'HUMAN'"


def human(qs: QuerySet) -> QuerySet:
    return qs.filter(_literally(HUMAN))


def mine(qs: QuerySet, user) -> QuerySet:
    return qs.filter(_literally(f"{HUMAN} AND viewflow_task.status = 'ASSIGNED'"), owner=user)


def team_queue(qs: QuerySet, user) -> QuerySet:
    return qs.filter(_literally(f"{HUMAN} AND viewflow_task.status = 'NEW'"), owner_permission__in=step_permissions(user))


def open_(qs: QuerySet) -> QuerySet:
    return qs.filter(_literally(f"{HUMAN} AND viewflow_task.status IN ('NEW', 'ASSIGNED')"))


def overdue(qs: QuerySet) -> QuerySet:
    return open_(qs).filter(scheduled__lt=timezone.now())


def _unclaimed_too_long() -> Q:
    """Unassigned tasks older than their step's "claim within" service level."""
    now = timezone.localtime()
    levels = dict(ServiceLevel.objects.values_list("step", "claim_within_days"))
    late = Q()
    for step in steps.STEPS:
        # The same time of day, N working days ago.
        day = calendar.working_days_before(now.date(), levels.get(step.name, 1))
        cutoff = now.replace(year=day.year, month=day.month, day=day.day)
        late |= Q(flow_task=step.node, created__lt=cutoff)
    return Q(status=STATUS.NEW) & late


def unclaimed_too_long(qs: QuerySet) -> QuerySet:
    return human(qs).filter(_unclaimed_too_long())


def stuck(qs: QuerySet) -> QuerySet:
    """Open tasks past their due date, or waiting unclaimed longer than their service level."""
    return open_(qs).filter(Q(scheduled__lt=timezone.now()) | _unclaimed_too_long())


def workload(users: QuerySet) -> QuerySet:
    """The active staff members (those with a role) with their open and overdue tasks, the most overdue first."""
    has_role = Exists(Group.objects.filter(user=OuterRef("pk")))
    # One small counting subquery per staff member (on the index of open tasks by owner), rather than
    # a join of every staff member with every task ever done.
    # Only human tasks are ever ASSIGNED: (owner, status, scheduled) then covers the count (of rows, not of
    # ids, which the index does not hold), and no row is read.
    mine_ = CaseTask.objects.filter(owner=OuterRef("pk"), status=STATUS.ASSIGNED).order_by().values("owner")
    count = lambda qs: Coalesce(Subquery(qs.annotate(n=Count("*")).values("n")), 0, output_field=IntegerField())  # noqa: E731
    return (
        users.filter(has_role, is_active=True)
        .annotate(open_tasks=count(mine_), overdue_tasks=count(mine_.filter(scheduled__lt=timezone.now())))
        .order_by("-overdue_tasks", "-open_tasks", "username")
    )


assert STATUS.NEW == "NEW" and STATUS.ASSIGNED == "ASSIGNED"  # the literals above spell viewflow's values
