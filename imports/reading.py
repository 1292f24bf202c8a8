"""Read a partner's spreadsheet into a header and raw rows: file type, delimiter, header aliases, the header row.

Partner files are messy: Greek or English headers in any order, a title above them, several encodings
(imports/encodings.py) and delimiters, workbooks of several kinds (imports/workbooks.py). This module finds the
template columns and streams the records as written; imports/cleaning.py turns their values into clean ones.
No database.
"""
from __future__ import annotations

import csv
import io
import itertools
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from common.text import fold
from imports.encodings import detect_encoding
from imports.errors import FileError

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


# What a partner file may hold at most: beyond these it is refused at once, with one message, before it can cost
# minutes of CPU or gigabytes of memory (benchmarks/hostile_files.py measures each hostile file).
MAX_COLUMNS = 200
MAX_CELL = 100_000  # characters in one cell (a longer reason than the row's own limit is that row's error)
MAX_LINE = 1_000_000  # characters in one CSV line
MAX_PARTS = 500  # files inside an XLSX
MAX_PART_BYTES = 20 * 1024 * 1024  # unpacked size of an XLSX part read whole (shared strings, styles, workbook)
MAX_SHEET_BYTES = 300 * 1024 * 1024  # unpacked size of a worksheet, which is streamed
# Rows searched for the header: a title ("Παραπομπές Οκτωβρίου"), a note or blank lines may stand above it.
HEADER_SEARCH_ROWS = 20


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
    header_row: int = 1  # as Excel numbers it
    sheet: str = ""  # the XLSX sheet read, when the file has several

    def located(self) -> str:
        """Say where the header was found, when it is not where one would look first (row 1 of the only sheet)."""
        if self.sheet and self.header_row > 1:
            return _("The header was taken from row %(row)d of the sheet “%(sheet)s”.") % {"row": self.header_row, "sheet": self.sheet}
        if self.sheet:
            return _("The sheet “%(sheet)s” was read: it holds the template's columns.") % {"sheet": self.sheet}
        if self.header_row > 1:
            return _("The header was taken from row %(row)d.") % {"row": self.header_row}
        return ""

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
        raise FileError(too_large())
    if hasattr(file, "seek"):
        file.seek(0)
    content = file.read(limit + 1)
    if len(content) > limit:
        raise FileError(too_large())
    return content


def too_large() -> str:
    """What a file over GEFYRA_IMPORT_MAX_BYTES is told, wherever it is stopped (page, upload, reading)."""
    return _("The file is larger than %(limit)s.") % {"limit": filesizeformat(settings.GEFYRA_IMPORT_MAX_BYTES)}


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
    if content.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        from imports import workbooks  # imported here: a CSV import should not pay for the spreadsheet readers

        return workbooks.read_workbook(content)
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _read_csv(content)  # Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated
    if b"\x00" in content[:4096]:
        raise FileError(_("This file is not a spreadsheet (XLSX or CSV)."))
    return _read_csv(content)


def sniff_delimiter(lines: list[str]) -> str:
    """Pick the delimiter (; , or tab) that splits one of the first lines into the most template columns: the
    header may stand below a title line."""
    aliases = header_aliases()

    def score(delimiter: str) -> tuple[int, int]:
        best = (0, 0)
        for line in lines:
            try:
                cells = next(csv.reader([line], delimiter=delimiter), [])
            except csv.Error:  # a cell over the csv module's limit: not this delimiter's header
                continue
            best = max(best, (sum(header_key(c) in aliases for c in cells), len(cells)))
        return best

    return max([";", ",", "\t"], key=score)


# Excel's own first line naming the delimiter ("sep=;"), which Excel reads and does not show.
_EXCEL_SEPARATOR = re.compile(r"^sep=(.)\r?\n?$")


def _read_csv(content: bytes) -> Table:
    encoding = detect_encoding(content)
    source = io.BytesIO(content)
    text = io.TextIOWrapper(source, encoding=encoding, newline="")
    first_lines = []
    for _number in range(HEADER_SEARCH_ROWS):
        line = text.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise FileError(_("Line %(line)d of the file is longer than %(limit)s characters: it is not a referral "
                              "list.") % {"line": len(first_lines) + 1, "limit": _count(MAX_LINE)})
        if not line:
            break
        first_lines.append(line)
    if first_lines and (named := _EXCEL_SEPARATOR.match(first_lines[0].lstrip("\ufeff"))):
        delimiter = named.group(1)
        first_lines = first_lines[1:]
    else:
        delimiter = sniff_delimiter(first_lines)
    reader = csv.reader(itertools.chain(first_lines, text), delimiter=delimiter)

    position = [0]

    def records() -> Iterator[tuple[int, list]]:
        try:
            for numbered in enumerate(reader, start=1):
                position[0] = source.tell()
                yield numbered
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise FileError(_("Row %(row)d has a cell longer than %(limit)s characters.")
                                % {"row": reader.line_num, "limit": _count(MAX_CELL)}) from None
            raise FileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from None
        position[0] = len(content)

    return table_from_records(records(), "csv", encoding, delimiter, done=lambda: position[0] / len(content))


def table_from_records(records: Iterator[tuple[int, list]], kind: str, encoding: str = "", delimiter: str = "",
                        *, done: Callable[[], float]) -> Table:
    """Find the header (the first of the first rows that has the template's required columns) and map it; stream
    every non-blank record after it."""
    refused = None
    for number, cells in records:
        _check_size(number, cells)
        headers = [str(c or "").replace("\ufeff", "").strip() for c in cells]
        if not any(headers):
            continue
        try:
            mapping = map_headers(headers)
            break
        except FileError as exc:
            refused = refused or exc  # what the first non-blank row lacks is what the user is told
            if number >= HEADER_SEARCH_ROWS:
                raise refused from None
    else:
        raise refused or FileError(_("The file is empty."))
    header_row = number

    def rows() -> Iterator[RawRow]:
        count, limit = 0, settings.GEFYRA_IMPORT_MAX_ROWS
        for number, cells in records:
            _check_size(number, cells)
            cells = tuple(_strip(c) for c in cells)
            if all(c in ("", None) for c in cells):
                continue  # blank lines still count for numbering: Excel shows them
            count += 1
            if count > limit:
                raise FileError(_("The file has more than %(limit)s rows: split it into smaller files.")
                                % {"limit": _count(limit)})
            yield RawRow(number=number, values=cells)
        if not count:
            raise FileError(_("The file has a header but no rows to import."))

    return Table(headers=headers, mapping=mapping, rows=rows(), kind=kind, encoding=encoding, delimiter=delimiter,
                 done=done, header_row=header_row)


def _check_size(number: int, cells: list) -> None:
    """Refuse the file at a row wider than any referral list, or a cell longer than any referral's text."""
    if len(cells) > MAX_COLUMNS and any(c not in ("", None) for c in cells[MAX_COLUMNS:]):
        raise FileError(_("Row %(row)d has more than %(limit)d columns: this is not a referral list.")
                        % {"row": number, "limit": MAX_COLUMNS})
    if any(isinstance(c, str) and len(c) > MAX_CELL for c in cells):
        raise FileError(_("Row %(row)d has a cell longer than %(limit)s characters.")
                        % {"row": number, "limit": _count(MAX_CELL)})


def _count(number: int) -> str:
    return number_format(number, force_grouping=True)  # 10.000 in Greek, 10,000 in English


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value
