from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.querysets import FollowUpQuerySet
from cases.validators import validate_afm, validate_phone

FOLLOW_UP_MONTHS = (1, 3, 6, 12)


class Employer(models.Model):
    afm = models.CharField(_("AFM"), max_length=9, unique=True, validators=[validate_afm])
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Vacancy(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    employer = models.ForeignKey("cases.Employer", verbose_name=_("employer"), on_delete=models.CASCADE, related_name="vacancies")
    title = models.CharField(_("title"), max_length=200)
    positions = models.PositiveIntegerField(_("positions"), default=1)
    requirements = models.TextField(_("requirements"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    posted_on = models.DateField(_("posted"), auto_now_add=True)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-posted_on", "title"]

    def __str__(self) -> str:
        return f"{self.title} · {self.employer}"


class Placement(models.Model):
    class Contract(models.TextChoices):
        PERMANENT = "permanent", _("Permanent, full time")
        FIXED_TERM = "fixed_term", _("Fixed term")
        PART_TIME = "part_time", _("Part time")
        SEASONAL = "seasonal", _("Seasonal")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship / subsidised")

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="placements")
    employer = models.ForeignKey("cases.Employer", verbose_name=_("employer"), on_delete=models.PROTECT, related_name="placements")
    vacancy = models.ForeignKey(
        "cases.Vacancy", verbose_name=_("vacancy"), on_delete=models.SET_NULL, null=True, blank=True, related_name="placements"
    )
    start_date = models.DateField(_("start date"))
    contract_type = models.CharField(_("contract"), max_length=20, choices=Contract.choices)
    hours_per_week = models.PositiveIntegerField(_("hours per week"), default=40)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("reason it ended"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date"]
        permissions = [("export_placement", "Can export placements")]

    def __str__(self) -> str:
        return f"{self.case.person} → {self.employer}"

    def clean(self) -> None:
        if self.vacancy_id and self.employer_id and self.vacancy.employer_id != self.employer_id:
            raise ValidationError(
                {"vacancy": _("This vacancy is %(employer)s's, not this employer's.") % {"employer": self.vacancy.employer}}
            )

    def follow_up_dates(self) -> list[tuple[int, datetime.date]]:
        """Return (months, due date) for the follow-ups owed after this placement starts."""
        return [(months, add_months(self.start_date, months)) for months in FOLLOW_UP_MONTHS]


class FollowUp(models.Model):
    """A check on whether the job lasts: at 1, 3, 6 and 12 months after the start."""

    placement = models.ForeignKey("cases.Placement", verbose_name=_("placement"), on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after start"))
    due_on = models.DateField(_("due"), db_index=True)
    done_on = models.DateField(_("done"), null=True, blank=True)
    still_employed = models.BooleanField(_("still employed"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("done by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["placement", "months"], name="followup_once_per_month")]
        permissions = [("export_followup", "Can export follow-ups")]

    def __str__(self) -> str:
        return _("%(months)s-month follow-up") % {"months": self.months}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Return the same day `months` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
