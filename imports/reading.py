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
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
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
    if content.startswith(b"PK\x03\x04"):
        _check_parts(content)
        if content[30:38] == b"mimetype" and b"opendocument.spreadsheet" in content[:100]:
            return _read_with_calamine(content, "ods")  # ODF puts its mimetype first and uncompressed
        return _read_xlsx(content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        return _read_with_calamine(content, "xls")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated.
        return _read_csv(content, ("utf-16",))
    if b"\x00" in content[:4096]:
        raise FileError(_("This file is not a spreadsheet (XLSX or CSV)."))
    return _read_csv(content)


# Greek single-byte encodings partner software writes: Windows (most), ISO-8859-7 (older Unix and web software),
# DOS Greek (old accounting programs) and Mac Greek.
GREEK_ENCODINGS = ("cp1253", "iso8859_7", "cp737", "mac_greek")
_C1_CONTROLS = re.compile(rb"[\x80-\x9f]")
# "Ά" before a lowercase letter: 0xA2 in Windows-1253, 0xB6 in ISO-8859-7 (where 0xA2 is a quote, and 0xB6 in
# Windows-1253 is "¶"). The two tables differ in little else that names use.
_WINDOWS_CAPITAL_ALPHA = re.compile(rb"\xa2[\xe1-\xfe]")
_ISO_CAPITAL_ALPHA = re.compile(rb"\xb6[\xe1-\xfe]")


def detect_encoding(content: bytes, encodings: tuple[str, ...] | None = None) -> str:
    """Return the file's encoding: UTF-8 (with or without BOM) when it decodes as such, else the Greek encoding
    that reads it as Greek: whole-file byte evidence tells Windows-1253 from ISO-8859-7, whose letters are the
    same bytes but for a few; charset-normalizer's language model tells them from DOS and Mac Greek."""
    if encodings is not None or _decodes(content, "utf-8-sig"):
        found = next((e for e in encodings or ("utf-8-sig",) if _decodes(content, e)), None)
        if found is None:
            raise FileError(_("The file's text encoding cannot be read; save it as CSV UTF-8."))
        return found
    candidates = [e for e in GREEK_ENCODINGS if _decodes(content, e)]
    if "iso8859_7" in candidates and (
        _C1_CONTROLS.search(content)  # control characters: never in a partner's text
        or len(_WINDOWS_CAPITAL_ALPHA.findall(content)) >= len(_ISO_CAPITAL_ALPHA.findall(content))
    ):
        candidates.remove("iso8859_7")
    elif "iso8859_7" in candidates and "cp1253" in candidates:
        candidates.remove("cp1253")
    if not candidates:
        raise FileError(_("The file's text encoding is not UTF-8 or a Greek encoding (Windows-1253, ISO-8859-7, DOS "
                          "or Mac Greek); save it as CSV UTF-8."))
    if len(candidates) > 1:
        from charset_normalizer import from_bytes  # imported here: a UTF-8 or XLSX file never needs it

        best = from_bytes(content, cp_isolation=candidates).best()
        return best.encoding if best is not None and best.encoding in candidates else candidates[0]
    return candidates[0]


def _decodes(content: bytes, encoding: str) -> bool:
    """Does the whole file decode? 64 KB at a time and thrown away: the text of a big file is never held whole."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(content)
    try:
        for start in range(0, len(view), 1 << 16):
            decoder.decode(view[start : start + (1 << 16)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


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


def _read_csv(content: bytes, encodings: tuple[str, ...] | None = None) -> Table:
    encoding = detect_encoding(content, encodings)
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

    return _table_from_records(records(), "csv", encoding, delimiter, done=lambda: position[0] / len(content))


# What openpyxl (with defusedxml) raises on a file that is not a well-formed spreadsheet, or plays XML tricks.
_NOT_A_SPREADSHEET = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError, ElementTree.ParseError,
                      DefusedXmlException, EOFError, zlib.error)


def _check_parts(content: bytes) -> None:
    """Refuse an XLSX whose parts unpack to more than the limits, by their sizes as stored (zipfile never unpacks
    a part beyond its stored size): a zip bomb is refused before a byte of it is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileError(_("This file is not a spreadsheet (XLSX or CSV).")) from None
    # A sheet is streamed (XLSX) or holds only what it has (ODS's content.xml): the others are read whole.
    too_big = [p for p in parts if p.file_size > (MAX_SHEET_BYTES if p.filename.startswith("xl/worksheets/")
                                                      or p.filename == "content.xml" else MAX_PART_BYTES)]
    if len(parts) > MAX_PARTS or too_big:
        raise FileError(_("This spreadsheet unpacks to far more than a referral list holds (a damaged or hostile "
                          "file). Save the sheet again as a new .xlsx or CSV file."))


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook  # imported here: a CSV-only import should not pay for it

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheets = list(workbook.worksheets)
        looks = [(sheet, _first_rows(sheet)) for sheet in sheets]
    except _NOT_A_SPREADSHEET:
        raise FileError(_("This file is not a spreadsheet (XLSX or CSV).")) from None
    sheet = _sheet_to_read(looks)
    last = [0]

    def records() -> Iterator[tuple[int, list]]:
        # The sheet's stated size is never trusted: read the rows that are there, not the million it may declare.
        sheet.reset_dimensions()
        try:
            # Read-only sheets yield missing rows as empty ones, so counting from 1 gives Excel's row numbers.
            for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
                last[0] = number
                yield number, list(values)
        except _NOT_A_SPREADSHEET:
            raise FileError(_("This file is not a spreadsheet (XLSX or CSV).")) from None
        finally:
            workbook.close()

    size = sheet.max_row or 0  # as the sheet declares it: for the progress bar only
    table = _table_from_records(_merged_filled(records(), _merged_ranges(workbook, sheet)), "xlsx",
                                done=lambda: min(1.0, last[0] / size) if size else 0.0)
    table.sheet = sheet.title if len(sheets) > 1 else ""
    return table


def _read_with_calamine(content: bytes, kind: str) -> Table:
    """Old Excel (.xls) and LibreOffice (.ods) files, read by python-calamine (Rust's calamine): one well-kept
    reader for both. An .xls sheet holds at most 65,536 rows and an .ods one what it has, so each is read whole."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheets = [workbook.get_sheet_by_index(index) for index in range(len(workbook.sheet_names))]
        looks = [(sheet, [[str(c or "").strip() for c in row] for row in
                          sheet.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS)]) for sheet in sheets]
        sheet = _sheet_to_read(looks)
        rows = sheet.to_python(skip_empty_area=False)  # from A1, so that numbers are Excel's
    except (CalamineError, ValueError, OSError, TypeError, IndexError):
        raise FileError(_("This file is not a spreadsheet (XLSX or CSV).")) from None
    merged = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or ()]
    last = [0]

    def records() -> Iterator[tuple[int, list]]:
        for number, values in enumerate(rows, start=1):
            last[0] = number
            yield number, [None if value == "" else value for value in values]

    table = _table_from_records(_merged_filled(records(), merged), kind,
                                done=lambda: min(1.0, last[0] / len(rows)) if rows else 0.0)
    table.sheet = sheet.name if len(sheets) > 1 else ""
    return table


def _sheet_to_read(looks: list[tuple[object, list[list[str]]]]):
    """The first sheet with the template's header (a cover sheet or an empty sheet may come first); failing that,
    the first with anything in it, whose header is then what the user is told about."""
    return next((sheet for sheet, rows in looks if any(_is_header(r) for r in rows)),
                next((sheet for sheet, rows in looks if any(any(r) for r in rows)), looks[0][0] if looks else None))


def _first_rows(sheet) -> list[list[str]]:
    _skip_empty_rows(sheet)
    sheet.reset_dimensions()
    return [[str(c or "").strip() for c in values]
            for values in sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, max_col=MAX_COLUMNS, values_only=True)]


def _is_header(cells: list[str]) -> bool:
    try:
        map_headers(cells)
    except FileError:
        return False
    return True


def _merged_filled(records: Iterator[tuple[int, list]], merged: list[tuple[int, int, int, int]]
                   ) -> Iterator[tuple[int, list]]:
    """Give a merged range's value (its top-left cell's) to every cell it covers, as the partner sees it."""
    starting: dict[int, list[tuple[int, int, int]]] = {}
    for first_row, first_col, last_row, last_col in merged:
        starting.setdefault(first_row, []).append((first_col, last_row, last_col))
    covering: list[tuple[int, int, int, object]] = []  # (last row, first column, last column, value)
    for number, values in records:
        for first_col, last_row, last_col in starting.pop(number, ()):
            value = values[first_col - 1] if first_col <= len(values) else None
            covering.append((last_row, first_col, last_col, value))
        if covering:
            covering = [c for c in covering if c[0] >= number]
            for _last_row, first_col, last_col, value in covering:
                values.extend([None] * (last_col - len(values)))
                values[first_col - 1 : last_col] = [value] * (last_col - first_col + 1)
        yield number, values


def _skip_empty_rows(sheet) -> None:
    """Have openpyxl read the sheet without its empty rows: its parser keeps every row element it has read, so a
    million formatted but empty rows cost half a gigabyte (and twenty seconds) for nothing. Row numbers stay
    Excel's: the rows left carry their own numbers, and the ones taken out come back as empty."""
    source = sheet._get_source
    sheet._get_source = lambda: io.BufferedReader(_WithoutEmptyRows(source()), 1 << 16)


class _WithoutEmptyRows(io.RawIOBase):
    """A worksheet's XML stream with its self-closing <row …/> elements (rows with no cells) taken out."""

    EMPTY_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*/>")

    def __init__(self, source) -> None:
        self.source, self.carry, self.pending = source, b"", b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while len(self.pending) < len(buffer) and self.source is not None:
            chunk = self.source.read(1 << 20)
            data = self.carry + chunk
            # Filter only up to the last "<": a tag cut by the chunk's end waits for the rest of it.
            cut = data.rfind(b"<") if chunk else len(data)
            cut = len(data) if cut <= 0 else cut
            self.pending += self.EMPTY_ROW.sub(b"", data[:cut])
            self.carry = data[cut:]
            if not chunk:
                self.source.close()
                self.source = None
        size = min(len(buffer), len(self.pending))
        buffer[:size], self.pending = self.pending[:size], self.pending[size:]
        return size

    def close(self) -> None:
        if self.source is not None:
            self.source.close()
        super().close()


_MERGED = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*\bref=\"([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)\"")


def _merged_ranges(workbook, sheet) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (first row, first column, last row, last column). Read-only openpyxl does not
    give them: they are listed after the rows in the sheet's XML, found here by a scan of its bytes (no parse)."""
    from openpyxl.utils import column_index_from_string

    ranges, tail = [], b""
    try:
        with workbook._archive.open(sheet._worksheet_path) as part:
            while chunk := part.read(1 << 20):
                block = tail + chunk
                ranges += [(int(r1), column_index_from_string(c1.decode()), int(r2), column_index_from_string(c2.decode()))
                           for c1, r1, c2, r2 in _MERGED.findall(block)]
                tail = block[-200:] if b"<" in block[-200:] else b""
    except (KeyError, AttributeError, zipfile.BadZipFile, zlib.error):
        return []
    # A range cut by a chunk boundary is found whole in the next block: keep each once, and only sane ones.
    return sorted({r for r in ranges if r[0] <= r[2] and r[1] <= r[3] <= MAX_COLUMNS})


def _table_from_records(records: Iterator[tuple[int, list]], kind: str, encoding: str = "", delimiter: str = "",
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
