from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.categories import RESTRICTED


class SensitiveData(models.Model):
    """No table: holds the permissions to see each restricted category of personal data, and to see every case."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("sensitive data")
        permissions = [
            ("see_all_cases", "Can see every person and case"),
            ("erase_person", "Can erase a person's data on request"),
            ("subject_access", "Can download a person's whole record (subject access)"),
            *[(f"see_{c.value}", f"Can see {c.value.replace('_', ' ')} data") for c in RESTRICTED],
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class AccessGrant(models.Model):
    """Break-glass: a staff member opened a person's file outside their work, for a reason, for one day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("cases.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"))
    granted_at = models.DateTimeField(_("when"), default=timezone.now)
    day = models.DateField(_("valid on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("break-glass access")
        verbose_name_plural = _("break-glass accesses")
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "day", "person"], name="accessgrant_user_day")]

    def __str__(self) -> str:
        return f"{self.user} · {self.person_id} · {self.day:%d/%m/%Y}"


class LegalHold(models.Model):
    """A case that must be kept as it is (a court case, an audit): retention and erasure leave its person alone."""

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("placed by"), on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return _("Legal hold on case %(number)s") % {"number": self.case_id}


class CaseMember(models.Model):
    """Who works on a case through its tasks: a staff member who owns one of them (open or done), or a team
    whose queue holds one waiting. `privacy.scope` reads it: checking one small index per case shown, where
    joining every task a long-serving officer ever did cost seconds a page at 100,000 cases.

    Written only by the database: triggers on viewflow's task table (migration privacy 0005) keep it true
    whatever touches a task (viewflow itself, the services, the import's bulk writes, the demo).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    # The case's person, so that a list of people is checked against this table alone.
    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    # Found through the unique indexes below, which lead with the user and the team.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+", db_index=False)
    # A waiting task's owner_permission (its team); NULL, not "", as viewflow writes it and the checks want.
    permission = models.CharField(max_length=255, null=True)  # noqa: DJ001

    class Meta:
        default_permissions = ()
        verbose_name = _("case member")
        verbose_name_plural = _("case members")
        constraints = [
            models.UniqueConstraint(fields=["user", "case"], condition=models.Q(user__isnull=False), name="casemember_user"),
            models.UniqueConstraint(fields=["permission", "case"], condition=models.Q(permission__isnull=False),
                                    name="casemember_team"),
            models.CheckConstraint(condition=models.Q(user__isnull=True) ^ models.Q(permission__isnull=True),
                                   name="casemember_user_or_team"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.user_id or self.permission}"
