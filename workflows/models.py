"""Workflow state that the domain models do not hold: the case's process and the service levels."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import jsonstore
from viewflow.workflow.models import Process, Task

from workflows import calendar
from workflows.steps import BY_NAME, STEPS


class CaseProcess(Process):
    """One run of the case flow: from a referral to the case's closing. A re-opened case gets a new one."""

    class Decision(models.TextChoices):
        ACCEPT = "accept", _("Accept")
        DECLINE = "decline", _("Decline")
        DUPLICATE = "duplicate", _("Duplicate of an existing case")

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="processes")
    referral = models.ForeignKey(
        "cases.Referral", verbose_name=_("referral"), on_delete=models.PROTECT, null=True, blank=True, related_name="processes"
    )

    # Flags only the flow reads; they live in Process.data (viewflow's jsonstore), not in columns.
    decision = jsonstore.CharField(max_length=20, blank=True, choices=Decision.choices)
    no_shows = jsonstore.IntegerField(default=0)
    lost_contact = jsonstore.BooleanField(default=False)
    ready_for_work = jsonstore.BooleanField(default=True)
    lost_job = jsonstore.BooleanField(default=False)
    outcome = jsonstore.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("case process")
        verbose_name_plural = _("case processes")
        # Spelled out (viewflow adds "manage" at import time) so migrations do not depend on import order.
        default_permissions = ("add", "change", "delete", "view", "manage")
        permissions = [
            ("can_review_referral", "Can review referrals"),
            ("can_do_intake", "Can do intake interviews"),
            ("can_counsel", "Can counsel and agree action plans"),
            ("can_train", "Can run training"),
            ("can_give_legal_advice", "Can give legal advice"),
            ("can_support_accounting", "Can give accounting support"),
            ("can_place", "Can place people with employers"),
            ("can_follow_up", "Can follow up placements"),
            ("can_close_case", "Can close a case as withdrawn or lost contact"),
        ]

    def __str__(self) -> str:
        return _("Process %(number)s of case %(case)s") % {"number": self.pk, "case": self.case_id}

    # Conditions the flow's gateways read (act.process.<name>).
    @property
    def is_accepted(self) -> bool:
        return self.decision == self.Decision.ACCEPT

    @property
    def plan(self):
        return getattr(self.case, "plan", None)

    def needs(self, step) -> bool:
        """Does the action plan ask for this service step (an active goal with its flag)?"""
        return bool(self.plan and self.plan.needs(step.goal_flag))

    @property
    def latest_placement(self):
        return self.case.placements.order_by("-start_date", "-id").first()

    @property
    def next_follow_up(self):
        placement = self.latest_placement
        return placement.follow_ups.pending().order_by("due_on").first() if placement else None

    @property
    def has_follow_up_pending(self) -> bool:
        return self.next_follow_up is not None


class ServiceLevel(models.Model):
    """How many working days a step may take, and how long its task may wait unclaimed."""

    step = models.CharField(_("step"), max_length=30, choices=[(s.name, s.label) for s in STEPS], unique=True)
    working_days = models.PositiveSmallIntegerField(_("working days to complete"))
    claim_within_days = models.PositiveSmallIntegerField(
        _("working days to claim"), default=1, help_text=_("An unassigned task older than this is shown as stuck.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.working_days}"

    @classmethod
    def days_for(cls, step: str) -> int:
        level = cls.objects.filter(step=step).values_list("working_days", flat=True).first()
        return level if level is not None else BY_NAME[step].days

    @classmethod
    def due_at(cls, step: str, start: datetime.date | None = None) -> datetime.datetime:
        """Return the moment a task of `step` created on `start` (today) becomes overdue."""
        start = start or timezone.localdate()
        return calendar.end_of_day(calendar.working_days_after(start, cls.days_for(step)))


class CaseTask(Task):
    """A task of the case flow, as the staff's admin pages show it."""

    class Meta:
        proxy = True
        verbose_name = _("task")
        verbose_name_plural = _("tasks")


class MyTask(CaseTask):
    class Meta:
        proxy = True
        verbose_name = _("my task")
        verbose_name_plural = _("my tasks")


class TeamTask(CaseTask):
    class Meta:
        proxy = True
        verbose_name = _("team task")
        verbose_name_plural = _("my team's queue")


class StuckTask(CaseTask):
    class Meta:
        proxy = True
        verbose_name = _("stuck case")
        verbose_name_plural = _("stuck cases")


class StaffWorkload(User):
    """A staff member seen through their open and overdue tasks (supervisors only)."""

    class Meta:
        proxy = True
        verbose_name = _("workload")
        verbose_name_plural = _("workload per staff member")
