"""Retention: what is kept how long, and the run that deletes or anonymises what is past it.

A partner's refused rows and unconfirmed previews go after GEFYRA_IMPORT_RETENTION_DAYS. A person is anonymised
once every case of theirs has been closed longer than its outcome's period (GEFYRA_RETENTION_DAYS), or, never
referred, longer ago than GEFYRA_RETENTION_DAYS_WITHOUT_CASE was entered — unless a case of theirs is on legal hold.
"""
from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from audit.models import AccessEvent
from audit.services import record
from cases.models import Case, Person, Referral
from imports.models import ImportBatch, RejectedRow
from imports.uploads import forget_previews
from privacy.erasure import Grounds, anonymise
from privacy.models import LegalHold

CHUNK = 500  # people anonymised per statement batch: keeps the IN lists and the transaction's locks small


@dataclass
class RetentionReport:
    dry_run: bool
    rejected_rows: int = 0
    preview_batches: int = 0
    people: list[int] = field(default_factory=list)
    cases_by_outcome: Counter = field(default_factory=Counter)
    held: int = 0  # people who would be due but for a legal hold

    def as_details(self) -> dict:
        return {"rejected_rows": self.rejected_rows, "preview_batches": self.preview_batches,
                "people": len(self.people), "cases_by_outcome": dict(self.cases_by_outcome), "held": self.held}


def closed_long_enough(today: datetime.date) -> Q:
    """The cases closed longer ago than their outcome's retention period."""
    periods = settings.GEFYRA_RETENTION_DAYS
    named = [outcome for outcome in periods if outcome != "default"]
    by_outcome = [Q(outcome=o, closed_on__lt=today - datetime.timedelta(days=periods[o])) for o in named]
    rest = ~Q(outcome__in=named) & Q(closed_on__lt=today - datetime.timedelta(days=periods["default"]))
    return Q(stage=Case.Stage.CLOSED) & reduce(or_, [*by_outcome, rest])


def due(today: datetime.date) -> QuerySet[Person]:
    """The people past retention, legal holds not yet considered."""
    cases = Case.objects.filter(person=OuterRef("pk"))
    entered_before = timezone.make_aware(datetime.datetime.combine(
        today - datetime.timedelta(days=settings.GEFYRA_RETENTION_DAYS_WITHOUT_CASE), datetime.time.min))
    # A referral not yet taken in (one taken in has a case, whose own period counts).
    waiting = Referral.objects.filter(person=OuterRef("pk"), status=Referral.Status.RECEIVED, case=None)
    return (
        Person.objects.filter(anonymised_at=None)
        .exclude(Exists(cases.exclude(closed_long_enough(today))))  # a case still open, or closed too recently
        .exclude(Exists(waiting))
        .filter(Exists(cases) | Q(created_at__lt=entered_before))
    )


def held() -> Q:
    return Q(Exists(LegalHold.objects.filter(case__person=OuterRef("pk"))))


def apply_retention(*, today: datetime.date | None = None, dry_run: bool = True, by=None) -> RetentionReport:
    """Delete and anonymise what is past retention (or, in a dry run, only count it); record the run."""
    today = today or timezone.localdate()
    report = RetentionReport(dry_run=dry_run)
    imports_before = timezone.now() - datetime.timedelta(days=settings.GEFYRA_IMPORT_RETENTION_DAYS)
    rejected = RejectedRow.objects.filter(batch__created_at__lt=imports_before)
    previews = ImportBatch.objects.filter(status=ImportBatch.Status.PREVIEWED, created_at__lt=imports_before)
    report.rejected_rows, report.preview_batches = rejected.count(), previews.count()
    people = due(today)
    report.held = people.filter(held()).count()
    report.people = list(people.exclude(held()).order_by("pk").values_list("pk", flat=True))
    report.cases_by_outcome = Counter(Case.objects.filter(person_id__in=report.people).values_list("outcome", flat=True))
    if dry_run:
        return report
    with transaction.atomic():
        # Deleted rows would otherwise be copied whole into the change log's DELETE entries.
        with disable_auditlog():
            rejected.delete()
            previews.delete()
        for start in range(0, len(report.people), CHUNK):
            anonymise(report.people[start : start + CHUNK], by=by, grounds=Grounds.RETENTION)
        record(user=by, action=AccessEvent.Action.RETENTION, details=report.as_details())
    forget_previews()
    return report
