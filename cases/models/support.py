from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Service(models.Model):
    """What the centre does for a case besides counselling; each kind adds its own fields.

    A concrete parent (multi-table inheritance) so that sessions and the case page can treat
    training, legal advice and accounting support alike.
    """

    class Kind(models.TextChoices):
        TRAINING = "training", _("Vocational training")
        LEGAL = "legal", _("Legal advice")
        ACCOUNTING = "accounting", _("Accounting support")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        DROPPED = "dropped", _("Dropped")

    KIND: str  # set by each kind of service below

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField(_("started"), default=timezone.localdate)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.case}"

    def save(self, *args, **kwargs) -> None:
        # Each subclass names its kind, so a plain Service query can tell them apart.
        self.kind = self.KIND
        super().save(*args, **kwargs)


class TrainingEnrolment(Service):
    KIND = Service.Kind.TRAINING

    course = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    hours_planned = models.PositiveIntegerField(_("hours planned"), default=0)
    hours_attended = models.PositiveIntegerField(_("hours attended"), default=0)
    certificate = models.CharField(_("certificate"), max_length=200, blank=True, help_text=_("Title and number, once awarded."))

    class Meta:
        verbose_name = _("training enrolment")
        verbose_name_plural = _("training enrolments")


class LegalAdvice(Service):
    KIND = Service.Kind.LEGAL

    class Topic(models.TextChoices):
        RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
        LABOUR_RIGHTS = "labour_rights", _("Labour rights")
        DEBTS = "debts", _("Debts")
        FAMILY = "family", _("Family law")
        HOUSING = "housing", _("Housing")
        CRIMINAL_RECORD = "criminal_record", _("Criminal record")
        OTHER = "other", _("Other")

    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)

    class Meta:
        verbose_name = _("legal advice")
        verbose_name_plural = _("legal advice")


class AccountingSupport(Service):
    KIND = Service.Kind.ACCOUNTING

    class Topic(models.TextChoices):
        TAX_REGISTRATION = "tax_registration", _("Tax registration (AFM, Taxisnet)")
        TAX_DEBTS = "tax_debts", _("Debts to the tax office")
        BENEFIT_APPLICATION = "benefit_application", _("Benefit application")
        SOCIAL_SECURITY = "social_security", _("Social security (e-EFKA)")
        OTHER = "other", _("Other")

    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)

    class Meta:
        verbose_name = _("accounting support")
        verbose_name_plural = _("accounting support")


class ServiceSession(models.Model):
    """A dated session of a service, and who held it."""

    service = models.ForeignKey("cases.Service", verbose_name=_("service"), on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"), default=timezone.localdate)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("held by"), on_delete=models.PROTECT, related_name="+"
    )
    minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} · {self.service}"
