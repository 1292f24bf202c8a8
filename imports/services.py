"""Import a partner's referral file: plan it chunk by chunk, then write what the plan accepts."""
from __future__ import annotations

import datetime
import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed

from audit.context import channel
from audit.models import AccessEvent
from audit.services import log_added_links, log_created, record
from cases.models import Agency, Case, Person, Referral, VulnerableGroup
from cases.services import consents_declare_by_partner
from common.sql import insert_many, insert_objects
from imports.cleaning import parse_groups
from imports.matching import chunks
from imports.models import ImportBatch, RejectedRow
from imports.planning import ImportReport, Planned, Planner, ReportError, group_vocabulary
from imports.reading import FileError, RawRow, read_table, read_upload, upload_name
from imports.rows import CleanRow, clean_row
from workflows.services import ReferralStartError, TaskError, referral_join, referral_start_many

IMPORT_LOCK = 0x676566797261  # "gefyra" in ASCII: a key of PostgreSQL's advisory locks that nothing else uses
CHUNK_ROWS = 500  # rows read, checked and written together: memory is bounded by this, not by the file
PERSON_FIELDS = ["last_name", "first_name", "father_name", "birth_date", "sex", "amka", "afm", "phone", "email", "nationality"]

Progress = Callable[[int, float], None]


def referral_import(
    *, file, agency: Agency, by: AbstractBaseUser | None, dry_run: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Import a partner's file: valid rows in one transaction, the rest kept on the batch. Raises FileError.

    The file is read, checked and written CHUNK_ROWS rows at a time inside that one transaction, so memory stays
    flat however long the file; `progress(rows, fraction)` is told after each chunk how far it has got.
    """
    content = read_upload(file)
    table = read_table(content)
    vocabulary, group_ids = group_vocabulary()
    today = timezone.localdate()
    # The same few group lists repeat on every row: parse each distinct cell once (errors are not cached).
    groups = functools.lru_cache(maxsize=None)(lambda value: tuple(parse_groups(value, vocabulary)))
    try:
        with transaction.atomic():
            if not dry_run:
                _take_turns()
            report = ImportReport(dry_run=dry_run, located=table.located())
            report.batch = _batch_start(table, agency=agency, by=by, content=content, name=upload_name(file), dry_run=dry_run)
            planner = Planner(report, agency, dry_run=dry_run)
            with channel("import", f"batch {report.batch.pk}"):
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
            record(user=by, action=AccessEvent.Action.IMPORT, obj=report.batch, count=report.rows,
                   details={"dry_run": dry_run, "agency": agency.code, "created": report.created, "rejected": report.rejected})
    except IntegrityError:
        raise FileError(_("The data changed while this file was imported (another import at the same time?). Nothing was imported; try again.")) from None
    return report


def _take_turns() -> None:
    """Wait for any other import under way to commit, then hold the turn until this transaction ends.

    Two imports at once, even from two agencies, would each see the other's new people as unknown (people
    without AMKA or AFM have no unique constraint to stop it) and create them twice, each with an open case.
    Everything after this reads what the one before committed. SQLite needs nothing: its IMMEDIATE transactions
    (config/settings.py) already admit one writer at a time. A dry run does not wait: it writes no people, and
    the import it previews plans again, in its turn.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


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


def _json_value(value: object) -> object:
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if (value.hour or value.minute) else value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _batch_finish(report: ImportReport) -> None:
    batch = report.batch
    batch.rows, batch.created, batch.duplicates, batch.rejected = report.rows, report.created, report.duplicates, report.rejected
    batch.save(update_fields=["rows", "created", "duplicates", "rejected", "people_created", "people_matched", "reopened", "updated_people"])


def _create(planned: list[Planned], *, batch: ImportBatch, agency: Agency, by, group_ids: dict[str, int], today) -> None:
    """Write the planned rows: people, their consent and referrals in bulk; then take the referrals in.

    Referrals for people with an open case join it one by one (they are rare); the others start their cases in bulk.
    """
    for p in planned:
        if p.person is None:
            p.new_person = _new_person(p.row)
    new_people = [p.new_person for p in planned if p.new_person is not None]
    insert_objects(new_people)
    log_created(new_people, actor=by)
    _groups_link([(p.new_person.pk, group_ids[code]) for p in planned if p.new_person is not None
                  for code in p.row.vulnerable_groups], {p.pk: p for p in new_people}, by=by)
    existing = Person.objects.in_bulk({p.person.id for p in planned if p.person is not None})
    sharing = [p.new_person or existing[p.person.id] for p in planned if p.row.consent_sharing]
    _consents_declare([*new_people, *existing.values()], sharing, batch=batch, by=by)
    batch.updated_people += _complete_people([p for p in planned if p.person is not None], existing, group_ids, by=by)
    referrals = [
        Referral(
            agency=agency, agency_ref=p.row.agency_ref, person=p.new_person or existing[p.person.id],
            referral_date=p.row.referral_date or today, reason=p.row.reason,
        )
        for p in planned
    ]
    insert_objects(referrals)
    log_created(referrals, actor=by)
    batch.people_created += len(new_people)
    batch.people_matched += len(existing)
    _join_all([(referral, p) for referral, p in zip(referrals, planned, strict=True) if p.open_case], by=by)
    numbered = [(referral, p.raw.number) for referral, p in zip(referrals, planned, strict=True) if not p.open_case]
    batch.reopened += _start_all(numbered, batch=batch, by=by, existing_ids=set(existing))
    insert_many(ImportBatch.people.through, ("importbatch_id", "person_id"), [(batch.pk, p.pk) for p in new_people])
    insert_many(ImportBatch.referrals.through, ("importbatch_id", "referral_id"), [(batch.pk, r.pk) for r in referrals])


def _new_person(row: CleanRow) -> Person:
    """Build (not save) the person a row describes.

    No full_clean(): clean_row has already run every validator of these fields (AMKA, AFM, phone, email,
    lengths, choices), and the database's unique constraints still guard AMKA and AFM; running them twice
    would slow every dry run (benchmarks/README.md).
    """
    person = Person(**{name: getattr(row, name) for name in PERSON_FIELDS})
    person.amka, person.afm = row.amka or None, row.afm or None
    person.search_text = person.build_search_text()
    return person


def _complete_people(planned: list[Planned], people: dict[int, Person], group_ids: dict[str, int], *, by) -> list[dict]:
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
    _groups_link(pairs, people, by=by)
    return changes


def _groups_link(pairs: list[tuple[int, int]], people: dict[int, Person], *, by) -> None:
    """Link people to vulnerable groups in bulk, with the change log's entry for each person linked."""
    insert_many(Person.vulnerable_groups.through, ("person_id", "vulnerablegroup_id"), pairs)
    groups = VulnerableGroup.objects.in_bulk({group for _person, group in pairs})
    links = defaultdict(list)
    for person, group in pairs:
        links[people[person]].append(groups[group])
    log_added_links(links, "vulnerable_groups", actor=by)


def _consents_declare(people: list[Person], sharing: list[Person], *, batch: ImportBatch, by) -> None:
    """Record, through the consent service, the partner's declaration: consent to processing for those of `people`
    who had not consented, and to sharing with the agency for those of `sharing` the file says consented to it."""
    evidence = _("Declared by %(agency)s in the file %(file)s (import batch no. %(batch)s).")
    evidence %= {"agency": batch.agency, "file": batch.file_name, "batch": batch.pk}
    try:
        records = consents_declare_by_partner(people=people, agency=batch.agency, sharing=sharing, by=by, evidence=evidence)
    except ValidationError:
        # The plan refused everyone who had withdrawn consent: someone has withdrawn it since.
        raise FileError(_("Someone in the file withdrew their consent while it was imported. Nothing was imported; "
                          "import the file again and their row will be refused.")) from None
    log_created(records, actor=by)
    insert_many(ImportBatch.consents.through, ("importbatch_id", "consentrecord_id"), [(batch.pk, r.pk) for r in records])


def _join_all(joining: list[tuple[Referral, Planned]], *, by) -> None:
    """Join referrals to their people's open cases through the workflow: each gets a task to consider it."""
    cases = Case.objects.in_bulk({p.open_case for _referral, p in joining})
    for referral, p in joining:
        try:
            referral_join(referral=referral, case=cases[p.open_case], by=by)
        except ValidationError as exc:
            raise _not_taken_in(p.raw.number, " ".join(exc.messages)) from None
        except TaskError as exc:
            raise _not_taken_in(p.raw.number, str(exc)) from None
        except FlowLockFailed:
            raise _not_taken_in(p.raw.number, _("Someone else is working on this case right now; try again in a moment.")) from None


def _not_taken_in(row: int, error: str) -> FileError:
    return FileError(_("Row %(row)s could not be taken in (%(error)s). Nothing was imported.") % {"row": row, "error": error})


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
        raise _not_taken_in(row_number, " ".join(exc.messages)) from None
    reopened: list[dict] = []
    created: list[int] = []
    for (referral, _row), case in zip(referrals, cases, strict=True):
        previous = snapshots.get(referral.person_id)
        if previous is not None and previous.pk == case.pk:
            reopened.append({"case": case.pk, "stage": previous.stage, "outcome": previous.outcome,
                             "closed_on": previous.closed_on.isoformat() if previous.closed_on else None})
        else:
            created.append(case.pk)
    insert_many(ImportBatch.cases.through, ("importbatch_id", "case_id"), [(batch.pk, pk) for pk in created])
    return reopened
