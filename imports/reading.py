"""Read a partner's spreadsheet into a header and raw rows: file type, encoding, delimiter, header aliases.

Partner files are messy: Greek or English headers in any order, three encodings, two delimiters, old Excel
files. This module finds the template columns and streams the records as written; imports/cleaning.py turns
their values into clean ones. No database.
"""
from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _

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
    # Optional: the person also lets the centre tell the referring agency what became of the referral.
    ("consent_sharing", "Συναίνεση ενημέρωσης φορέα"),
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
    "consent_sharing": ["Συναίνεση κοινοποίησης", "Συγκατάθεση ενημέρωσης φορέα", "consent to share", "sharing consent"],
}


class FileError(Exception):
    """The file as a whole cannot be read: one message for the user, nothing imported."""


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


def read_upload(file) -> bytes:
    """Return an uploaded file's bytes, refusing a file over GEFYRA_IMPORT_MAX_BYTES before reading it all."""
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


def upload_name(file) -> str:
    """Return the uploaded file's own name, without its folders, as the batch keeps it."""
    return os.path.basename(getattr(file, "name", "") or "upload")[:255]


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
    for _number, cells in records:
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
