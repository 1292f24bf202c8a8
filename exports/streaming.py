"""Exports written row by row from an iterator: memory stays flat however many rows leave."""
from __future__ import annotations

import codecs
import csv
import tempfile
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

LINES_PER_CHUNK = 500  # one write to the socket per 500 rows, not per row


class _Line:
    """The file csv.writer writes to: it hands back the line, for the stream to send."""

    def write(self, line: str) -> str:
        return line


def csv_chunks(rows: Iterable[list]) -> Iterator[bytes]:
    """UTF-8 with a BOM (Greek Excel opens UTF-8 CSV correctly only with one), Excel's dialect."""
    writer = csv.writer(_Line())
    yield codecs.BOM_UTF8
    lines = []
    for row in rows:
        lines.append(writer.writerow(row))
        if len(lines) == LINES_PER_CHUNK:
            yield "".join(lines).encode("utf-8")
            lines = []
    yield "".join(lines).encode("utf-8")


def xlsx_file(rows: Iterator[list]):
    """A workbook written in openpyxl's write-only mode to a temporary file (deleted once closed), header in
    bold and frozen; real dates and numbers stay so."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.freeze_panes = "A2"
    header = []
    for name in next(rows):
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        # A control character is not allowed in XLSX; it has no meaning in a cell anyway.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    file = tempfile.TemporaryFile()  # noqa: SIM115 -- the response closes it once sent
    book.save(file)
    file.seek(0)
    return file
