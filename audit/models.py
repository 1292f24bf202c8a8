from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessEvent(models.Model):
    """One look at personal data, a search, an export, an import, a login: append-only (database triggers)."""

    class Action(models.TextChoices):
        VIEW = "view", _("view")
        SEARCH = "search", _("list or search")
        EXPORT = "export", _("export")
        IMPORT = "import", _("import")
        LOGIN = "login", _("login")
        LOGOUT = "logout", _("logout")
        LOGIN_FAILED = "login_failed", _("failed login")
        BREAK_GLASS = "break_glass", _("break-glass access")
        REFUSED = "refused", _("refused: out of the user's scope")
        TWO_FACTOR_ENROLLED = "2fa_enrolled", _("two-factor sign-in set up")
        TWO_FACTOR_FAILED = "2fa_failed", _("wrong two-factor code")
        TWO_FACTOR_RESET = "2fa_reset", _("two-factor sign-in reset")
        ANONYMISED = "anonymised", _("anonymised")
        RETENTION = "retention", _("retention applied")
        SUBJECT_ACCESS = "subject_access", _("subject-access report downloaded")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # Plain ids and a copy of the name, not foreign keys: the triggers refuse the UPDATE a SET_NULL would need.
    user_id = models.IntegerField(_("user id"), null=True, blank=True, db_index=True)
    username = models.CharField(_("user"), max_length=150, blank=True)
    remote_addr = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    model = models.CharField(_("model"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    person_id = models.IntegerField(_("person id"), null=True, blank=True, db_index=True)
    terms = models.CharField(_("search terms"), max_length=200, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    count = models.IntegerField(_("rows"), null=True, blank=True)
    path = models.CharField(_("page"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person_id", "at"]), models.Index(fields=["user_id", "at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.username} · {timezone.localtime(self.at):%d/%m/%Y %H:%M}"
