from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.querysets import CaseQuerySet


class Case(models.Model):
    """One person's journey through the centre, from referral to a job that lasts."""

    class Stage(models.TextChoices):
        REFERRAL_REVIEW = "referral_review", _("Referral review")
        INTAKE = "intake", _("Intake")
        COUNSELLING = "counselling", _("Counselling and action plan")
        SERVICES = "services", _("Services")
        PLACEMENT = "placement", _("Placement")
        FOLLOW_UP = "follow_up", _("Follow-up")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        PLACED = "placed", _("Placed in work")
        RETAINED_6M = "retained_6m", _("Retained at 6 months")
        WITHDREW = "withdrew", _("Withdrew")
        LOST_CONTACT = "lost_contact", _("Lost contact")
        REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")
        DECLINED = "declined", _("Referral declined")

    person = models.ForeignKey("cases.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="cases")
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("key worker"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="key_cases",
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.REFERRAL_REVIEW, db_index=True)
    opened_on = models.DateField(_("opened"), default=timezone.localdate)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        # The list's order: a page of a scoped list is then the first rows in scope, not a sort of every case.
        indexes = [models.Index(fields=["-opened_on", "-id"], name="case_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage="closed", closed_on__isnull=False)
                | (~models.Q(stage="closed") & models.Q(closed_on__isnull=True)),
                name="case_closed_has_date",
                violation_error_message=_("A closed case has a closing date, and an open one has none."),
            ),
        ]
        permissions = [("export_case", "Can export cases")]

    def __str__(self) -> str:
        return _("Case %(number)s · %(person)s") % {"number": self.pk, "person": self.person}

    def clean(self) -> None:
        if self.person_id and not self.pk:
            self.person.require_processing_consent()

    @property
    def is_open(self) -> bool:
        return self.stage != self.Stage.CLOSED


class CaseEvent(models.Model):
    """One line of a case's timeline: who moved it, when, from which step to which, and why."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Case opened")
        REOPENED = "reopened", _("Case re-opened")
        STEP_DONE = "step_done", _("Step completed")
        STAGE_CHANGED = "stage_changed", _("Moved on")
        CLOSED = "closed", _("Case closed")
        TASK_CLAIMED = "task_claimed", _("Task claimed")
        TASK_RELEASED = "task_released", _("Task released")
        TASK_REASSIGNED = "task_reassigned", _("Task reassigned")
        TASK_OVERDUE = "task_overdue", _("Task overdue")
        TASK_CANCELLED = "task_cancelled", _("Step cancelled")
        TASK_UNDONE = "task_undone", _("Step undone")
        NO_SHOW = "no_show", _("No-show")
        PLAN_REVISED = "plan_revised", _("Plan revised")
        PLACED = "placed", _("Placed")
        DUPLICATE_REFERRAL_LINKED = "duplicate_referral_linked", _("Duplicate referral linked")
        REFERRAL_ADDED = "referral_added", _("New referral added")
        REFERRAL_CONSIDERED = "referral_considered", _("New referral considered")
        CONSENT_GIVEN = "consent_given", _("Consent given")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
        NOTE_CORRECTED = "note_corrected", _("Contact note corrected")
        KEY_WORKER_ASSIGNED = "key_worker_assigned", _("Key worker assigned")
        IMPORT_REVERTED = "import_reverted", _("Import reverted")

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=60, choices=Action.choices)
    from_stage = models.CharField(_("from"), max_length=20, choices=Case.Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Case.Stage.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case timeline")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class NeedsAssessment(models.Model):
    """The holistic picture taken at intake: work, and everything that stands in its way."""

    class DigitalSkills(models.TextChoices):
        NONE = "none", _("None")
        BASIC = "basic", _("Basic")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class Housing(models.TextChoices):
        STABLE = "stable", _("Stable housing")
        TEMPORARY = "temporary", _("Temporary (friends, family)")
        SHELTER = "shelter", _("Shelter or supported housing")
        STREET = "street", _("Homeless (street)")

    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="assessment")
    employment_history = models.TextField(_("employment history"), blank=True)
    skills = models.TextField(_("skills"), blank=True)
    languages = models.TextField(_("languages"), blank=True)
    digital_skills = models.CharField(_("digital skills"), max_length=20, choices=DigitalSkills.choices, blank=True)
    housing = models.CharField(_("housing"), max_length=20, choices=Housing.choices, blank=True)
    housing_notes = models.TextField(_("housing notes"), blank=True)
    health = models.TextField(_("health"), blank=True)
    addiction = models.TextField(_("addiction"), blank=True)
    finances = models.TextField(_("finances and debts"), blank=True)
    legal_status = models.TextField(_("legal status"), blank=True)
    childcare = models.TextField(_("childcare"), blank=True)
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self) -> str:
        return _("Needs assessment of %(case)s") % {"case": self.case}


class ActionPlan(models.Model):
    """The plan co-decided with the person; its goals say which services are needed."""

    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="plan")
    agreed_on = models.DateField(_("person agreed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("counsellor"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return _("Action plan of %(case)s") % {"case": self.case}

    def needs(self, goal_flag: str) -> bool:
        """Does an active goal ask for the service its `goal_flag` (e.g. "needs_training") names?"""
        return self.goals.exclude(status=Goal.Status.DROPPED).filter(**{goal_flag: True}).exists()


class Goal(models.Model):
    """One goal of an action plan, agreed with the person."""

    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    plan = models.ForeignKey("cases.ActionPlan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("goal"))
    agreed_on = models.DateField(_("person agreed on"), null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    needs_training = models.BooleanField(_("needs training"), default=False)
    needs_legal_advice = models.BooleanField(_("needs legal advice"), default=False)
    needs_accounting = models.BooleanField(_("needs accounting support"), default=False)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["target_date", "id"]

    def __str__(self) -> str:
        return self.text[:60]
