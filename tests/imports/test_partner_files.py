"""The files partners really send, read right or refused with a message that says what to do (issue 13).

Each test writes its file itself, the way the partner's software writes it, and imports it for real.
"""
import datetime
import io
import re
import zipfile

import openpyxl
import pytest

from cases.models import Person, Referral
from imports.reading import read_table
from imports.services import referral_import
from tests.imports.conftest import ENGLISH_HEADER, GREEK_HEADER, as_records, csv_bytes, person_row

pytestmark = pytest.mark.django_db


def run(content: bytes, agency, name="referrals.csv"):
    file = io.BytesIO(content)
    file.name = name
    return referral_import(file=file, agency=agency, by=None)


def workbook_bytes(sheets: dict[str, list[list]], merge: dict[str, list[str]] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, records in sheets.items():
        sheet = workbook.create_sheet(title)
        for record in records:
            sheet.append(record)
        for cells in (merge or {}).get(title, []):
            sheet.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["iso8859_7", "cp737", "mac_greek", "cp1253", "utf-8"])
def test_greek_csv_in_every_encoding_older_software_writes_is_read_as_greek(agency, encoding):
    rows = [person_row(1, first_name="Άγγελος", reason="Αναζήτηση εργασίας, Ώρες: πρωί"), person_row(2, first_name="Έλλη")]
    report = run(csv_bytes(rows, encoding=encoding), agency)
    assert (report.created, report.rejected) == (2, 0), report.errors
    assert sorted(Person.objects.values_list("first_name", flat=True)) == ["Άγγελος", "Έλλη"]
    assert Referral.objects.get(agency_ref="KK-0001").reason == "Αναζήτηση εργασίας, Ώρες: πρωί"
    assert report.batch.encoding == {"utf-8": "utf-8-sig"}.get(encoding, encoding)


def test_iso_8859_7_is_told_from_windows_1253_by_a_single_capital_alpha(agency):
    rows = [person_row(n) for n in range(1, 40)] + [person_row(40, first_name="Άννα")]
    run(csv_bytes(rows, encoding="iso8859_7"), agency)
    assert Person.objects.filter(first_name="Άννα").exists() and not Person.objects.filter(first_name__startswith="¶").exists()


@pytest.mark.parametrize("first_line", ["Παραπομπές Οκτωβρίου 2026\r\n", "Παραπομπές Οκτωβρίου;;;\r\n\r\n"])
def test_a_title_line_above_the_header_is_skipped_and_the_header_row_named(agency, first_line):
    content = first_line.encode() + csv_bytes([person_row(1), person_row(2, birth_date="31/02/1980")])
    table = read_table(content)
    header_row = first_line.count("\n") + 1
    assert table.header_row == header_row
    assert table.located() == f"Η επικεφαλίδα διαβάστηκε από τη γραμμή {header_row}."
    report = run(content, agency)
    assert report.created == 1
    assert [e.row for e in report.errors] == [header_row + 2]  # numbered as Excel shows the file


def test_excels_sep_line_names_the_delimiter_and_is_not_a_row(agency):
    content = b"sep=,\r\n" + csv_bytes([person_row(1), person_row(2)], delimiter=",")
    table = read_table(content)
    assert (table.delimiter, table.header_row) == (",", 1)
    assert run(content, agency).created == 2


def test_the_sheet_with_the_templates_header_is_read_after_a_cover_sheet_or_an_empty_one(agency):
    data = as_records([person_row(1), person_row(2)])
    cover = [["Κέντρο Κοινότητας Χίου"], ["Παραπομπές προς το Κέντρο Απασχόλησης"], ["Επικοινωνία: 22710 44444"]]
    content = workbook_bytes({"Εξώφυλλο": cover, "Κενό": [], "Παραπομπές": [["Οκτώβριος 2026"], *data]})
    table = read_table(content)
    assert (table.sheet, table.header_row) == ("Παραπομπές", 2)
    assert table.located() == "Η επικεφαλίδα διαβάστηκε από τη γραμμή 2 του φύλλου «Παραπομπές»."
    assert run(content, agency, name="referrals.xlsx").created == 2
    empty_first = workbook_bytes({"Φύλλο1": [], "Φύλλο2": data})
    assert read_table(empty_first).located() == "Διαβάστηκε το φύλλο «Φύλλο2»: έχει τις στήλες του υποδείγματος."


def test_a_workbook_without_the_templates_header_says_what_is_missing_not_that_it_is_empty(agency):
    from imports.reading import FileError

    content = workbook_bytes({"Κενό": [], "Λίστα": [["Όνομα", "Επώνυμο"], ["Μαρία", "Παπά"]]})
    with pytest.raises(FileError, match="Λείπουν υποχρεωτικές στήλες|Required columns are missing"):
        read_table(content)


@pytest.mark.parametrize("dimension", ['<dimension ref="A1"/>', '<dimension ref="A1:B2"/>'])
def test_a_stale_declared_sheet_size_is_not_trusted(agency, dimension):
    content = workbook_bytes({"Sheet": as_records([person_row(n) for n in range(1, 6)])})
    source, target = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension ref=\"[^\"]+\"/>", dimension.encode(), data)
            new.writestr(item, data)
    report = run(target.getvalue(), agency, name="referrals.xlsx")
    assert (report.rows, report.created) == (5, 5)


def test_a_merged_cells_value_belongs_to_every_row_it_covers(agency):
    records = as_records([person_row(n, referral_date="", reason="", consent="") for n in range(1, 5)])
    date, reason, consent = (ENGLISH_HEADER.index(f) + 1 for f in ("referral_date", "reason", "consent"))
    records[1][date - 1], records[1][reason - 1], records[1][consent - 1] = "12/10/2026", "Μακροχρόνια ανεργία", "Ναι"
    column = openpyxl.utils.get_column_letter
    content = workbook_bytes({"Sheet": records}, merge={"Sheet": [
        f"{column(date)}2:{column(date)}5", f"{column(reason)}2:{column(reason)}4", f"{column(consent)}2:{column(consent)}5"]})
    report = run(content, agency, name="referrals.xlsx")
    assert (report.created, report.rejected) == (4, 0), report.errors
    referrals = Referral.objects.order_by("agency_ref")
    assert {r.referral_date for r in referrals} == {datetime.date(2026, 10, 12)}
    assert [r.reason for r in referrals] == ["Μακροχρόνια ανεργία"] * 3 + [""]
    assert all(r.person.has_processing_consent for r in referrals)


def test_the_header_is_not_searched_for_ever():
    from imports.reading import FileError

    content = ("\r\n".join(f"σημείωση {n}" for n in range(30)) + "\r\n" + ";".join(GREEK_HEADER)).encode()
    with pytest.raises(FileError):
        read_table(content)


def test_a_reason_too_long_is_that_rows_error_and_the_others_import(agency):
    report = run(csv_bytes([person_row(1, reason="λ" * 12_000), person_row(2)]), agency)
    assert report.created == 1
    [error] = report.errors
    assert (error.row, error.field, error.code) == (2, "reason", "invalid")
    assert "10000" in error.message.replace(".", "").replace(",", "")


def test_line_breaks_names_and_feminine_labels_as_partners_write_them(agency):
    rows = [
        person_row(1, reason="Πρώτη γραμμή\rδεύτερη γραμμή", last_name="McDonald", first_name="Mary-Ann",
                   vulnerable_groups="Άστεγη, Μετανάστρια"),
        person_row(2, last_name="ΠΑΠΑΔΟΠΟΥΛΟΥ", first_name="ελενη", vulnerable_groups="Απεξαρτημένη; άνεργη νέα"),
    ]
    report = run(csv_bytes(rows), agency)
    assert (report.created, report.rejected) == (2, 0), report.errors
    first = Referral.objects.get(agency_ref="KK-0001")
    assert first.reason == "Πρώτη γραμμή\nδεύτερη γραμμή"
    assert (first.person.last_name, first.person.first_name) == ("McDonald", "Mary-Ann")
    assert sorted(first.person.vulnerable_groups.values_list("code", flat=True)) == ["homeless", "migrant"]
    second = Person.objects.get(last_name="Παπαδοπουλου")
    assert second.first_name == "Ελενη"
    assert sorted(second.vulnerable_groups.values_list("code", flat=True)) == ["recovered_addiction", "young_unemployed"]


def test_formatted_empty_rows_cost_nothing(agency):
    """Excel keeps rows that were only formatted as <row …/> elements with no cells: 200,000 of them must not be
    held in memory (openpyxl's parser keeps every row element it reads)."""
    import tracemalloc

    content = workbook_bytes({"Sheet": as_records([person_row(n) for n in range(1, 4)])})
    source, target = io.BytesIO(content), io.BytesIO()
    blank = "".join(f'<row r="{n}" spans="1:15" s="1" customFormat="1" ht="15"/>' for n in range(10, 200_010)).encode()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"</sheetData>", blank + b"</sheetData>")
            new.writestr(item, data)
    del blank
    tracemalloc.start()
    try:
        table = read_table(target.getvalue())
        numbers = [row.number for row in table.rows]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert numbers == [2, 3, 4]
    assert peak < 20 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB"


def xls_bytes(sheets: dict[str, list[list]], merge: dict[str, list[tuple[int, int, int, int]]] | None = None) -> bytes:
    """An Excel 97 file, as old municipal software still writes them (merge: first row, last row, first col, last col)."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for title, records in sheets.items():
        sheet = workbook.add_sheet(title)
        merged = {(r1, c1): (r2, c2) for r1, r2, c1, c2 in (merge or {}).get(title, [])}
        covered = {(r, c) for (r1, c1), (r2, c2) in merged.items() for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        for r, record in enumerate(records):
            for c, value in enumerate(record):
                if (r, c) in merged:
                    sheet.write_merge(r, merged[r, c][0], c, merged[r, c][1], value)
                elif (r, c) not in covered:
                    sheet.write(r, c, value, date_style if isinstance(value, datetime.date) else xlwt.Style.default_style)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A LibreOffice spreadsheet, each sheet ending with the million repeated empty rows LibreOffice writes."""
    from xml.sax.saxutils import escape

    def cell(value) -> str:
        if value in ("", None):
            return "<table:table-cell/>"
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    tables = "".join(
        f'<table:table table:name="{escape(title)}">'
        + "".join(f"<table:table-row>{''.join(cell(v) for v in record)}</table:table-row>" for record in records)
        + '<table:table-row table:number-rows-repeated="1048550"><table:table-cell table:number-columns-repeated="1024"/>'
        "</table:table-row></table:table>"
        for title, records in sheets.items())
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")  # stored, first
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_old_excel_files_are_read_with_their_dates_numbers_merges_and_sheets(agency):
    rows = as_records([person_row(n) for n in range(1, 4)])
    date, amka, reason = (ENGLISH_HEADER.index(f) for f in ("referral_date", "amka", "reason"))
    for record in rows[1:]:
        record[date], record[amka] = datetime.date(2026, 10, 12), int(record[amka])
    rows[1][reason] = "Μακροχρόνια ανεργία"
    content = xls_bytes({"Οδηγίες": [["Συμπληρώστε μία γραμμή ανά άτομο"]], "Λίστα": rows},
                        merge={"Λίστα": [(1, 3, reason, reason)]})
    table = read_table(content)
    assert (table.kind, table.sheet) == ("xls", "Λίστα")
    report = run(content, agency, name="referrals.xls")
    assert (report.created, report.rejected) == (3, 0), report.errors
    assert {r.referral_date for r in Referral.objects.all()} == {datetime.date(2026, 10, 12)}
    assert {r.reason for r in Referral.objects.all()} == {"Μακροχρόνια ανεργία"}
    assert Person.objects.filter(amka=person_row(1)["amka"]).exists()


def test_libreoffice_files_are_read_with_a_title_above_the_header(agency):
    content = ods_bytes({"Φύλλο1": [["Παραπομπές Οκτωβρίου"], *as_records([person_row(1), person_row(2, consent="Όχι")])]})
    table = read_table(content)
    assert (table.kind, table.header_row) == ("ods", 2)
    report = run(content, agency, name="referrals.ods")
    assert (report.created, [(e.row, e.code) for e in report.errors]) == (1, [(4, "no_consent")])
    assert Person.objects.filter(last_name="Παπαδοπουλος").count() == 1


def test_the_preview_and_the_command_say_where_the_header_was_found(agency, client, intake_officer, write_file):
    from django.core.management import call_command
    from django.urls import reverse

    content = "Παραπομπές Οκτωβρίου\r\n".encode() + csv_bytes([person_row(1)])
    client.force_login(intake_officer)
    upload = io.BytesIO(content)
    upload.name = "referrals.csv"
    page = client.post(reverse("admin:imports_importbatch_upload"), {"agency": agency.pk, "file": upload})
    assert "Η επικεφαλίδα διαβάστηκε από τη γραμμή 2." in page.content.decode()
    out = io.StringIO()
    call_command("import_referrals", str(write_file("refs.csv", content)), "--agency", agency.code, "--dry-run", stdout=out)
    assert "Η επικεφαλίδα διαβάστηκε από τη γραμμή 2." in out.getvalue()
