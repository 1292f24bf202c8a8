"""Clean one record of a partner file into the values a referral needs: pure, no database."""
from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from cases.validators import normalize_afm, normalize_amka, normalize_phone, validate_afm, validate_amka
from common.text import proper_case
from imports.cleaning import (
    MAX_LENGTHS,
    MAX_TEXT,
    FieldError,
    identifier_text,
    is_blank,
    parse_bool,
    parse_date,
    parse_nationality,
    parse_sex,
)

ERROR_CODES = {"required", "invalid_date", "future_date", "checksum", "unknown_value", "no_consent", "invalid"}


@dataclass(slots=True)
class CleanRow:
    agency_ref: str = ""
    referral_date: datetime.date | None = None
    last_name: str = ""
    first_name: str = ""
    father_name: str = ""
    birth_date: datetime.date | None = None
    sex: str = ""
    amka: str | None = None
    afm: str | None = None
    phone: str = ""
    email: str = ""
    nationality: str = ""
    vulnerable_groups: list[str] = field(default_factory=list)
    reason: str = ""
    consent: bool = False
    consent_sharing: bool = False


def _text(value: object) -> str:
    return "" if is_blank(value) else identifier_text(value)


def _name(value: object) -> str:
    return proper_case(_text(value))


def _amka(value: object) -> str:
    amka = normalize_amka(identifier_text(value))
    validate_amka(amka)
    return amka


def _afm(value: object) -> str:
    afm = normalize_afm(identifier_text(value))
    validate_afm(afm)
    return afm


def _email(value: object) -> str:
    email = _text(value)
    validate_email(email)
    return email.lower()


def _reason(value: object) -> str:
    # Keep the partner's line breaks, whichever way they were written: Windows' \r\n, or an old Mac's lone \r.
    return "\n".join(line.rstrip() for line in re.split(r"\r\n?|\n", _text(value))).strip()


def clean_row(raw: Mapping[str, object], *, groups: Callable[[object], Sequence[str]], today: datetime.date) -> tuple[CleanRow, list[FieldError]]:
    """Return the cleaned values and every error of one record (a record may have several).

    `groups` turns a vulnerable-groups cell into codes (parse_groups bound to the vocabulary, memoised).
    """
    row = CleanRow()
    errors: list[FieldError] = []

    def take(name: str, parse: Callable[[object], object], *, required: bool = False) -> None:
        value = raw.get(name)
        if is_blank(value):
            if required:
                errors.append(FieldError(name, "required", _("This column is required.")))
            return
        try:
            parsed = parse(value)
        except ValidationError as exc:
            code = exc.code if exc.code in ERROR_CODES else "invalid"
            errors.append(FieldError(name, code, " ".join(exc.messages)))
            return
        if isinstance(parsed, str) and len(parsed) > (limit := MAX_LENGTHS.get(name, MAX_TEXT)):
            errors.append(FieldError(name, "invalid", _("Too long (at most %(max)s characters).") % {"max": limit}))
            return
        setattr(row, name, parsed)

    take("agency_ref", _text, required=True)
    take("referral_date", parse_date)
    take("last_name", _name, required=True)
    take("first_name", _name, required=True)
    take("father_name", _name)
    take("birth_date", parse_date, required=True)
    take("sex", parse_sex)
    take("amka", _amka)
    take("afm", _afm)
    take("phone", normalize_phone)
    take("email", _email)
    take("nationality", parse_nationality)
    take("vulnerable_groups", lambda v: list(groups(v)))
    take("reason", _reason)
    take("consent_sharing", parse_bool)
    _check_dates(row, errors, today)
    _check_consent(raw.get("consent"), row, errors)
    return row, errors


def _check_dates(row: CleanRow, errors: list[FieldError], today: datetime.date) -> None:
    for name in ("birth_date", "referral_date"):
        value = getattr(row, name)
        if value is not None and value > today:
            errors.append(FieldError(name, "future_date", _("The date %(date)s is in the future.") % {"date": f"{value:%d/%m/%Y}"}))
            setattr(row, name, None)
    if row.birth_date is not None and row.birth_date.year < 1900:
        errors.append(FieldError("birth_date", "invalid_date", _("A date of birth before 1900 is not plausible.")))


def _check_consent(value: object, row: CleanRow, errors: list[FieldError]) -> None:
    try:
        consent = parse_bool(value)
    except ValidationError as exc:
        errors.append(FieldError("consent", "invalid", " ".join(exc.messages)))
        return
    if not consent:
        errors.append(FieldError("consent", "no_consent", _("Without the person's consent the referral cannot be imported.")))
    row.consent = bool(consent)
