"""Break-glass, and the recognition-only search across everyone."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Person
from cases.search import first_matches, named
from privacy import scope
from privacy.models import AccessGrant

LOOKUP_LIMIT = 20


@dataclass(frozen=True)
class Match:
    """Enough to recognise a person, not their file."""

    person_id: int
    name: str
    birth_year: int
    amka_matches: bool | None  # None: no AMKA was given to compare
    open_case: int | None  # for marking a referral a duplicate of it
    in_scope: bool


def people_lookup(*, user, name: str = "", amka: str = "") -> list[Match]:
    """Search everyone by name (accents and case ignored) or AMKA; say only who they are."""
    name, amka = name.strip(), amka.strip()
    if not name and not amka:
        return []
    people = Person.objects.all()
    people = first_matches(named(people, name), people) if name else people.filter(amka=amka)
    people = list(people.order_by("last_name", "first_name", "pk").only("pk", "first_name", "last_name", "birth_date", "amka")[:LOOKUP_LIMIT])
    ids = [p.pk for p in people]
    visible = set(scope.scoped(Person.objects.filter(pk__in=ids), user).values_list("pk", flat=True))
    open_cases = dict(Case.objects.open().filter(person_id__in=ids).values_list("person_id", "pk"))
    return [
        Match(p.pk, f"{p.last_name} {p.first_name}", p.birth_date.year, (p.amka == amka) if amka else None,
              open_cases.get(p.pk), p.pk in visible)
        for p in people
    ]


@transaction.atomic
def break_glass(*, user, person: Person, reason: str) -> AccessGrant:
    """Open `person`'s file outside one's work, for today, saying why; supervisors review the list next morning."""
    if not reason.strip():
        raise ValidationError(_("Say why you need to open this person's file."))
    return AccessGrant.objects.create(user=user, person=person, reason=reason.strip(), day=timezone.localdate())
