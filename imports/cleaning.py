"""Turn a partner's cell values into clean ones: dates, sex, yes/no, vulnerable groups, nationality. Pure functions.

Dates are typed every way Greek offices type them and Excel mangles numbers. Everything here takes plain
values and returns plain values (or raises ValidationError with one of the report's codes), so it can be
tested without a database and reused by the admin, the command and the benchmark. Reading the file itself
(encodings, delimiters, headers) is imports/reading.py.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from common.text import fold

MAX_LENGTHS = {"agency_ref": 60, "last_name": 100, "first_name": 100, "father_name": 100, "email": 254}
MAX_TEXT = 10_000  # a free text (the reason): longer is a row error, not a file refused


@dataclass(slots=True)
class FieldError:
    field: str
    code: str
    message: str


def is_blank(value: object) -> bool:
    """Tell whether a cell is empty: None, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(value: object) -> datetime.date:
    """Parse a day-first date, an ISO date, a real spreadsheet date or an Excel serial number."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _excel_serial(value)
    text = str(value).strip()
    # Day first always: 03/04/2024 is the 3rd of April in Greece, never March 4th.
    match = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    if re.fullmatch(r"\d{4,5}(\.0+)?", text):
        return _excel_serial(float(text))
    raise ValidationError(_("“%(value)s” is not a date (use dd/mm/yyyy).") % {"value": text}, code="invalid_date")


def _make_date(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("%(day)02d/%(month)02d/%(year)d is not a real date.") % {"day": day, "month": month, "year": year},
            code="invalid_date",
        ) from None


def _excel_serial(number: float) -> datetime.date:
    # Excel counts days from 30/12/1899 (its 1900 leap-year bug included); 1..2958465 is its range.
    if not 1 <= number <= 2958465:
        raise ValidationError(_("“%(value)s” is not a date (use dd/mm/yyyy).") % {"value": number}, code="invalid_date")
    return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(number))


_SEX = {
    "F": ["Γ", "Γυναίκα", "Θήλυ", "Θ", "F", "female", "woman", "w"],
    "M": ["Α", "Άνδρας", "Άντρας", "Άρρεν", "A", "M", "male", "man"],
    "X": ["X", "Χ", "Άλλο", "other", "not stated", "Δεν δηλώνει"],
}
_SEX_INDEX = {fold(alias): code for code, aliases in _SEX.items() for alias in aliases}


@lru_cache(maxsize=4096)  # partner files repeat the same few values thousands of times
def parse_sex(value: object) -> str:
    """Return F, M, X or '' (not given) from Greek or English spellings (Α/Γ, Άνδρας/Γυναίκα, M/F…)."""
    if is_blank(value):
        return ""
    code = _SEX_INDEX.get(fold(str(value)).rstrip("."))
    if code is None:
        raise ValidationError(_("“%(value)s” is not a sex the template knows (Α/Γ, M/F).") % {"value": value}, code="unknown_value")
    return code


_TRUE = {fold(v) for v in ["Ναι", "Ν", "Yes", "Y", "1", "true", "x", "✓", "Nai", "ΝΑΙ"]}
_FALSE = {fold(v) for v in ["Όχι", "Οχι", "Ο", "No", "N", "0", "false", "Oxi"]}


@lru_cache(maxsize=4096)  # partner files repeat the same few values thousands of times
def parse_bool(value: object) -> bool | None:
    """Return True, False, or None when blank; ValidationError (invalid) for anything else."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = fold(str(value)).rstrip(".")
    if text.endswith(".0"):
        text = text[:-2]
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(_("“%(value)s” is not yes or no (Ναι/Όχι).") % {"value": value}, code="invalid")


def group_aliases(code: str, label: str, label_en: str) -> set[str]:
    """Return the folded spellings of a vulnerable group: code, labels, and a label's masculine and feminine
    forms ("Άστεγος/η": "Άστεγος", "Άστεγη"; "Μετανάστης/τρια": "Μετανάστρια")."""
    masculine = re.sub(r"/\w+", "", label)
    feminine = re.sub(r"(\w+)/(\w+)", lambda m: _feminine(m.group(1), m.group(2)), label)
    short = label.split("(")[0]
    return {fold(x) for x in (code, code.replace("_", " "), label, label_en, masculine, feminine, short) if x.strip()}


def _feminine(word: str, ending: str) -> str:
    """The feminine of a label's word from its written ending: the ending replaces the masculine one, which starts
    at the ending's first letter when that is among the word's last three ("Μετανάσ|της" → "Μετανάσ|τρια"), else
    is the last two letters ("Άστεγ|ος" → "Άστεγ|η")."""
    start = word.rfind(ending[0], len(word) - 3)
    return word[:start] + ending if start > 0 else word[:-2] + ending


def parse_groups(value: object, vocabulary: Mapping[str, str]) -> list[str]:
    """Return the group codes of a comma-separated list; `vocabulary` maps folded aliases to codes."""
    if is_blank(value):
        return []
    codes: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[,;\n]", str(value)):
        if not part.strip():
            continue
        code = vocabulary.get(fold(part))
        if code is None:
            unknown.append(part.strip())
        elif code not in codes:
            codes.append(code)
    if unknown:
        raise ValidationError(
            _("Not in the list of vulnerable groups: %(values)s.") % {"values": ", ".join(unknown)}, code="unknown_value"
        )
    return codes


# Nationalities as partners write them; country names (Greek and English) come from django-countries.
_DEMONYMS = {
    "GR": ["Greek", "Ελληνική", "Έλληνας", "Ελληνίδα", "Ελλάδα"],
    "AL": ["Albanian", "Αλβανική", "Αλβανός", "Αλβανίδα"],
    "SY": ["Syrian", "Συριακή", "Σύρος", "Σύρια"],
    "AF": ["Afghan", "Αφγανική", "Αφγανός", "Αφγανή"],
    "PK": ["Pakistani", "Πακιστανική", "Πακιστανός"],
    "IQ": ["Iraqi", "Ιρακινή", "Ιρακινός"],
    "IR": ["Iranian", "Ιρανική", "Ιρανός", "Ιράν"],
    "UA": ["Ukrainian", "Ουκρανική", "Ουκρανός", "Ουκρανή"],
    "GE": ["Georgian", "Γεωργιανή", "Γεωργιανός"],
    "BG": ["Bulgarian", "Βουλγαρική", "Βούλγαρος"],
    "RO": ["Romanian", "Ρουμανική", "Ρουμάνος"],
    "EG": ["Egyptian", "Αιγυπτιακή", "Αιγύπτιος"],
    "BD": ["Bangladeshi", "Μπαγκλαντεσιανή", "Μπαγκλαντεσιανός"],
    "NG": ["Nigerian", "Νιγηριανή", "Νιγηριανός"],
    "SO": ["Somali", "Σομαλική", "Σομαλός"],
    "ER": ["Eritrean", "Ερυθραϊκή", "Ερυθραίος"],
    "PS": ["Palestinian", "Παλαιστινιακή", "Παλαιστίνιος", "Παλαιστίνη"],
    "CD": ["Congolese", "Κογκολέζικη", "Κογκολέζος", "Κονγκό"],
    "RU": ["Russian", "Ρωσική", "Ρώσος", "Ρωσία"],
    "MD": ["Moldovan", "Μολδαβική", "Μολδαβός"],
    "PH": ["Filipino", "Φιλιππινέζικη", "Φιλιππινέζος"],
    "IN": ["Indian", "Ινδική", "Ινδός"],
    "TR": ["Turkish", "Τουρκική", "Τούρκος", "Τουρκία"],
    "SD": ["Sudanese", "Σουδανική", "Σουδανός"],
    "CY": ["Cypriot", "Κυπριακή", "Κύπριος"],
    "CM": ["Cameroonian", "Καμερουνέζικη", "Καμερουνέζος"],
    "MA": ["Moroccan", "Μαροκινή", "Μαροκινός"],
    "DZ": ["Algerian", "Αλγερινή", "Αλγερινός"],
    "GN": ["Guinean", "Γουινεατική"],
    "ET": ["Ethiopian", "Αιθιοπική", "Αιθίοπας"],
}


@lru_cache(maxsize=1)
def nationality_index() -> dict[str, str]:
    """Return {folded country or nationality name or ISO code: ISO 3166 alpha-2 code}."""
    index: dict[str, str] = {}
    for language in ("en", "el"):
        with translation.override(language):
            for country in countries:
                index[fold(str(country.name))] = country.code
    for country in countries:
        index[fold(country.code)] = country.code
        index[fold(countries.alpha3(country.code) or "")] = country.code
    for code, names in _DEMONYMS.items():
        index.update({fold(name): code for name in names})
    index.pop("", None)
    return index


@lru_cache(maxsize=4096)  # partner files repeat the same few values thousands of times
def parse_nationality(value: object) -> str:
    """Return the ISO code of a country or nationality written in Greek or English ('' if blank)."""
    if is_blank(value):
        return ""
    code = nationality_index().get(fold(str(value)))
    if code is None:
        raise ValidationError(_("“%(value)s” is not a country or nationality we know.") % {"value": value}, code="unknown_value")
    return code


def identifier_text(value: object) -> str:
    """Return a cell as text; a number from Excel (12345 or 12345.0) without its decimal part."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
