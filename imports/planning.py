"""Plan a partner file: decide each row's fate (create, duplicate, error) before anything is written.

The plan is the same in a dry run and a real import, so the preview says exactly what the import will do.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cases.models import Agency, Person, VulnerableGroup
from cases.models.people import withdrawn_message
from imports.cleaning import FieldError, group_aliases
from imports.matching import FILLABLE, EarlierRows, Known, PeopleIndex, existing_refs, name_key
from imports.models import ImportBatch
from imports.reading import RawRow
from imports.rows import CleanRow

LISTED = 300  # rows to be created, and duplicates, that the preview lists one by one (it counts them all)


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
    located: str = ""  # where the header was found, when not on row 1 of the only sheet (reading.Table.located)

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
class Planned:
    raw: RawRow
    row: CleanRow
    person: Known | None
    fills: dict[str, object]  # blank fields of a known person that the file fills in
    open_case: int | None  # the known person's open case, which the referral joins
    new_person: Person | None = None


def group_vocabulary() -> tuple[dict[str, str], dict[str, int]]:
    """Return {folded alias: group code} for reading the file, and {group code: id} for writing it."""
    vocabulary: dict[str, str] = {}
    ids: dict[str, int] = {}
    for group in VulnerableGroup.objects.all():
        ids[group.code] = group.pk
        vocabulary.update({alias: group.code for alias in group_aliases(group.code, group.label, group.label_en)})
    return vocabulary, ids


class Planner:
    """Decide each row's fate (create, duplicate, error) chunk by chunk, remembering the file's earlier rows."""

    def __init__(self, report: ImportReport, agency: Agency, *, dry_run: bool):
        self.report, self.agency = report, agency
        self.earlier = EarlierRows(report.batch)
        # People this import has written so far: later chunks must not match them (a dry run could not).
        written = ImportBatch.people.through.objects.filter(importbatch=report.batch).values("person_id")
        self.written_people = None if dry_run else written

    def plan(self, cleaned: list[tuple[RawRow, CleanRow, list[FieldError]]]) -> list[Planned]:
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
        planned: list[Planned] = []
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
                errors = _consent_withdrawn(person) or _same_person_above(row, keys, seen)
            if errors:
                _reject(report, raw, row, name, errors)
                continue
            for key in (ref, *keys):
                seen[key] = accepted[key] = raw.number
            fills = {f: getattr(row, f) for f in FILLABLE if person and f in person.blank and getattr(row, f)}
            open_case = people.open_case.get(person.id) if person else None
            report.add(RowOutcome(raw.number, "create", row.agency_ref, name, _describe(person, fills, open_case, sharing=row.consent_sharing)))
            planned.append(Planned(raw, row, person, fills, open_case))
        self.earlier.add(accepted)
        return planned


def _describe(person: Known | None, fills: dict[str, object], open_case: int | None, *, sharing: bool) -> str:
    shares = " " + _("The person consents to the agency being told what became of the referral.") if sharing else ""
    if person is None:
        return _("New referral, new person.") + shares
    if open_case is not None:
        detail = _("New referral for %(person)s, who already has an open case (no. %(case)s): it joins that case, "
                   "for its key worker to consider.")
        detail %= {"person": person.name, "case": open_case}
    else:
        detail = _("New referral for an existing person: %(person)s.") % {"person": person.name}
    if fills:
        added = ", ".join(str(Person._meta.get_field(f).verbose_name) for f in fills)
        detail += " " + _("Adds what the person's record lacks: %(fields)s.") % {"fields": added}
    if not person.has_processing_consent:
        detail += " " + _("Records the partner's declaration of the person's consent.")
    return detail + shares


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


def _consent_withdrawn(person: Known | None) -> list[FieldError]:
    """Refuse a person who withdrew their consent: only they can give it again, not a partner's "yes"."""
    if person is None or not person.has_withdrawn_consent:
        return []
    return [FieldError("consent", "no_consent", withdrawn_message(person.consent_withdrawn_at))]


def _same_person_above(row: CleanRow, keys: list[str], seen: dict[str, int]) -> list[FieldError]:
    """Refuse a second referral of one person in one file: the partner should merge the two rows."""
    column = "amka" if row.amka else ("afm" if row.afm else "last_name")
    for key in keys:
        if key in seen:
            return [FieldError(column, "invalid", _("The same person is already referred in row %(row)s of this file.") % {"row": seen[key]})]
    return []


def _reject(report: ImportReport, raw: RawRow, row: CleanRow, name: str, errors: list[FieldError]) -> None:
    report.errors.extend(ReportError(raw.number, e.field, e.code, e.message) for e in errors)
    detail = " ".join(f"{e.field}: {e.message}" for e in errors)
    report.add(RowOutcome(raw.number, "error", row.agency_ref, name, detail))

