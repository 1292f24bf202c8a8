from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportRecord(models.Model):
    """Who exported which personal data, when, with which filters."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    model = models.CharField(_("what"), max_length=100)
    file_format = models.CharField(_("format"), max_length=10)
    rows = models.PositiveIntegerField(_("rows"))
    filters = models.TextField(_("filters"), blank=True)

    class Meta:
        # The log began in the imports app: its table keeps its name, and every row, since the move.
        db_table = "imports_exportrecord"
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.model} · {self.user} · {timezone.localtime(self.at):%d/%m/%Y %H:%M}"
