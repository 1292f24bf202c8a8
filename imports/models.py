from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportBatch(models.Model):
    """One upload of a partner's referral file: who, when, which file, what came of each row."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed (dry run)")
        IMPORTED = "imported", _("Imported")
        REVERTED = "reverted", _("Reverted")

    agency = models.ForeignKey("cases.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="import_batches")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    file_name = models.CharField(_("file"), max_length=255)
    checksum = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file_format = models.CharField(_("format"), max_length=10)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=2, blank=True)
    headers = models.JSONField(_("header"), default=list, help_text=_("The file's own header, for the rejected-rows download."))
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    # A count of rows; plain "created" is the creation date elsewhere in the catalogue.
    created = models.PositiveIntegerField(pgettext_lazy("import batch", "created"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    people_created = models.PositiveIntegerField(_("new people"), default=0)
    people_matched = models.PositiveIntegerField(_("existing people"), default=0)
    # What the import created, so that a revert removes exactly that and nothing else.
    people = models.ManyToManyField("cases.Person", verbose_name=_("people created"), blank=True, related_name="+")
    referrals = models.ManyToManyField("cases.Referral", verbose_name=_("referrals created"), blank=True, related_name="+")
    cases = models.ManyToManyField("cases.Case", verbose_name=_("cases opened"), blank=True, related_name="+")
    # The partner's declarations of consent it recorded, for people who had given none.
    consents = models.ManyToManyField("cases.ConsentRecord", verbose_name=_("consents recorded"), blank=True, related_name="+")
    # Closed cases that the import re-opened: their previous state, to restore on revert.
    reopened = models.JSONField(_("cases re-opened"), default=list, blank=True)
    # Blank fields and vulnerable groups the import added to people it found, to take back out on revert.
    updated_people = models.JSONField(_("people completed"), default=list, blank=True)
    reverted_at = models.DateTimeField(_("reverted"), null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reverted by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]
        permissions = [("revert_importbatch", "Can revert an import batch")]

    def __str__(self) -> str:
        return f"{self.file_name} · {self.agency.code} · {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    @property
    def people_completed(self) -> int:
        """How many people the import found already known and completed (blank fields, vulnerable groups)."""
        return len(self.updated_people)


class RejectedRow(models.Model):
    """A row that was not imported: its number as Excel shows it, the partner's values and every error."""

    batch = models.ForeignKey(ImportBatch, verbose_name=_("import batch"), on_delete=models.CASCADE, related_name="rejected_rows")
    row_number = models.PositiveIntegerField(_("row"))
    values = models.JSONField(_("values"), default=list)
    errors = models.JSONField(_("errors"), default=list)

    class Meta:
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")
        ordering = ["batch", "row_number"]

    def __str__(self) -> str:
        return _("Row %(number)s") % {"number": self.row_number}

    @property
    def error_text(self) -> str:
        return "; ".join(f"{e['field']}: {e['message']}" for e in self.errors)


class EarlierRowKey(models.Model):
    """A key of a row the import under way has accepted: its agency reference, or one of its person's keys.

    Kept in the database rather than in memory, so that an import's memory does not grow with its file. Rows
    exist only inside the import's own transaction: it deletes them before it ends.
    """

    batch = models.ForeignKey(ImportBatch, verbose_name=_("import batch"), on_delete=models.CASCADE, related_name="+")
    key = models.TextField(_("key"))
    row_number = models.PositiveIntegerField(_("row"))

    class Meta:
        verbose_name = _("earlier row key")
        verbose_name_plural = _("earlier row keys")
        constraints = [models.UniqueConstraint(fields=["batch", "key"], name="imports_earlierrowkey_unique")]

    def __str__(self) -> str:
        return f"{self.key} → {self.row_number}"

