"""Reads for the task pages: the queues, as chainable filters over viewflow's Task table."""
from __future__ import annotations

from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from viewflow.workflow.status import STATUS

from workflows import calendar, steps
from workflows.models import ServiceLevel

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


assert STATUS.NEW == "NEW" and STATUS.ASSIGNED == "ASSIGNED"  # the literals above spell viewflow's values
