"""Import partner referral files, and revert an import: the only writes of the imports app."""
from __future__ import annotations

import datetime
import functools
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Agency, Case, CaseEvent, Person, Referral, VulnerableGroup
from cases.services import case_event_record
from imports.cleaning import FieldError, FileError, RawRow, group_aliases, parse_groups, read_table
from imports.matching import FILLABLE, EarlierRows, Known, PeopleIndex, chunks, existing_refs, name_key
from imports.models import ImportBatch, RejectedRow
from imports.rows import CleanRow, clean_row
from common.sql import insert_many
from workflows.models import CaseProcess
from workflows.services import ReferralStartError, referral_start_many

CHUNK_ROWS = 500  # rows read, checked and written together: memory is bounded by this, not by the file
LISTED = 300  # rows to be created, and duplicates, that the preview lists one by one (it counts them all)
PERSON_FIELDS = ["last_name", "first_name", "father_name", "birth_date", "sex", "amka", "afm", "phone", "email", "nationality"]


@dataclass(slots=True)
class ReportError:
    row: int
    field: str
    code: str
    message: str


@dataclass(slots=True)
class RowOutcome:
    """What happens to one row: create, duplicate or error, and a sentence for the preview."""

    row: int
    action: str
    agency_ref: str
    name: str
    detail: str


@dataclass(slots=True)
class ImportReport:
    dry_run: bool
    rows: int = 0
    created: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[ReportError] = field(default_factory=list)
    # The first LISTED rows to be created and the first LISTED duplicates, for the preview (errors are all kept).
    outcomes: list[RowOutcome] = field(default_factory=list)
    batch: ImportBatch | None = None

    def as_json(self) -> dict:
        """Return the report in the shape the command prints (a contract: keep it)."""
        return {
            "rows": self.rows,
            "created": self.created,
            "duplicates": self.duplicates,
            "errors": [{"row": e.row, "field": e.field, "code": e.code, "message": e.message} for e in self.errors],
        }

    def listed(self, action: str) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.action == action]

    def add(self, outcome: RowOutcome) -> None:
        counted = {"create": "created", "duplicate": "duplicates", "error": "rejected"}[outcome.action]
        setattr(self, counted, getattr(self, counted) + 1)
        if outcome.action == "error" or getattr(self, counted) <= LISTED:
            self.outcomes.append(outcome)


@dataclass(slots=True)
class _Planned:
    raw: RawRow
    row: CleanRow
    person: Known | None
    fills: dict[str, object]  # blank fields of a known person that the file fills in
    open_case: int | None  # the known person's open case, which the referral joins
    new_person: Person | None = None


Progress = Callable[[int, float], None]


def referral_import(
    *, file, agency: Agency, by: AbstractBaseUser | None, dry_run: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Import a partner's file: valid rows in one transaction, the rest kept on the batch. Raises FileError.

    The file is read, checked and written CHUNK_ROWS rows at a time inside that one transaction, so memory stays
    flat however long the file; `progress(rows, fraction)` is told after each chunk how far it has got.
    """
    content = _read_limited(file)
    table = read_table(content)
    vocabulary, group_ids = _group_vocabulary()
    today = timezone.localdate()
    # The same few group lists repeat on every row: parse each distinct cell once (errors are not cached).
    groups = functools.lru_cache(maxsize=None)(lambda value: tuple(parse_groups(value, vocabulary)))
    try:
        with transaction.atomic():
            if not dry_run:
                # Two imports for one agency at once would both see a reference as new: take turns.
                Agency.objects.select_for_update().filter(pk=agency.pk).exists()
            report = ImportReport(dry_run=dry_run)
            report.batch = _batch_start(table, agency=agency, by=by, content=content, name=_file_name(file), dry_run=dry_run)
            planner = _Planner(report, agency, dry_run=dry_run)
            for raws in chunks(table.rows, CHUNK_ROWS):
                cleaned = [(raw, *clean_row(table.fields_of(raw), groups=groups, today=today)) for raw in raws]
                first_error = len(report.errors)
                planned = planner.plan(cleaned)
                _keep_rejected(report.batch, raws, report.errors[first_error:])
                if not dry_run:
                    _create(planned, batch=report.batch, agency=agency, by=by, group_ids=group_ids, today=today)
                if progress:
                    progress(report.rows, table.done())
            planner.earlier.forget()
            _batch_finish(report)
    except IntegrityError:
        raise FileError(_("The data changed while this file was imported (another import at the same time?). Nothing was imported; try again.")) from None
    return report


def _read_limited(file) -> bytes:
    limit = settings.GEFYRA_IMPORT_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise FileError(_("The file is larger than %(limit)s MB.") % {"limit": limit // (1024 * 1024)})
    if hasattr(file, "seek"):
        file.seek(0)
    content = file.read(limit + 1)
    if len(content) > limit:
        raise FileError(_("The file is larger than %(limit)s MB.") % {"limit": limit // (1024 * 1024)})
    return content


def _file_name(file) -> str:
    return os.path.basename(getattr(file, "name", "") or "upload")[:255]


def _group_vocabulary() -> tuple[dict[str, str], dict[str, int]]:
    vocabulary: dict[str, str] = {}
    ids: dict[str, int] = {}
    for group in VulnerableGroup.objects.all():
        ids[group.code] = group.pk
        vocabulary.update({alias: group.code for alias in group_aliases(group.code, group.label, group.label_en)})
    return vocabulary, ids


class _Planner:
    """Decide each row's fate (create, duplicate, error) chunk by chunk, remembering the file's earlier rows."""

    def __init__(self, report: ImportReport, agency: Agency, *, dry_run: bool):
        self.report, self.agency = report, agency
        self.earlier = EarlierRows(report.batch)
        # People this import has written so far: later chunks must not match them (a dry run could not).
        written = ImportBatch.people.through.objects.filter(importbatch=report.batch).values("person_id")
        self.written_people = None if dry_run else written

    def plan(self, cleaned: list[tuple[RawRow, CleanRow, list[FieldError]]]) -> list[_Planned]:
        report, agency = self.report, self.agency
        known_refs = existing_refs(agency.pk, (row.agency_ref for _raw, row, _errors in cleaned if row.agency_ref))
        # Look up only the people of rows that may be created: a re-imported file skips this almost entirely.
        people = PeopleIndex(
            [row for _raw, row, errors in cleaned if not errors and row.agency_ref not in known_refs], exclude=self.written_people
        )
        matched = []
        for raw, row, errors in cleaned:
            person = None
            if not errors and row.agency_ref not in known_refs:
                person, errors = people.match(row)
            matched.append((raw, row, errors, person, _ref_key(row.agency_ref), _person_keys(row, person)))
        # What earlier chunks accepted, for every key this chunk may meet; this chunk's rows are added as they come.
        seen = self.earlier.load(key for *_, ref, keys in matched for key in (ref, *keys))
        accepted: dict[str, int] = {}
        planned: list[_Planned] = []
        for raw, row, errors, person, ref, keys in matched:
            report.rows += 1
            name = f"{row.last_name} {row.first_name}".strip()
            # An earlier row of this file first: a real import has already written it, a dry run has not.
            if ref in seen:
                detail = _("Duplicate of row %(row)s.") % {"row": seen[ref]}
                report.add(RowOutcome(raw.number, "duplicate", row.agency_ref, name, detail))
                continue
            if row.agency_ref in known_refs:
                detail = _("Already imported: referral %(ref)s exists.") % {"ref": f"{agency.code}/{row.agency_ref}"}
                report.add(RowOutcome(raw.number, "duplicate", row.agency_ref, name, detail))
                continue
            if not errors:
                errors = _same_person_above(row, keys, seen)
            if errors:
                _reject(report, raw, row, name, errors)
                continue
            for key in (ref, *keys):
                seen[key] = accepted[key] = raw.number
            fills = {f: getattr(row, f) for f in FILLABLE if person and f in person.blank and getattr(row, f)}
            open_case = people.open_case.get(person.id) if person else None
            report.add(RowOutcome(raw.number, "create", row.agency_ref, name, _describe(person, fills, open_case)))
            planned.append(_Planned(raw, row, person, fills, open_case))
        self.earlier.add(accepted)
        return planned


def _describe(person: Known | None, fills: dict[str, object], open_case: int | None) -> str:
    if person is None:
        return _("New referral, new person.")
    if open_case is not None:
        detail = _("New referral for %(person)s, who already has an open case (no. %(case)s): it joins that case.")
        detail %= {"person": person.name, "case": open_case}
    else:
        detail = _("New referral for an existing person: %(person)s.") % {"person": person.name}
    if fills:
        added = ", ".join(str(Person._meta.get_field(f).verbose_name) for f in fills)
        detail += " " + _("Adds what the person's record lacks: %(fields)s.") % {"fields": added}
    return detail


def _ref_key(agency_ref: str) -> str:
    return f"ref:{agency_ref}"


def _person_keys(row: CleanRow, person: Known | None) -> list[str]:
    """Return the keys by which a later row of the file would be the same person."""
    keys = [f"id:{person.id}"] if person else []
    keys += [f"amka:{row.amka}"] if row.amka else []
    keys += [f"afm:{row.afm}"] if row.afm else []
    if not keys:
        keys.append("name:" + "\x1f".join(map(str, name_key(row.last_name, row.first_name, row.birth_date))))
    return keys


def _same_person_above(row: CleanRow, keys: list[str], seen: dict[str, int]) -> list[FieldError]:
    """Refuse a second referral of one person in one file: the partner should merge the two rows."""
    column = "amka" if row.amka else ("afm" if row.afm else "last_name")
    for key in keys:
        if key in seen:
            return [FieldError(column, "invalid", _("The same person is already referred in row %(row)s of this file.") % {"row": seen[key]})]
    return []


def _new_person(row: CleanRow) -> Person:
    """Build (not save) the person a row describes.

    No full_clean(): clean_row has already run every validator of these fields (AMKA, AFM, phone, email,
    lengths, choices), and the database's unique constraints still guard AMKA and AFM. Running them twice
    cost a third of the dry run.
    """
    person = Person(**{name: getattr(row, name) for name in PERSON_FIELDS})
    person.amka, person.afm = row.amka or None, row.afm or None
    person.search_text = person.build_search_text()
    return person


def _reject(report: ImportReport, raw: RawRow, row: CleanRow, name: str, errors: list[FieldError]) -> None:
    report.errors.extend(ReportError(raw.number, e.field, e.code, e.message) for e in errors)
    detail = " ".join(f"{e.field}: {e.message}" for e in errors)
    report.add(RowOutcome(raw.number, "error", row.agency_ref, name, detail))


def _json_value(value: object) -> object:
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if (value.hour or value.minute) else value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _batch_start(table, *, agency: Agency, by, content: bytes, name: str, dry_run: bool) -> ImportBatch:
    return ImportBatch.objects.create(
        agency=agency, created_by=by, file_name=name, checksum=hashlib.sha256(content).hexdigest(),
        file_format=table.kind, encoding=table.encoding, delimiter=table.delimiter, headers=table.headers,
        dry_run=dry_run, status=ImportBatch.Status.PREVIEWED if dry_run else ImportBatch.Status.IMPORTED,
    )


def _keep_rejected(batch: ImportBatch, raws: list[RawRow], errors: list[ReportError]) -> None:
    """Keep one chunk's rejected rows on the batch, with the partner's own values, for the download."""
    errors_by_row: dict[int, list[dict]] = {}
    for e in errors:
        errors_by_row.setdefault(e.row, []).append({"field": e.field, "code": e.code, "message": e.message})
    RejectedRow.objects.bulk_create(
        [
            RejectedRow(batch=batch, row_number=raw.number, values=[_json_value(v) for v in raw.values], errors=errors_by_row[raw.number])
            for raw in raws
            if raw.number in errors_by_row
        ]
    )


def _batch_finish(report: ImportReport) -> None:
    batch = report.batch
    batch.rows, batch.created, batch.duplicates, batch.rejected = report.rows, report.created, report.duplicates, report.rejected
    batch.save(update_fields=["rows", "created", "duplicates", "rejected", "people_created", "people_matched", "reopened", "updated_people"])


def _create(planned: list[_Planned], *, batch: ImportBatch, agency: Agency, by, group_ids: dict[str, int], today) -> None:
    """Write the planned rows: people and referrals in bulk, then start their cases in bulk."""
    now = timezone.now()
    for p in planned:
        if p.person is None:
            p.new_person = _new_person(p.row)
            p.new_person.consent_processing_at = now
    new_people = [p.new_person for p in planned if p.new_person is not None]
    Person.objects.bulk_create(new_people, batch_size=500)
    insert_many(Person.vulnerable_groups.through, ("person_id", "vulnerablegroup_id"),
                [(p.new_person.pk, group_ids[code]) for p in planned if p.new_person is not None for code in p.row.vulnerable_groups])
    existing = Person.objects.in_bulk({p.person.id for p in planned if p.person is not None})
    # The partner confirms the person's consent in the file; record it for people we knew without it.
    Person.objects.filter(pk__in=[pk for pk, person in existing.items() if not person.has_processing_consent]).update(
        consent_processing_at=now
    )
    for person in existing.values():
        if not person.has_processing_consent:
            person.consent_processing_at = now
    batch.updated_people += _complete_people([p for p in planned if p.person is not None], existing, group_ids)
    referrals = [
        Referral(
            agency=agency, agency_ref=p.row.agency_ref, person=p.new_person or existing[p.person.id],
            referral_date=p.row.referral_date or today, reason=p.row.reason, case_id=p.open_case,
        )
        for p in planned
    ]
    Referral.objects.bulk_create(referrals, batch_size=500)
    batch.people_created += len(new_people)
    batch.people_matched += len(existing)
    # A referral for someone the centre is already working with joins that case, on its timeline; no second flow.
    CaseEvent.objects.bulk_create(
        [CaseEvent(case_id=p.open_case, by=by, action="referral_added", reason=str(r)) for r, p in zip(referrals, planned) if p.open_case]
    )
    numbered = [(referral, p.raw.number) for referral, p in zip(referrals, planned) if not p.open_case]
    batch.reopened += _start_all(numbered, batch=batch, by=by, existing_ids=set(existing))
    insert_many(ImportBatch.people.through, ("importbatch_id", "person_id"), [(batch.pk, p.pk) for p in new_people])
    insert_many(ImportBatch.referrals.through, ("importbatch_id", "referral_id"), [(batch.pk, r.pk) for r in referrals])


def _complete_people(planned: list[_Planned], people: dict[int, Person], group_ids: dict[str, int]) -> list[dict]:
    """Fill in the blank fields and add the vulnerable groups a file gives for people we know; return what changed.

    What changed is kept on the batch, so that a revert can take it back out.
    """
    through = Person.vulnerable_groups.through
    linked = set(through.objects.filter(person_id__in=people).values_list("person_id", "vulnerablegroup_id"))
    changes, pairs = [], []
    for p in planned:
        person = people[p.person.id]
        groups = [code for code in p.row.vulnerable_groups if (person.pk, group_ids[code]) not in linked]
        if p.fills:
            for name, value in p.fills.items():
                setattr(person, name, value)
            person.search_text = person.build_search_text()
            person.save(update_fields=[*p.fills, "search_text"])
        pairs += [(person.pk, group_ids[code]) for code in groups]
        if p.fills or groups:
            changes.append({"person": person.pk, "fields": p.fills, "groups": groups})
    insert_many(through, ("person_id", "vulnerablegroup_id"), pairs)
    return changes


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


def _start_all(referrals: list[tuple[Referral, int]], *, batch: ImportBatch, by, existing_ids: set[int]) -> list[dict]:
    """Start the referrals' cases through the workflow in one batch; remember re-opened cases."""
    snapshots = {}
    for case in Case.objects.filter(person_id__in=existing_ids).order_by("person_id", "-opened_on", "-id"):
        snapshots.setdefault(case.person_id, case)
    try:
        cases = referral_start_many(referrals=[referral for referral, _row in referrals], by=by)
    except ReferralStartError as exc:
        # The plan ruled these out; if the database disagrees (a case opened meanwhile), import nothing.
        row_number = next(row for referral, row in referrals if referral is exc.referral)
        message = " ".join(exc.messages)
        raise FileError(_("Row %(row)s could not be taken in (%(error)s). Nothing was imported.") % {"row": row_number, "error": message}) from None
    reopened: list[dict] = []
    created: list[int] = []
    for (referral, _row), case in zip(referrals, cases):
        previous = snapshots.get(referral.person_id)
        if previous is not None and previous.pk == case.pk:
            reopened.append({"case": case.pk, "stage": previous.stage, "outcome": previous.outcome,
                             "closed_on": previous.closed_on.isoformat() if previous.closed_on else None})
        else:
            created.append(case.pk)
    insert_many(ImportBatch.cases.through, ("importbatch_id", "case_id"), [(batch.pk, pk) for pk in created])
    return reopened


@transaction.atomic
def import_batch_revert(*, batch: ImportBatch, by: AbstractBaseUser | None) -> ImportBatch:
    """Remove what an import created and nothing else; refused once any of its cases has moved on."""
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
    for snapshot in batch.reopened:
        case = Case.objects.get(pk=snapshot["case"])
        case.stage, case.outcome = snapshot["stage"], snapshot["outcome"]
        case.closed_on = datetime.date.fromisoformat(snapshot["closed_on"]) if snapshot["closed_on"] else None
        case.save(update_fields=["stage", "outcome", "closed_on"])
        case_event_record(case=case, by=by, action="import_reverted", from_stage=Case.Stage.REFERRAL_REVIEW, to_stage=case.stage, reason=str(batch))
    # Cases the import's referrals joined because they were already open: their timeline says the referral went.
    joined = referrals.exclude(case_id__in=case_ids).exclude(case=None).values_list("case_id", flat=True)
    for case in Case.objects.filter(pk__in=[*joined]):
        case_event_record(case=case, by=by, action="import_reverted", from_stage=case.stage, to_stage=case.stage, reason=str(batch))
    _people_restore(batch)
    created_cases = Case.objects.filter(pk__in=batch.cases.values("pk"))
    # A person this batch created stays if someone else has referred them (or opened a case) since.
    people = (
        Person.objects.filter(pk__in=batch.people.values("pk"))
        .exclude(referrals__in=Referral.objects.exclude(pk__in=referrals.values("pk")))
        .exclude(cases__in=Case.objects.exclude(pk__in=created_cases.values("pk")))
    )
    people = list(people)
    # The flows referral_start_many started for these referrals (with their tasks) go first; PROTECT keeps
    # cases and people while processes and referrals point at them. A refusal below raises inside this
    # transaction, so nothing stays deleted.
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
    batch.status, batch.reverted_at, batch.reverted_by = ImportBatch.Status.REVERTED, timezone.now(), by
    batch.save(update_fields=["status", "reverted_at", "reverted_by"])
    return batch


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
    return (
        model in (Person, Referral, Case, CaseEvent)
        or model._meta.auto_created
        or model._meta.app_label.startswith(("workflows", "viewflow"))
    )
