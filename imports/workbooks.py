"""Read a partner's workbook — XLSX (openpyxl), old Excel XLS and LibreOffice ODS (python-calamine) — into the
records reading.py makes a Table of: the sheet with the template's header, merged cells filled in, a declared
size never trusted, empty rows skipped before openpyxl holds them. No database."""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

from imports.errors import FileError
from imports.reading import (
    HEADER_SEARCH_ROWS,
    MAX_COLUMNS,
    MAX_PART_BYTES,
    MAX_PARTS,
    MAX_SHEET_BYTES,
    Table,
    map_headers,
    table_from_records,
)

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


def read_workbook(content: bytes) -> Table:
    """Read an XLSX, ODS (both zip files) or old Excel file."""
    if content.startswith(b"PK\x03\x04"):
        _check_parts(content)
        if content[30:38] == b"mimetype" and b"opendocument.spreadsheet" in content[:100]:
            return _read_with_calamine(content, "ods")  # ODF puts its mimetype first and uncompressed
        return _read_xlsx(content)
    return _read_with_calamine(content, "xls")


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

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
    table = table_from_records(_merged_filled(records(), _merged_ranges(workbook, sheet)), "xlsx",
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

    table = table_from_records(_merged_filled(records(), merged), kind,
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
