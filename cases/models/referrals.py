from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Referral(models.Model):
    """A partner agency's request that the centre take someone on."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        DUPLICATE = "duplicate", _("Duplicate")

    agency = models.ForeignKey("cases.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="referrals")
    agency_ref = models.CharField(_("agency's reference"), max_length=60)
    person = models.ForeignKey("cases.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    referral_date = models.DateField(_("referral date"), default=timezone.localdate)
    reason = models.TextField(_("reason for referral"), blank=True)
    referrer_name = models.CharField(_("referring worker"), max_length=200, blank=True)
    referrer_phone = models.CharField(_("referring worker's phone"), max_length=40, blank=True)
    referrer_email = models.EmailField(_("referring worker's email"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    decline_reason = models.TextField(
        _("reason for declining"), blank=True, help_text=_("Sent back to the referring agency.")
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referral_date", "-id"]
        indexes = [
            models.Index(fields=["-referral_date", "-id"], name="referral_list_order"),
            models.Index(fields=["agency_ref"], name="referral_agency_ref"),  # the search by a partner's reference
            # The start page's referrals of the week by agency, counted from the index alone.
            models.Index(fields=["referral_date", "agency"], name="referral_date_agency"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["agency", "agency_ref"], name="referral_agency_ref_unique"),
        ]
        permissions = [("import_referral", "Can import referrals"), ("export_referral", "Can export referrals")]

    def __str__(self) -> str:
        return f"{self.agency.code}/{self.agency_ref}"

    def clean(self) -> None:
        # Partner agencies gather consent before referring; without it the centre cannot take the person on.
        if self.person_id and not self.pk:
            self.person.require_processing_consent()
