"""Anonymisation: the one writer that takes a person's identity out of Gefyra, after retention or on request.

Kept is what statistics count — sex, year of birth, municipality, nationality, education, vulnerable groups,
every date, stage, outcome, service kind and topic, a goal's flags, whether a certificate was awarded — so the
funder's counts do not change. Everything that names, identifies, contacts or describes the person is blanked or
replaced, and the change-log entries that copied it are deleted. Rows are written with update(): a save() would
copy the old values into the change log, which is what is being removed.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, TruncYear
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AccessEvent
from audit.purge import purging
from cases import models as cases
from imports.models import ImportBatch
from privacy.models import LegalHold

ANONYMOUS = "Ανώνυμο"
REDACTED = "[ανωνυμοποιήθηκε]"  # where a text must stay non-blank (a note, a goal, a witness, a certificate)


class Grounds(models.TextChoices):
    RETENTION = "retention", _("retention period over")
    REQUEST = "request", _("erasure on the person's request")


def _numbered(prefix: str):
    return Concat(Value(prefix), Cast("pk", CharField()))


def _redacted_if_given(name: str):
    """Blank stays blank; a value becomes REDACTED, so that "there was one" (a witness, a certificate) still counts."""
    return models.Case(models.When(**{name: ""}, then=Value("")), default=Value(REDACTED))


# Per model: the path from its rows to the person, and what its personal fields become. A test checks that
# every text and date field of these models is either here or in KEPT.
CHANGES: list[tuple[type[models.Model], str, dict]] = [
    (cases.Person, "pk", {
        "last_name": ANONYMOUS, "first_name": _numbered("#"), "father_name": "", "birth_date": TruncYear("birth_date"),
        "amka": None, "afm": None, "document_kind": "", "document_number": "", "document_expiry": None,
        "phone": "", "email": "", "address": "", "languages": "", "at_risk": False, "search_text": "",
    }),
    # Verbal consent keeps a (redacted) witness: the constraint that it had one still holds.
    (cases.ConsentRecord, "person", {"witness": _redacted_if_given("witness"), "evidence": "", "note": ""}),
    # The partner's reference would let anyone holding the partner's file name the person.
    (cases.Referral, "person", {"agency_ref": _numbered("ANON-"), "reason": "", "decline_reason": ""}),
    (cases.CaseEvent, "case__person", {"reason": ""}),
    (cases.NeedsAssessment, "case__person", {
        name: "" for name in ("employment_history", "skills", "languages", "housing_notes", "health", "addiction",
                              "finances", "legal_status", "childcare")
    }),
    (cases.ActionPlan, "case__person", {"notes": ""}),
    (cases.Goal, "plan__case__person", {"text": REDACTED}),
    (cases.Service, "case__person", {"outcome": ""}),
    (cases.TrainingEnrolment, "case__person", {"certificate": _redacted_if_given("certificate")}),
    (cases.ServiceSession, "service__case__person", {"notes": ""}),
    (cases.ContactNote, "case__person", {"text": REDACTED}),
    (cases.NoteCorrection, "note__case__person", {"previous_text": REDACTED}),
    (cases.Placement, "case__person", {"end_reason": ""}),
    (cases.FollowUp, "placement__case__person", {"notes": ""}),
]
# Rows about the person with nothing to blank: their change-log entries go all the same (they name the person).
UNCHANGED = [(cases.Case, "person"), (cases.Appointment, "person"), (cases.LegalAdvice, "case__person"),
             (cases.AccountingSupport, "case__person")]
# Fields kept on purpose (what statistics and the record's shape need), per model.
KEPT = {
    "cases.Person": "sex municipality nationality education consent_processing_at consent_withdrawn_at created_at "
    "updated_at anonymised_at",
    "cases.Referral": "referral_date referrer_name referrer_phone referrer_email decided_at created_at",  # the partner's worker
    "cases.ConsentRecord": "at",
    "cases.CaseEvent": "at",
    "cases.NeedsAssessment": "assessed_on",
    "cases.ActionPlan": "agreed_on updated_at",
    "cases.Goal": "agreed_on target_date",
    "cases.Service": "started_on completed_on",
    "cases.TrainingEnrolment": "course provider",  # the centre's course, not the person
    "cases.ServiceSession": "held_on",
    "cases.ContactNote": "written_at",
    "cases.NoteCorrection": "corrected_at",
    "cases.Placement": "start_date end_date",
    "cases.FollowUp": "due_on done_on",
}


def erase_on_request(*, person: cases.Person, by, reason: str) -> None:
    """Anonymise a person at once, on their request; refused while a case is open or on legal hold."""
    if not reason.strip():
        raise ValidationError(_("Say why the person's data is erased (e.g. the date and reference of their request)."))
    if person.anonymised_at is not None:
        raise ValidationError(_("This person's data has already been anonymised."))
    if open_case := person.cases.open().first():
        raise ValidationError(_("Case %(number)s is still open: close it in its workflow first, then erase.") % {"number": open_case.pk})
    if hold := LegalHold.objects.filter(case__person=person).first():
        raise ValidationError(
            _("Case %(number)s is on legal hold (%(reason)s): its data cannot be erased until the hold is lifted.")
            % {"number": hold.case_id, "reason": hold.reason}
        )
    anonymise([person.pk], by=by, grounds=Grounds.REQUEST, reason=reason.strip())


@transaction.atomic
def anonymise(person_ids: Iterable[int], *, by=None, grounds: Grounds, reason: str = "") -> int:
    """Anonymise these people and everything about them; record it; return how many were anonymised."""
    ids = list(cases.Person.objects.filter(pk__in=list(person_ids), anonymised_at=None).values_list("pk", flat=True))
    if not ids:
        return 0
    now = timezone.now()
    with purging():
        for model, path in [*((model, path) for model, path, _changes in CHANGES), *UNCHANGED]:
            _forget_change_log(model.objects.filter(**{f"{path}__in": ids}).values("pk"), model)
    for model, path, changes in CHANGES:
        model.objects.filter(**{f"{path}__in": ids}).update(**changes)
    cases.Person.objects.filter(pk__in=ids).update(anonymised_at=now, updated_at=now)
    _forget_completions(set(ids))
    AccessEvent.objects.bulk_create([
        AccessEvent(at=now, user_id=by.pk if by else None, username=by.get_username() if by else "",
                    action=AccessEvent.Action.ANONYMISED, model="cases.Person", object_id=str(pk), person_id=pk,
                    details={"grounds": str(grounds), "reason": reason})
        for pk in ids
    ])
    return len(ids)


def _forget_change_log(rows, model: type[models.Model]) -> None:
    """Delete the change-log entries (ours and the Django admin's) of these rows: they copy the values."""
    from auditlog.models import LogEntry

    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    LogEntry.objects.filter(content_type=content_type, object_id__in=rows).delete()
    AdminLogEntry.objects.filter(content_type=content_type, object_id__in=rows.annotate(
        text=Cast("pk", CharField())).values("text")).delete()


def _forget_completions(ids: set[int]) -> None:
    """An import keeps the values it added to people it found, to take them back on revert: not these people's."""
    for batch in ImportBatch.objects.exclude(updated_people=[]).only("pk", "updated_people").iterator():
        kept = [change for change in batch.updated_people if change["person"] not in ids]
        if len(kept) != len(batch.updated_people):
            ImportBatch.objects.filter(pk=batch.pk).update(updated_people=kept)
