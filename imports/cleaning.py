"""Turn a partner's spreadsheet into clean values: pure functions, no database.

Partner files are messy: Greek or English headers in any order, three encodings, two delimiters,
dates typed every way Greek offices type them, numbers that Excel mangled. Everything here takes
plain values and returns plain values (or raises ValidationError with one of the report's codes),
so it can be tested without a database and reused by the admin, the command and the benchmark.
"""
from __future__ import annotations

import codecs
import csv
import datetime
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from common.text import fold

# The partner template, in the order of the published template (English header, Greek header).
TEMPLATE_COLUMNS: list[tuple[str, str]] = [
    ("agency_ref", "Κωδικός παραπομπής"),
    ("referral_date", "Ημερομηνία παραπομπής"),
    ("last_name", "Επώνυμο"),
    ("first_name", "Όνομα"),
    ("father_name", "Πατρώνυμο"),
    ("birth_date", "Ημερομηνία γέννησης"),
    ("sex", "Φύλο"),
    ("amka", "ΑΜΚΑ"),
    ("afm", "ΑΦΜ"),
    ("phone", "Τηλέφωνο"),
    ("email", "Email"),
    ("nationality", "Υπηκοότητα"),
    ("vulnerable_groups", "Ευάλωτες ομάδες"),
    ("reason", "Αιτία παραπομπής"),
    ("consent", "Συναίνεση"),
]
FIELDS = [english for english, _greek in TEMPLATE_COLUMNS]
# Consent is required as a column: a file without it could only be refused row by row.
REQUIRED_COLUMNS = ["agency_ref", "last_name", "first_name", "birth_date", "consent"]

# Other spellings seen in partner files, besides the two template headers.
_EXTRA_HEADER_ALIASES = {
    "agency_ref": ["Αρ. παραπομπής", "Αριθμός παραπομπής", "Κωδικός", "reference", "ref", "referral ref"],
    "referral_date": ["Ημ/νία παραπομπής", "Ημερομηνία", "date"],
    "last_name": ["Επίθετο", "surname", "family name"],
    "first_name": ["name", "given name"],
    "father_name": ["Όνομα πατέρα", "father's name", "fathers name"],
    "birth_date": ["Ημ/νία γέννησης", "date of birth", "dob", "birthdate"],
    "sex": ["gender", "Φύλλο"],
    "amka": ["Α.Μ.Κ.Α."],
    "afm": ["Α.Φ.Μ.", "vat", "tax number"],
    "phone": ["Τηλ.", "Κινητό", "Τηλέφωνο επικοινωνίας", "mobile", "telephone"],
    "email": ["e-mail", "Ηλ. ταχυδρομείο", "Διεύθυνση email"],
    "nationality": ["Εθνικότητα", "Ιθαγένεια", "citizenship", "country"],
    "vulnerable_groups": ["Ευπαθείς ομάδες", "Ευάλωτη ομάδα", "Ομάδα", "groups", "vulnerable group"],
    "reason": ["Αιτιολογία", "Λόγος παραπομπής", "reason for referral"],
    "consent": ["Συγκατάθεση", "Συναίνεση επεξεργασίας"],
}

MAX_LENGTHS = {"agency_ref": 60, "last_name": 100, "first_name": 100, "father_name": 100, "email": 254}


class FileError(Exception):
    """The file as a whole cannot be read: one message for the user, nothing imported."""


@dataclass(slots=True)
class FieldError:
    field: str
    code: str
    message: str


@dataclass(slots=True)
class RawRow:
    """One record as the partner wrote it: its row number in Excel and its cells in the file's column order."""

    number: int
    values: tuple  # kept as written, for the rejected-rows download


@dataclass(slots=True)
class Table:
    """A file's header, and its records streamed once, in order (`rows`): a big file is never held twice."""

    headers: list[str]
    mapping: dict[int, str]  # column index → template field
    rows: Iterator[RawRow]
    kind: str = "csv"
    encoding: str = ""
    delimiter: str = ""
    # How far reading has got, 0..1: bytes for a CSV, rows of the sheet's stated size for an XLSX.
    done: Callable[[], float] = lambda: 0.0

    def fields_of(self, row: RawRow) -> dict[str, object]:
        """Return a row's values by template field (built on demand: a dict per row would cost memory)."""
        values = row.values
        return {name: (values[i] if i < len(values) else None) for i, name in self.mapping.items()}


# ---------------------------------------------------------------- headers


def header_key(text: object) -> str:
    """Fold a header for comparison: case, accents, BOM, dots, underscores and stray spaces ignored."""
    text = str(text or "").replace("\ufeff", "").replace(".", "")
    text = re.sub(r"[_\-/]+", " ", text)
    return fold(text)


@lru_cache(maxsize=1)
def header_aliases() -> dict[str, str]:
    """Return {folded header: template field} for every accepted spelling."""
    aliases: dict[str, str] = {}
    for english, greek in TEMPLATE_COLUMNS:
        for alias in (english, greek, *_EXTRA_HEADER_ALIASES.get(english, [])):
            aliases[header_key(alias)] = english
    return aliases


def map_headers(headers: list[object]) -> dict[int, str]:
    """Return {column index: template field}; unknown columns are left out (kept only as original values)."""
    aliases = header_aliases()
    mapping: dict[int, str] = {}
    for index, header in enumerate(headers):
        name = aliases.get(header_key(header))
        if name is None:
            continue
        if name in mapping.values():
            raise FileError(_("The column “%(field)s” appears twice in the header.") % {"field": name})
        mapping[index] = name
    missing = [name for name in REQUIRED_COLUMNS if name not in mapping.values()]
    if missing:
        greek = dict(TEMPLATE_COLUMNS)
        names = ", ".join(f"{name} ({greek[name]})" for name in missing)
        raise FileError(_("Required columns are missing: %(columns)s.") % {"columns": names})
    return mapping


# ---------------------------------------------------------------- files


def read_table(content: bytes) -> Table:
    """Read an XLSX or CSV file (encoding and delimiter detected) into rows numbered as Excel shows them.

    The header is read at once (a file without the required columns fails here); the rows are read as the
    caller iterates, and a file with no rows at all raises FileError at the end of that iteration.
    """
    if not content or not content.strip():
        raise FileError(_("The file is empty."))
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(_("Old Excel files (.xls) cannot be read: save the file as .xlsx or CSV."))
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated.
        return _read_csv(content, ("utf-16",))
    if b"\x00" in content[:4096]:
        raise FileError(_("This file is not a spreadsheet (XLSX or CSV)."))
    return _read_csv(content)


def detect_encoding(content: bytes, encodings: tuple[str, ...] = ("utf-8-sig", "cp1253")) -> str:
    """Return the first encoding that decodes the whole file: UTF-8 (with or without BOM), then Windows-1253."""
    # Order matters: cp1253 decodes almost any bytes, UTF-8 fails loudly on most that are not UTF-8.
    # Decoded 64 KB at a time and thrown away: the text of a big file is never held whole.
    view = memoryview(content)
    for encoding in encodings:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(view), 1 << 16):
                decoder.decode(view[start : start + (1 << 16)])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FileError(_("The file's text encoding is not UTF-8 or Windows-1253 (Greek); save it as CSV UTF-8."))


def sniff_delimiter(first_line: str) -> str:
    """Pick the delimiter (; , or tab) that splits the header into the most template columns."""
    aliases = header_aliases()

    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(header_key(c) in aliases for c in cells), len(cells)

    return max([";", ",", "\t"], key=score)


def _read_csv(content: bytes, encodings: tuple[str, ...] = ("utf-8-sig", "cp1253")) -> Table:
    encoding = detect_encoding(content, encodings)
    source = io.BytesIO(content)
    text = io.TextIOWrapper(source, encoding=encoding, newline="")
    first_line = text.readline()
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(itertools.chain([first_line], text), delimiter=delimiter)

    position = [0]

    def records() -> Iterator[tuple[int, list]]:
        try:
            for numbered in enumerate(reader, start=1):
                position[0] = source.tell()
                yield numbered
        except csv.Error as exc:
            raise FileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from None
        position[0] = len(content)

    return _table_from_records(records(), "csv", encoding, delimiter, done=lambda: position[0] / len(content))


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook  # imported here: a CSV-only import should not pay for it

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError):
        raise FileError(_("This file is not a spreadsheet (XLSX or CSV).")) from None
    size = sheet.max_row or 0
    last = [0]

    def records() -> Iterator[tuple[int, list]]:
        # Read-only sheets yield missing rows as empty ones, so counting from 1 gives Excel's row numbers.
        try:
            for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
                last[0] = number
                yield number, list(values)
        finally:
            workbook.close()

    return _table_from_records(records(), "xlsx", done=lambda: min(1.0, last[0] / size) if size else 0.0)


def _table_from_records(records: Iterator[tuple[int, list]], kind: str, encoding: str = "", delimiter: str = "",
                        *, done: Callable[[], float]) -> Table:
    """Find the header (the first non-blank record) and map it; stream every non-blank record after it."""
    for number, cells in records:
        headers = [str(c or "").replace("\ufeff", "").strip() for c in cells]
        if any(headers):
            break
    else:
        raise FileError(_("The file is empty."))

    def rows() -> Iterator[RawRow]:
        count = 0
        for number, cells in records:
            cells = tuple(_strip(c) for c in cells)
            if all(c in ("", None) for c in cells):
                continue  # blank lines still count for numbering: Excel shows them
            count += 1
            yield RawRow(number=number, values=cells)
        if not count:
            raise FileError(_("The file has a header but no rows to import."))

    mapping = map_headers(headers)
    return Table(headers=headers, mapping=mapping, rows=rows(), kind=kind, encoding=encoding, delimiter=delimiter, done=done)


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


# ---------------------------------------------------------------- values


def _blank(value: object) -> bool:
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
    if _blank(value):
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
    if _blank(value):
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
    """Return the folded spellings of a vulnerable group: code, labels, and labels without "/η" endings."""
    plain = re.sub(r"/\w+", "", label)
    short = label.split("(")[0]
    return {fold(x) for x in (code, code.replace("_", " "), label, label_en, plain, short) if x.strip()}


def parse_groups(value: object, vocabulary: Mapping[str, str]) -> list[str]:
    """Return the group codes of a comma-separated list; `vocabulary` maps folded aliases to codes."""
    if _blank(value):
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
    if _blank(value):
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
