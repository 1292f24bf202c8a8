"""Writes to the domain: each one audited, atomic, keyword-only, with the acting user."""
from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    Agency,
    Case,
    CaseEvent,
    ConsentRecord,
    ContactNote,
    FollowUp,
    NoteCorrection,
    Person,
    Placement,
    Referral,
)
from cases.models.people import withdrawn_message
from common.sql import insert_objects
from common.text import staff_name

Action = CaseEvent.Action


def case_event_record(
    *, case: Case, by: AbstractBaseUser | None, action: str, from_stage: str = "", to_stage: str = "", reason: str = ""
) -> CaseEvent:
    """Append a line to the case's timeline."""
    return CaseEvent.objects.create(
        case=case, by=by, action=Action(action), from_stage=from_stage, to_stage=to_stage, reason=reason
    )


# --- consent: the only writer of a person's consent ------------------------------------------------------

@transaction.atomic
def consent_give(
    *, person: Person, by: AbstractBaseUser | None, method: str, share_with: Iterable[Agency] = (), witness: str = "",
    evidence: str = "", note: str = "", at: datetime.datetime | None = None,
) -> ConsentRecord:
    """Record consent to processing, given or renewed by the person, and to sharing with each agency of `share_with`."""
    if method == ConsentRecord.Method.PARTNER_DECLARATION and person.has_withdrawn_consent:
        # The person said no to us; a partner's form cannot say yes for them.
        raise ValidationError(withdrawn_message(person.consent_withdrawn_at), code="no_consent")
    at = at or timezone.now()
    given = {"kind": ConsentRecord.Kind.GIVEN, "method": method, "witness": witness.strip(), "evidence": evidence.strip(),
             "note": note, "at": at, "by": by}
    record = ConsentRecord(person=person, purpose=ConsentRecord.Purpose.PROCESSING, **given)
    records = [record, *(ConsentRecord(person=person, purpose=ConsentRecord.Purpose.SHARING, agency=agency, **given)
                         for agency in share_with)]
    for each in records:
        each.full_clean()
        each.save()
    person.consent_processing_at = record.at
    person.save(update_fields=["consent_processing_at"])
    for case in person.cases.open():
        case_event_record(case=case, by=by, action=Action.CONSENT_GIVEN, reason=record.get_method_display())
    return record


@transaction.atomic
def consent_to_share_withdraw(*, person: Person, agency: Agency, by: AbstractBaseUser | None, reason: str = "") -> ConsentRecord:
    """Record that the person no longer lets the centre share with `agency`: it takes effect at once."""
    return ConsentRecord.objects.create(
        person=person, kind=ConsentRecord.Kind.WITHDRAWN, purpose=ConsentRecord.Purpose.SHARING, agency=agency,
        note=reason, by=by,
    )


def consents_declare_by_partner(
    *, people: Iterable[Person], agency: Agency, sharing: Iterable[Person] = (), by: AbstractBaseUser | None,
    evidence: str,
) -> list[ConsentRecord]:
    """Record a partner's declaration for many people at once (an import); none may have withdrawn their consent.

    Those who had not consented to processing get that consent; those of `sharing` not yet sharing with the agency
    get consent to share with it. Returns the records written.
    """
    people = list(people)
    refused = next((p for p in people if p.has_withdrawn_consent), None)
    if refused is not None:
        raise ValidationError(withdrawn_message(refused.consent_withdrawn_at), code="no_consent")
    now = timezone.now()
    declared = {"kind": ConsentRecord.Kind.GIVEN, "method": ConsentRecord.Method.PARTNER_DECLARATION,
                "evidence": evidence, "at": now, "by": by}
    processing = [p for p in people if not p.has_processing_consent]
    sharing = [p.pk for p in sharing]
    already = set(Person.objects.filter(pk__in=sharing).sharing_with(agency).values_list("pk", flat=True))
    records = [
        *(ConsentRecord(person=p, purpose=ConsentRecord.Purpose.PROCESSING, **declared) for p in processing),
        *(ConsentRecord(person_id=pk, purpose=ConsentRecord.Purpose.SHARING, agency=agency, **declared)
          for pk in sharing if pk not in already),
    ]
    insert_objects(records)
    Person.objects.filter(pk__in=[p.pk for p in processing]).update(consent_processing_at=now)
    for person in processing:
        person.consent_processing_at = now
    return records


@transaction.atomic
def consent_withdraw(*, person: Person, by: AbstractBaseUser | None, reason: str = "") -> ConsentRecord:
    """Record a withdrawal of consent to processing (which ends every consent to share); open cases get it on their timeline."""
    record = ConsentRecord.objects.create(person=person, kind=ConsentRecord.Kind.WITHDRAWN, note=reason, by=by)
    person.consent_withdrawn_at = record.at
    person.save(update_fields=["consent_withdrawn_at"])
    for case in person.cases.open():
        case_event_record(case=case, by=by, action=Action.CONSENT_WITHDRAWN, reason=reason)
    return record


# --- cases --------------------------------------------------------------------------------------------------

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
        case_event_record(case=case, by=by, action=Action.OPENED, to_stage=case.stage, reason=str(referral))
    else:
        previous = case.stage
        case.stage, case.closed_on, case.outcome = Case.Stage.REFERRAL_REVIEW, None, ""
        case.save(update_fields=["stage", "closed_on", "outcome"])
        case_event_record(case=case, by=by, action=Action.REOPENED, from_stage=previous, to_stage=case.stage, reason=str(referral))
    referral.case = case
    referral.save(update_fields=["case"])
    return case


# Who may be a case's key worker: the counsellors (their group holds this workflow permission).
KEY_WORKER_PERMISSION = "workflows.can_counsel"


def key_workers():
    """The active staff who may be key workers."""
    return staff_with_permission(KEY_WORKER_PERMISSION)


def staff_with_permission(permission: str | None):
    """Active staff whose groups grant `permission` ("app.codename"): the members of a step's group."""
    users = get_user_model().objects
    if not permission:
        return users.none()
    # Superusers hold every permission but do no step: only members of the step's group are offered. The model
    # backend is named because django-axes is the other one (it grants no permissions).
    members = users.with_perm(permission, include_superusers=False, backend="django.contrib.auth.backends.ModelBackend")
    return members.filter(is_staff=True).order_by("last_name", "first_name")


@transaction.atomic
def case_key_worker_assign(*, case: Case, worker: AbstractBaseUser | None, by: AbstractBaseUser) -> Case:
    """Make `worker` (a counsellor, or nobody) the case's key worker, on its timeline."""
    if worker is not None and not key_workers().filter(pk=worker.pk).exists():
        raise ValidationError(_("Only a counsellor can be a case's key worker."))
    case.key_worker = worker
    case.save(update_fields=["key_worker"])
    name = staff_name(worker) if worker else "—"
    case_event_record(case=case, by=by, action=Action.KEY_WORKER_ASSIGNED, from_stage=case.stage, to_stage=case.stage,
                      reason=name)
    return case


@transaction.atomic
def placement_record(*, placement: Placement, by: AbstractBaseUser | None) -> Placement:
    """Save a placement and schedule its follow-ups at 1, 3, 6 and 12 months."""
    placement.full_clean()
    placement.save()
    FollowUp.objects.bulk_create(
        [FollowUp(placement=placement, months=m, due_on=due) for m, due in placement.follow_up_dates()]
    )
    case_event_record(case=placement.case, by=by, action=Action.PLACED, reason=str(placement.employer))
    return placement


# --- contact notes: written once by their author, corrected only by them ---------------------------------

def note_add(*, case: Case, by: AbstractBaseUser, kind: str, text: str, confidential: bool = False) -> ContactNote:
    """Record a contact with the person; its author and time are the signed-in user and now."""
    note = ContactNote(case=case, kind=kind, text=text, confidential=confidential, written_by=by, written_at=timezone.now())
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def note_correct(*, note: ContactNote, by: AbstractBaseUser, kind: str, text: str, confidential: bool) -> ContactNote:
    """Correct a note (its author only), keeping what it said before."""
    note = ContactNote.objects.select_for_update().get(pk=note.pk)
    if note.written_by_id != by.pk:
        raise PermissionDenied(_("Only the author of a contact note can correct it."))
    if (note.kind, note.text, note.confidential) == (kind, text, confidential):
        return note
    NoteCorrection.objects.create(
        note=note, previous_kind=note.kind, previous_text=note.text, previous_confidential=note.confidential,
        corrected_by=by,
    )
    note.kind, note.text, note.confidential = kind, text, confidential
    note.full_clean()
    note.save(update_fields=["kind", "text", "confidential"])
    case_event_record(case=note.case, by=by, action=Action.NOTE_CORRECTED, reason=str(note))
    return note
