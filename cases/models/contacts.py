from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.querysets import ContactNoteQuerySet


class Appointment(models.Model):
    """The centre works by appointment only."""

    class Kind(models.TextChoices):
        INTAKE = "intake", _("Intake")
        COUNSELLING = "counselling", _("Counselling")
        TRAINING = "training", _("Training")
        LEGAL = "legal", _("Legal advice")
        ACCOUNTING = "accounting", _("Accounting support")
        PLACEMENT = "placement", _("Placement")
        FOLLOW_UP = "follow_up", _("Follow-up")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not attend")
        CANCELLED = "cancelled", _("Cancelled")

    person = models.ForeignKey("cases.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="appointments")
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, null=True, blank=True, related_name="appointments"
    )
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="appointments")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    scheduled_at = models.DateTimeField(_("date and time"), db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["-scheduled_at"]
        indexes = [models.Index(fields=["-scheduled_at"], name="appointment_list_order")]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.scheduled_at):%d/%m/%Y %H:%M} · {self.person}"


class ContactNote(models.Model):
    """A record of contact with the person; confidential notes are seen only by their author and supervisors."""

    class Kind(models.TextChoices):
        OFFICE_VISIT = "office_visit", _("Office visit")
        PHONE = "phone", _("Phone")
        OUTREACH = "outreach", _("Outreach or home visit")
        EMAIL = "email", _("Email")

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("note"))
    confidential = models.BooleanField(
        _("confidential"), default=False, help_text=_("Only the author and supervisors can read it.")
    )
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("written"), default=timezone.now)

    objects = ContactNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact note")
        verbose_name_plural = _("contact notes")
        ordering = ["-written_at"]
        permissions = [("view_confidential_notes", "Can read every confidential note")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {timezone.localtime(self.written_at):%d/%m/%Y}"


class NoteCorrection(models.Model):
    """What a contact note said before its author corrected it: notes are corrected, never rewritten."""

    note = models.ForeignKey("cases.ContactNote", verbose_name=_("note"), on_delete=models.CASCADE, related_name="corrections")
    previous_kind = models.CharField(_("kind before"), max_length=20, choices=ContactNote.Kind.choices)
    previous_text = models.TextField(_("text before"))
    previous_confidential = models.BooleanField(_("confidential before"))
    corrected_at = models.DateTimeField(_("corrected"), default=timezone.now)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("corrected by"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["corrected_at", "id"]

    def __str__(self) -> str:
        return f"{self.note} · {timezone.localtime(self.corrected_at):%d/%m/%Y %H:%M}"
