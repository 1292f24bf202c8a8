"""Reusable reads for the domain: chainable, named as adjectives."""
from __future__ import annotations

from django.db import models


class CaseQuerySet(models.QuerySet):
    def open(self) -> CaseQuerySet:
        return self.exclude(stage="closed")


class FollowUpQuerySet(models.QuerySet):
    def pending(self) -> FollowUpQuerySet:
        return self.filter(done_on__isnull=True)


class ContactNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> ContactNoteQuerySet:
        """Hide confidential notes from everyone but their author and those allowed to read them all."""
        if user.has_perm("cases.view_confidential_notes"):
            return self
        return self.filter(models.Q(confidential=False) | models.Q(written_by=user))
