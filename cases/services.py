"""Writes to the domain: each one audited, atomic, keyword-only, with the acting user."""
from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseEvent, FollowUp, Person, Placement, Referral


def case_event_record(
    *, case: Case, by: AbstractBaseUser | None, action: str, from_stage: str = "", to_stage: str = "", reason: str = ""
) -> CaseEvent:
    """Append a line to the case's timeline."""
    return CaseEvent.objects.create(
        case=case, by=by, action=action, from_stage=from_stage, to_stage=to_stage, reason=reason
    )


@transaction.atomic
def consent_give(*, person: Person, sharing: bool, by: AbstractBaseUser | None, at: datetime.datetime | None = None) -> Person:
    """Record the person's consent to processing (and, if given, to sharing with partner agencies)."""
    at = at or timezone.now()
    person.consent_processing_at = at
    person.consent_sharing_at = at if sharing else None
    person.full_clean()
    person.save(update_fields=["consent_processing_at", "consent_sharing_at"])
    return person


@transaction.atomic
def consent_withdraw(*, person: Person, by: AbstractBaseUser | None, reason: str = "") -> Person:
    """Record a withdrawal of consent; every open case of the person gets it on its timeline."""
    person.consent_withdrawn_at = timezone.now()
    person.save(update_fields=["consent_withdrawn_at"])
    for case in person.cases.open():
        case_event_record(case=case, by=by, action="consent_withdrawn", reason=reason)
    return person


@transaction.atomic
def case_open(*, referral: Referral, by: AbstractBaseUser | None) -> Case:
    """Open a case for a referred person, or re-open the person's last closed case (keeping its history)."""
    person = referral.person
    person.require_processing_consent()
    case = person.cases.order_by("-opened_on", "-id").first()
    if case is not None and case.is_open:
        raise ValueError(_("%(person)s already has an open case.") % {"person": person})
    if case is None:
        case = Case(person=person, stage=Case.Stage.REFERRAL_REVIEW)
        case.full_clean()
        case.save()
        case_event_record(case=case, by=by, action="opened", to_stage=case.stage, reason=str(referral))
    else:
        previous = case.stage
        case.stage, case.closed_on, case.outcome = Case.Stage.REFERRAL_REVIEW, None, ""
        case.save(update_fields=["stage", "closed_on", "outcome"])
        case_event_record(case=case, by=by, action="reopened", from_stage=previous, to_stage=case.stage, reason=str(referral))
    referral.case = case
    referral.save(update_fields=["case"])
    return case


@transaction.atomic
def placement_record(*, placement: Placement, by: AbstractBaseUser | None) -> Placement:
    """Save a placement and schedule its follow-ups at 1, 3, 6 and 12 months."""
    placement.full_clean()
    placement.save()
    FollowUp.objects.bulk_create(
        [FollowUp(placement=placement, months=m, due_on=due) for m, due in placement.follow_up_dates()]
    )
    case_event_record(case=placement.case, by=by, action="placed", reason=str(placement.employer))
    return placement
