"""Reusable reads for the domain: chainable, named as adjectives."""
from __future__ import annotations

from django.db import models


class CaseQuerySet(models.QuerySet):
    def open(self) -> CaseQuerySet:
        return self.exclude(stage="closed")


class PersonQuerySet(models.QuerySet):
    def sharing_with(self, agency) -> PersonQuerySet:
        """The people who may have something about them go to `agency`: the one rule of sharing with partners.

        Their last word on sharing with that agency is a "yes", given after any withdrawal of their consent to
        processing (which ends every consent to share), and they consent to processing now.
        """
        from cases.models import ConsentRecord  # the models import this module

        latest = ConsentRecord.objects.filter(
            person=models.OuterRef("pk"), purpose=ConsentRecord.Purpose.SHARING, agency=agency
        ).order_by("-at", "-id")
        given = models.Q(consent_processing_at__isnull=False) & (
            models.Q(consent_withdrawn_at__isnull=True) | models.Q(consent_withdrawn_at__lt=models.F("consent_processing_at"))
        )
        return (
            self.filter(given)
            .alias(sharing=models.Subquery(latest.values("kind")[:1]), sharing_at=models.Subquery(latest.values("at")[:1]))
            .filter(sharing=ConsentRecord.Kind.GIVEN)
            .filter(models.Q(consent_withdrawn_at__isnull=True) | models.Q(consent_withdrawn_at__lt=models.F("sharing_at")))
        )


class FollowUpQuerySet(models.QuerySet):
    def pending(self) -> FollowUpQuerySet:
        return self.filter(done_on__isnull=True)


class ContactNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> ContactNoteQuerySet:
        """Hide confidential notes from everyone but their author and those allowed to read them all."""
        if user.has_perm("cases.view_confidential_notes"):
            return self
        return self.filter(models.Q(confidential=False) | models.Q(written_by=user))
