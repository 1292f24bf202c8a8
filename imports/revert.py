"""Revert an import: remove what it created and take back what it added, and nothing else."""
from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import F, ProtectedError, QuerySet
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import Case, CaseEvent, ConsentRecord, Person, Referral, VulnerableGroup
from cases.services import case_event_record
from imports.models import ImportBatch
from privacy.models import CaseMember
from workflows.flows import CaseFlow
from workflows.models import CaseProcess


@transaction.atomic
def import_batch_revert(*, batch: ImportBatch, by: AbstractBaseUser | None) -> ImportBatch:
    """Remove what an import created and nothing else; refused once any of its cases or referrals has moved on."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.IMPORTED:
        raise ValidationError(_("Only an imported batch can be reverted (this one is “%(status)s”).") % {"status": batch.get_status_display()})
    referrals = Referral.objects.filter(pk__in=batch.referrals.values("pk"))
    case_ids = {*batch.cases.values_list("pk", flat=True), *(r["case"] for r in batch.reopened)}
    moved = Case.objects.filter(pk__in=case_ids).exclude(stage=Case.Stage.REFERRAL_REVIEW).values_list("pk", flat=True)
    if moved:
        raise ValidationError(
            _("The batch cannot be reverted: cases %(cases)s have moved past referral review.") % {"cases": ", ".join(map(str, sorted(moved)))}
        )
    if referrals.exclude(status=Referral.Status.RECEIVED).exists():
        raise ValidationError(_("The batch cannot be reverted: some of its referrals have already been decided."))
    # Referrals that joined cases already open: their key workers' tasks to consider them go, and their timelines say so.
    joined = [*referrals.exclude(case_id__in=case_ids).exclude(case=None).select_related("agency")]
    _consider_tasks_cancel(joined)
    for case in Case.objects.filter(pk__in={r.case_id for r in joined}):
        case_event_record(case=case, by=by, action=CaseEvent.Action.IMPORT_REVERTED, from_stage=case.stage, to_stage=case.stage,
                          reason=str(batch))
    _cases_restore(batch, by=by)
    _people_restore(batch)
    _consents_take_back(batch, referrals)
    _created_delete(batch, referrals)
    batch.status, batch.reverted_at, batch.reverted_by = ImportBatch.Status.REVERTED, timezone.now(), by
    batch.save(update_fields=["status", "reverted_at", "reverted_by"])
    return batch


def _consider_tasks_cancel(joined: list[Referral]) -> None:
    """Cancel the open task to consider each of `joined`; refused once someone has taken one up."""
    by_pk = {referral.pk: referral for referral in joined}
    for task in Task.objects.filter(flow_task=CaseFlow.consider_referral, data__referral__in=[*by_pk]):
        if task.status == STATUS.CANCELED:
            continue  # the case's flow was cancelled (the case closed) with it
        try:
            with task.activation() as activation:
                if not activation.cancel.can_proceed():
                    referral = by_pk[task.data["referral"]]
                    message = _("The batch cannot be reverted: the new referral %(referral)s has already been considered "
                                "on case %(case)s, or is being considered.")
                    raise ValidationError(message % {"referral": referral, "case": referral.case_id})
                activation.cancel()
        except FlowLockFailed:
            raise ValidationError(_("Someone else is working on this case right now; try again in a moment.")) from None


def _cases_restore(batch: ImportBatch, *, by: AbstractBaseUser | None) -> None:
    """Put the closed cases the import re-opened back as they were, with a line on their timelines."""
    for snapshot in batch.reopened:
        case = Case.objects.get(pk=snapshot["case"])
        case.stage, case.outcome = snapshot["stage"], snapshot["outcome"]
        case.closed_on = datetime.date.fromisoformat(snapshot["closed_on"]) if snapshot["closed_on"] else None
        case.save(update_fields=["stage", "outcome", "closed_on"])
        case_event_record(case=case, by=by, action=CaseEvent.Action.IMPORT_REVERTED, from_stage=Case.Stage.REFERRAL_REVIEW,
                          to_stage=case.stage, reason=str(batch))


def _people_restore(batch: ImportBatch) -> None:
    """Take out what an import added to people it found: fields it filled (unless staff changed them since), groups."""
    group_ids = dict(VulnerableGroup.objects.values_list("code", "pk"))
    people = Person.objects.in_bulk([change["person"] for change in batch.updated_people])
    for change in batch.updated_people:
        person = people.get(change["person"])
        if person is None:
            continue
        filled = [name for name, value in change["fields"].items() if getattr(person, name) == value]
        for name in filled:
            setattr(person, name, None if name in ("amka", "afm") else "")
        if filled:
            person.search_text = person.build_search_text()
            person.save(update_fields=[*filled, "search_text"])
        person.vulnerable_groups.remove(*[group_ids[code] for code in change["groups"] if code in group_ids])


def _consents_take_back(batch: ImportBatch, referrals: QuerySet[Referral]) -> None:
    """Delete the partner's declarations of consent the import recorded, and the consent they gave (unless given since).

    Someone referred by another agency since keeps theirs: that referral was taken in on it. Any other consent
    record of a person the revert deletes is staff's, and refuses the revert (_created_delete).
    """
    referred_since = Referral.objects.exclude(pk__in=referrals.values("pk")).filter(created_at__gte=batch.created_at)
    records = ConsentRecord.objects.filter(pk__in=batch.consents.values("pk")).exclude(person__referrals__in=referred_since)
    Person.objects.filter(
        consents__in=records, consents__purpose=ConsentRecord.Purpose.PROCESSING, consent_processing_at=F("consents__at")
    ).update(consent_processing_at=None)
    records.delete()


def _created_delete(batch: ImportBatch, referrals: QuerySet[Referral]) -> None:
    """Delete the referrals, cases and people the import created; refused if staff have recorded anything on them."""
    created_cases = Case.objects.filter(pk__in=batch.cases.values("pk"))
    # A person this batch created stays if someone else has referred them (or opened a case) since.
    people = (
        Person.objects.filter(pk__in=batch.people.values("pk"))
        .exclude(referrals__in=Referral.objects.exclude(pk__in=referrals.values("pk")))
        .exclude(cases__in=Case.objects.exclude(pk__in=created_cases.values("pk")))
    )
    people = list(people)
    # The flows referral_start_many started for these referrals (with their tasks) go first; PROTECT keeps
    # cases and people while processes and referrals point at them. A refusal below raises inside the
    # revert's transaction, so nothing stays deleted.
    processes = [*CaseProcess.objects.filter(referral__in=referrals.values("pk"))]
    for objects in (processes,), ([*referrals], [*created_cases]), (people,):
        collector = Collector(using=router.db_for_write(Referral))
        try:
            for same_model in objects:
                collector.collect(same_model)
        except ProtectedError:
            raise ValidationError(_("The batch cannot be reverted: other records now depend on what it created.")) from None
        later = _later_work(collector)
        if later:
            message = _("The batch cannot be reverted: staff have since recorded %(what)s for its people or cases.")
            raise ValidationError(message % {"what": ", ".join(later)})
        collector.delete()


def _later_work(collector: Collector) -> list[str]:
    """Name what a revert would delete besides the import's own rows (and what referral_start_many made for them)."""
    found = set()
    for model, instances in collector.data.items():
        if instances and not _made_by_import(model):
            found.add(str(model._meta.verbose_name_plural))
    for queryset in collector.fast_deletes:
        if not _made_by_import(queryset.model) and queryset.exists():
            found.add(str(queryset.model._meta.verbose_name_plural))
    return sorted(found)


def _made_by_import(model) -> bool:
    # The workflow's own records (viewflow process and tasks) are started by referral_start_many with the case.
    # Not ConsentRecord: the import's own are gone by now (_consents_take_back); any left are staff's.
    # CaseMember is what the database derives from those tasks.
    return (
        model in (Person, Referral, Case, CaseEvent, CaseMember)
        or model._meta.auto_created
        or model._meta.app_label.startswith(("workflows", "viewflow"))
    )
