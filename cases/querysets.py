"""Reusable reads for the domain: chainable, named as adjectives."""
from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from common.text import filter_folded


class PersonQuerySet(models.QuerySet):
    def matching(self, term: str) -> PersonQuerySet:
        """Filter by every word of `term`, accents and case ignored."""
        return filter_folded(self, field="search_text", term=term)

    def with_consent(self) -> PersonQuerySet:
        return self.filter(consent_processing_at__isnull=False).filter(
            models.Q(consent_withdrawn_at__isnull=True) | models.Q(consent_withdrawn_at__lt=models.F("consent_processing_at"))
        )


class ReferralQuerySet(models.QuerySet):
    def pending(self) -> ReferralQuerySet:
        return self.filter(status="received")


class CaseQuerySet(models.QuerySet):
    def open(self) -> CaseQuerySet:
        return self.exclude(stage="closed")

    def closed(self) -> CaseQuerySet:
        return self.filter(stage="closed")

    def of_person(self, person) -> CaseQuerySet:
        return self.filter(person=person)


class FollowUpQuerySet(models.QuerySet):
    def pending(self) -> FollowUpQuerySet:
        return self.filter(done_on__isnull=True)

    def due(self, on: datetime.date | None = None) -> FollowUpQuerySet:
        return self.pending().filter(due_on__lte=on or timezone.localdate())


class ContactNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> ContactNoteQuerySet:
        """Hide confidential notes from everyone but their author and those allowed to read them all."""
        if user.has_perm("cases.view_confidential_notes"):
            return self
        return self.filter(models.Q(confidential=False) | models.Q(written_by=user))
