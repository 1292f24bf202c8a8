"""What was typed in a search box, routed to the one index that answers it.

An OR of every searchable field (`search_text LIKE '%…%' OR amka = … OR id = …`) is a filter no index can
serve: each list page would scan every person. What staff type says what they look for: 11 digits are an AMKA,
9 an AFM, a short number (or "#123") a case number, a code with digits (a partner's reference) that code;
anything else is a name, phone or e-mail, matched against the person's folded search text: a trigram index
serves it on PostgreSQL (migration cases 0014), an FTS5 trigram table on SQLite (migration cases 0016).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from common.text import fold

AMKA = re.compile(r"\d{11}")
AFM = re.compile(r"\d{9}")
CASE_NUMBER = re.compile(r"#?(\d{1,8})")
PHONE = re.compile(r"\+?[\d\-]{10,15}")


@dataclass(frozen=True)
class SearchPaths:
    """How a model reaches the person and the case a search names: `person` is the prefix of the Person's
    fields (`""` on Person itself, `person__` on Case); `case` the prefix of the Case's primary key (`""` on Case,
    `case__` on a part of a case), None where the model has no case. `codes` are fields compared exactly with a
    term that has digits (a partner's reference, a document number); `also` are the model's own words matched
    with a name (an employer's name, a course) on the small lists that have them."""

    person: str
    case: str | None = None
    codes: tuple[str, ...] = ()
    also: tuple[str, ...] = ()


def routed(queryset: QuerySet, term: str, paths: SearchPaths, *, rows: QuerySet | None = None) -> QuerySet:
    """Keep the rows `term` names, by the one route its form says.

    `rows` is what a name's matches are read back from: the list without the filters and scope that `queryset`
    carries, since the matches, read from `queryset`, have passed them already.
    """
    term = term.strip()
    compact = term.replace(" ", "")
    if AMKA.fullmatch(compact):
        return queryset.filter(**{f"{paths.person}amka": compact})
    if AFM.fullmatch(compact):
        return queryset.filter(**{f"{paths.person}afm": compact})
    number = CASE_NUMBER.fullmatch(compact)
    if number and paths.case is not None:
        return queryset.filter(**{f"{paths.case}pk": int(number[1])})
    if paths.codes and any(ch.isdigit() for ch in term) and not PHONE.fullmatch(compact) and " " not in term:
        return queryset.filter(_any(paths.codes, term))
    names = named(queryset, term, person=paths.person)
    if not paths.also:
        found = first_matches(names, queryset if rows is None else rows)
        found.query.select_related = queryset.query.select_related  # the list's own, which the admin set first
        return found
    return names | queryset.filter(_any([f"{field}__icontains" for field in paths.also], term))


def _any(lookups: Iterable[str], value: str) -> Q:
    """One of the lookups matches `value`."""
    return reduce(or_, (Q(**{lookup: value}) for lookup in lookups))


MATCHES = 1000  # as many as a list counts (common.admin_mixins.CappedPaginator)


def first_matches(names: QuerySet, rows: QuerySet) -> QuerySet:
    """The rows of the first MATCHES matches, read from the name index first, then ordered as the list is.

    In one query the planner walks the list's order and tests each name until a page is full: for a name shared
    by thousands that read 370,000 rows at 1,000,000 people (0.9 s); the index finds them in milliseconds. More
    matches than that are not paged through: the search is refined.
    """
    return rows.filter(pk__in=list(names.order_by().values_list("pk", flat=True)[:MATCHES]))


def named(queryset: QuerySet, term: str, *, person: str = "") -> QuerySet:
    """Keep the rows whose person's folded search text holds every word of `term`, accents and case ignored."""
    words = fold(term).split()
    if connection.vendor == "sqlite" and words:
        # LIKE on the FTS5 trigram table is answered from its index (all the words in one look-up); on
        # cases_person it reads every row. A % or _ typed is a wildcard: it can only widen the match.
        likes = " AND ".join(["search_text LIKE %s"] * len(words))
        matches = RawSQL(f"SELECT rowid FROM cases_person_search WHERE {likes}", [f"%{word}%" for word in words])
        return queryset.filter(**{f"{person}pk__in": matches})
    for word in words:
        queryset = queryset.filter(**{f"{person}search_text__contains": word})
    return queryset
