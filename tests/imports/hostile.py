"""Hostile partner files, made by the tests themselves (and timed by benchmarks/hostile_files.py): each one
tries to cost the server minutes of CPU, gigabytes of memory or an error page."""
from __future__ import annotations

import io
import re
import zipfile

from tests.imports.conftest import ENGLISH_HEADER, as_records, csv_bytes, person_row, xlsx_bytes


def _rewrite(xlsx: bytes, changes: dict[str, bytes]) -> bytes:
    """The same XLSX with some parts replaced (or added), packed with the usual deflate."""
    source, target = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item.filename, changes.pop(item.filename, source.read(item.filename)))
        for name, data in changes.items():
            out.writestr(name, data)
    return target.getvalue()


def _valid_xlsx(rows: int = 3) -> bytes:
    return xlsx_bytes(as_records([person_row(n) for n in range(1, rows + 1)], ENGLISH_HEADER))


def huge_declared_sheet() -> bytes:
    """5 KB that declare the whole grid of Excel (16,384 columns × 1,048,576 rows) around three real rows, and
    end with an empty last row: read by the declared size, each missing row is 16,384 empty cells."""
    xlsx = _valid_xlsx()
    sheet = zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/worksheets/sheet1.xml")
    sheet = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', sheet)
    return _rewrite(xlsx, {"xl/worksheets/sheet1.xml": sheet.replace(b"</sheetData>", b'<row r="1048576"/></sheetData>')})


def zip_bomb() -> bytes:
    """A small file whose shared strings unpack to 60 MB."""
    strings = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    strings += b"<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>" * 1_200_000 + b"</sst>"
    return _rewrite(_valid_xlsx(), {"xl/sharedStrings.xml": strings})


def entity_expansion() -> bytes:
    """A "billion laughs" in the sheet itself: entities that would expand a header cell to gigabytes."""
    laughs = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "hahahahahahahahahaha">'
    for level in "bcdefghij":
        laughs += f'<!ENTITY {level} "{("&" + chr(ord(level) - 1) + ";") * 10}">'
    xlsx = _valid_xlsx()
    sheet = zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/worksheets/sheet1.xml").replace(
        b"<t>agency_ref</t>", b"<t>agency_ref&j;</t>", 1)
    return _rewrite(xlsx, {"xl/worksheets/sheet1.xml": (laughs + "]>").encode() + sheet})


def far_column() -> bytes:
    """A real row, then a cell in Excel's last column: every row would be 16,384 cells wide."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(_valid_xlsx()))
    workbook.active.cell(row=3, column=16_384, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def long_header_line() -> bytes:
    """A CSV whose header is one cell of 200,000 characters (over the csv module's own limit)."""
    return ("Κωδικός παραπομπής" + "x" * 200_000 + "\r\n").encode() + csv_bytes([person_row(1)]).split(b"\r\n", 1)[1]


def million_columns() -> bytes:
    """A CSV header of a million columns."""
    return (";".join(["c"] * 1_000_000) + "\r\n").encode()


def many_columns() -> bytes:
    """A CSV of the template's columns and 300 more."""
    header = csv_bytes([]).decode().strip() + ";" + ";".join(f"extra{i}" for i in range(300))
    row = csv_bytes([person_row(1)]).decode().split("\r\n")[1] + ";" + ";".join("v" for _ in range(300))
    return f"{header}\r\n{row}\r\n".encode()


def long_cell() -> bytes:
    """A row whose reason is 150,000 characters (a reason over 10,000 is only that row's error)."""
    return csv_bytes([person_row(1, reason="λ" * 150_000)])


def many_rows(rows: int) -> bytes:
    return csv_bytes([person_row(n) for n in range(1, rows + 1)])


REFUSED = {
    "zip bomb": zip_bomb, "entity expansion": entity_expansion, "cell in the last column": far_column,
    "header line of 200,000 characters": long_header_line, "a million columns": million_columns,
    "300 extra columns": many_columns, "a cell of 150,000 characters": long_cell,
}
