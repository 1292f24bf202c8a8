"""A staff member's working day, for the start page, and the quick search every page carries.

Each part of the day is one small read on an index, within the user's scope, so the page costs what a queue
page costs however many cases the centre holds.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import ClassVar

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from cases.models import Agency, Appointment, Case, Person, Referral
from cases.search import AMKA, CASE_NUMBER
from common.admin_mixins import CappedPaginator
from common.sql import keys_first
from imports.models import ImportBatch
from privacy import scope
from privacy.fields import may_see_contact
from workflows import querysets, services
from workflows.models import CaseTask, StaffWorkload

SHOWN = 5  # rows of each list on the page; each list links to its whole page


@dataclass
class Visit:
    """An appointment of today, with the phone to call for a reminder where the user may see it."""

    appointment: Appointment
    phone: str


@dataclass
class Day:
    CAP: ClassVar[int] = CappedPaginator.CAP  # counts stop there, as the lists' counts do
    now: datetime.datetime
    visits: list[Visit] = field(default_factory=list)
    open_tasks: int = 0
    overdue: int = 0
    due: list = field(default_factory=list)  # my open tasks due by tonight, the most overdue first
    queue: int = 0
    queue_next: list = field(default_factory=list)  # the next in my team's queue, by due date
    referrals_by_agency: list[tuple[Agency, int]] | None = None  # for whoever takes referrals in
    imports: list[ImportBatch] | None = None
    stuck: int | None = None  # for supervisors
    stuck_oldest: list | None = None
    workload: list | None = None


def day_of(user, *, now: datetime.datetime | None = None) -> Day:
    now = timezone.localtime(now)
    today = now.date()
    tonight = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time()))
    day = Day(now=now, visits=_visits(user, today))
    tasks = CaseTask.objects.select_related("process__caseprocess__case__person")
    if user.has_perm("workflows.view_caseprocess"):
        mine = querysets.mine(tasks, user)
        counts = mine.order_by().aggregate(open=Count("*"), overdue=Count("scheduled", filter=Q(scheduled__lt=now)))
        day.open_tasks, day.overdue = counts["open"], counts["overdue"]
        day.due = list(mine.filter(scheduled__lt=tonight).order_by("scheduled", "id")[:SHOWN])
        queue = querysets.team_queue(tasks, user)
        day.queue = CappedPaginator(queue, SHOWN).count  # counted as the queue page counts it
        day.queue_next = keys_first(queue.order_by("scheduled", "id"), 0, SHOWN)
    if user.has_perm("cases.add_referral"):
        week = today - datetime.timedelta(days=6)
        # Counts by agency only, no one named: what has arrived, whoever will work on it.
        counts = dict(Referral.objects.filter(referral_date__gte=week).values_list("agency").annotate(n=Count("*")).order_by())
        agencies = Agency.objects.in_bulk(counts)
        day.referrals_by_agency = sorted(((agencies[pk], n) for pk, n in counts.items()), key=lambda row: (-row[1], row[0].name))
        day.imports = list(ImportBatch.objects.filter(dry_run=False).select_related("agency", "created_by")
                           .order_by("-created_at")[:SHOWN])
    if services.manages(user):
        stuck = querysets.stuck(tasks.select_related("owner"))
        day.stuck = CappedPaginator(stuck, SHOWN).count
        day.stuck_oldest = keys_first(stuck.order_by("scheduled", "id"), 0, SHOWN)
        day.workload = list(querysets.workload(StaffWorkload.objects.all())[:SHOWN])
    return day


def _visits(user, today: datetime.date) -> list[Visit]:
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    appointments = (
        Appointment.objects.filter(staff=user, scheduled_at__gte=start, scheduled_at__lt=start + datetime.timedelta(days=1))
        .exclude(status=Appointment.Status.CANCELLED).select_related("person").order_by("scheduled_at")
    )
    return [Visit(a, a.person.phone if may_see_contact(user, a.person) else "") for a in appointments]


def found_at(user, term: str) -> str:
    """Where the quick search takes `term`: the page of the one person with that AMKA, or of the case with that
    number, when the user may see it; otherwise the list of people, searched as its own box searches."""
    compact = term.strip().replace(" ", "")
    if AMKA.fullmatch(compact):
        person = scope.scoped(Person.objects.filter(amka=compact), user).first()
        if person is not None:
            return reverse("admin:cases_person_change", args=[person.pk])
    elif (number := CASE_NUMBER.fullmatch(compact)) and scope.scoped(Case.objects.filter(pk=int(number[1])), user).exists():
        return reverse("admin:cases_case_change", args=[int(number[1])])
    return f"{reverse('admin:cases_person_changelist')}?{urlencode({'q': term.strip()})}"
