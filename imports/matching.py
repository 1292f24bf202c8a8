"""Find the people and referrals a partner file already refers to, with a few bulk queries."""
from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cases.models import Case, Person, Referral
from common.sql import insert_many
from common.text import fold
from imports.cleaning import FieldError
from imports.models import EarlierRowKey, ImportBatch
from imports.rows import CleanRow

CHUNK = 900  # below SQLite's old limit of 999 query parameters


def chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    """Yield lists of up to `size` values, reading `values` only as far as needed."""
    iterator = iter(values)
    while part := list(itertools.islice(iterator, size)):
        yield part


def existing_refs(agency_id: int, refs: Iterable[str]) -> set[str]:
    """Return which of `refs` the agency has already sent."""
    found: set[str] = set()
    for part in chunks(set(refs)):
        found.update(Referral.objects.filter(agency_id=agency_id, agency_ref__in=part).values_list("agency_ref", flat=True))
    return found


def name_key(last_name: str, first_name: str, birth_date: datetime.date | None) -> tuple:
    return (fold(last_name), fold(first_name), birth_date)


class EarlierRows:
    """The rows of one file accepted so far, by key ("ref:…", "amka:…", …) → row number.

    Earlier chunks' keys are in the database (EarlierRowKey), not in memory: a 10,000-row file's keys held as
    Python strings and tuples were the one part of an import's memory that grew with the file.
    """

    def __init__(self, batch: ImportBatch):
        self.batch = batch

    def load(self, keys: Iterable[str]) -> dict[str, int]:
        """Return the row number of each of `keys` that an earlier chunk accepted."""
        found: dict[str, int] = {}
        for part in chunks(set(keys)):
            found.update(EarlierRowKey.objects.filter(batch=self.batch, key__in=part).values_list("key", "row_number"))
        return found

    def add(self, keys: dict[str, int]) -> None:
        """Remember the keys of a chunk's accepted rows for the chunks after it."""
        insert_many(EarlierRowKey, ("batch", "key", "row_number"), [(self.batch.pk, key, row) for key, row in keys.items()])

    def forget(self) -> None:
        """Delete the keys once the file is done: they are scaffolding, not a record."""
        EarlierRowKey.objects.filter(batch=self.batch).delete()


# What a file may add to a person we already know: only what is blank; staff's own records are never overwritten.
FILLABLE = ("father_name", "sex", "amka", "afm", "phone", "email", "nationality")


@dataclass
class Known:
    id: int
    name: str
    amka: str | None
    afm: str | None
    father: str
    blank: frozenset[str]  # the FILLABLE fields this person has no value for
    consent_processing_at: datetime.datetime | None
    consent_withdrawn_at: datetime.datetime | None

    # Person's own rules, on the two dates loaded: the preview refuses exactly whom the import would.
    has_processing_consent = Person.has_processing_consent
    has_withdrawn_consent = Person.has_withdrawn_consent


class PeopleIndex:
    """The people already in the database whom the rows of one file may be: by AMKA, AFM, or name and birth date."""

    FIELDS = ("id", "last_name", "first_name", "birth_date", *FILLABLE, "consent_processing_at", "consent_withdrawn_at")

    def __init__(self, rows: list[CleanRow], *, exclude: QuerySet | None = None):
        self.exclude = exclude  # ids of people not to match (this import's own, once written)
        self.by_amka: dict[str, Known] = {}
        self.by_afm: dict[str, Known] = {}
        self.by_name: dict[tuple, list[Known]] = defaultdict(list)
        for part in chunks({r.amka for r in rows if r.amka}):
            self._add(Person.objects.filter(amka__in=part))
        for part in chunks({r.afm for r in rows if r.afm}):
            self._add(Person.objects.filter(afm__in=part))
        # Only people without any identifier in the file are matched by name: it is the weakest key.
        anonymous = [r for r in rows if not r.amka and not r.afm and r.birth_date]
        for part in chunks({r.birth_date for r in anonymous}):
            self._add(Person.objects.filter(birth_date__in=part))
        matched = {k.id for k in [*self.by_amka.values(), *self.by_afm.values()]}
        matched.update(k.id for people in self.by_name.values() for k in people)
        # The person's latest case decides: open → the referral joins it; closed → referral_start re-opens it.
        last_stage: dict[int, tuple[int, str]] = {}
        for part in chunks(matched):
            cases = Case.objects.filter(person_id__in=part).order_by("person_id", "-opened_on", "-id")
            for person_id, case_id, stage in cases.values_list("person_id", "id", "stage"):
                last_stage.setdefault(person_id, (case_id, stage))
        self.open_case: dict[int, int] = {
            pid: case_id for pid, (case_id, stage) in last_stage.items() if stage != Case.Stage.CLOSED
        }

    def _add(self, queryset) -> None:
        if self.exclude is not None:
            queryset = queryset.exclude(pk__in=self.exclude)
        for p in queryset.values(*self.FIELDS):
            blank = frozenset(name for name in FILLABLE if not p[name])
            known = Known(p["id"], f"{p['last_name']} {p['first_name']}", p["amka"], p["afm"], fold(p["father_name"]), blank,
                          p["consent_processing_at"], p["consent_withdrawn_at"])
            if p["amka"]:
                self.by_amka[p["amka"]] = known
            if p["afm"]:
                self.by_afm[p["afm"]] = known
            key = name_key(p["last_name"], p["first_name"], p["birth_date"])
            if all(k.id != known.id for k in self.by_name[key]):
                self.by_name[key].append(known)

    def match(self, row: CleanRow) -> tuple[Known | None, list[FieldError]]:
        """Return the existing person this row is about (or None for a new person), or why it is ambiguous."""
        by_amka = self.by_amka.get(row.amka) if row.amka else None
        by_afm = self.by_afm.get(row.afm) if row.afm else None
        if by_amka and by_afm and by_amka.id != by_afm.id:
            return None, [FieldError("afm", "invalid", _("This AFM belongs to another person (%(person)s) than the AMKA.") % {"person": by_afm.name})]
        person = by_amka or by_afm
        if person is not None:
            if row.amka and person.amka and row.amka != person.amka:
                return None, [FieldError("amka", "invalid", _("The person with this AFM (%(person)s) has another AMKA.") % {"person": person.name})]
            if row.afm and person.afm and row.afm != person.afm:
                return None, [FieldError("afm", "invalid", _("The person with this AMKA (%(person)s) has another AFM.") % {"person": person.name})]
            return person, []
        if row.amka or row.afm:
            return None, []
        candidates = [
            k for k in self.by_name.get(name_key(row.last_name, row.first_name, row.birth_date), [])
            if not row.father_name or not k.father or k.father == fold(row.father_name)
        ]
        if len(candidates) > 1:
            return None, [FieldError("last_name", "invalid", _("Several people have this name and date of birth: add the AMKA."))]
        return (candidates[0] if candidates else None), []
