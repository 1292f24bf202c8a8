import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from imports import reading
from imports.cleaning import parse_bool, parse_date, parse_groups, parse_nationality, parse_sex
from imports.reading import FileError, read_table
from tests.imports.conftest import ENGLISH_HEADER, csv_bytes, person_row


@pytest.mark.parametrize("value", ["03/04/2024", "3/4/2024", "2024-04-03", "03.04.2024", "03-04-2024",
                                   datetime.datetime(2024, 4, 3), datetime.date(2024, 4, 3), 45385, 45385.0, "45385",
                                   "2024-04-03 00:00:00"])
def test_parse_date_is_day_first_and_reads_excel(value):
    assert parse_date(value) == datetime.date(2024, 4, 3)


@pytest.mark.parametrize("value", ["31/02/2024", "2024/13/40", "yesterday", "03/04/24", 0])
def test_parse_date_refuses_non_dates(value):
    with pytest.raises(ValidationError) as exc:
        parse_date(value)
    assert exc.value.code == "invalid_date"


@pytest.mark.parametrize("value,expected", [("Α", "M"), ("Γ", "F"), ("Άνδρας", "M"), ("ΓΥΝΑΙΚΑ", "F"), ("m", "M"),
                                            ("Female", "F"), ("male", "M"), (" F ", "F"), ("", "")])
def test_parse_sex(value, expected):
    assert parse_sex(value) == expected


def test_parse_sex_unknown():
    with pytest.raises(ValidationError) as exc:
        parse_sex("Q")
    assert exc.value.code == "unknown_value"


@pytest.mark.parametrize("value,expected", [("Ναι", True), ("ναι", True), ("NAI", True), ("Yes", True), ("1", True),
                                            (1, True), ("true", True), ("Όχι", False), ("οχι", False), ("No", False),
                                            ("0", False), ("", None), (None, None)])
def test_parse_bool(value, expected):
    assert parse_bool(value) is expected


def test_parse_groups_by_code_greek_label_and_english(db):
    from imports.planning import group_vocabulary

    vocabulary, _ids = group_vocabulary()
    assert parse_groups("Άστεγος/η, gmi, ΑΜΕΑ, Ρομά, Refugee, άστεγος", vocabulary) == ["homeless", "gmi", "disability", "roma", "refugee"]
    with pytest.raises(ValidationError) as exc:
        parse_groups("homeless, astronaut", vocabulary)
    assert exc.value.code == "unknown_value" and "astronaut" in exc.value.messages[0]


@pytest.mark.parametrize("value,expected", [("Ελληνική", "GR"), ("Ελλάδα", "GR"), ("Greece", "GR"), ("greek", "GR"),
                                            ("Συρία", "SY"), ("Syrian", "SY"), ("Αφγανιστάν", "AF"), ("UKRAINE", "UA"),
                                            ("ALB", "AL"), ("", "")])
def test_parse_nationality(value, expected):
    assert parse_nationality(value) == expected


def test_parse_nationality_unknown():
    with pytest.raises(ValidationError) as exc:
        parse_nationality("Atlantis")
    assert exc.value.code == "unknown_value"


def test_headers_in_any_order_case_accents_and_spaces():
    headers = [" ΑΜΚΑ ", "επωνυμο", "ΟΝΟΜΑ", "Extra", " Ημερομηνία  γέννησης", "AGENCY_REF", "Συναινεση", "\ufeffE-mail"]
    assert reading.map_headers(headers) == {
        0: "amka", 1: "last_name", 2: "first_name", 4: "birth_date", 5: "agency_ref", 6: "consent", 7: "email",
    }


def test_a_column_given_twice_is_a_file_error():
    with pytest.raises(FileError):
        reading.map_headers(["ΑΜΚΑ", "amka", "agency_ref", "last_name", "first_name", "birth_date", "consent"])


def test_missing_required_column_is_a_file_error():
    with pytest.raises(FileError) as exc:
        reading.map_headers(["Επώνυμο", "Όνομα", "ΑΜΚΑ"])
    assert "agency_ref" in str(exc.value) and "birth_date" in str(exc.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1253"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_read_table_detects_encoding_and_delimiter(encoding, delimiter):
    table = read_table(csv_bytes([person_row(1), person_row(2)], encoding=encoding, delimiter=delimiter))
    assert table.delimiter == delimiter
    assert table.encoding == ("cp1253" if encoding == "cp1253" else "utf-8-sig")
    rows = list(table.rows)
    assert [r.number for r in rows] == [2, 3]
    assert table.fields_of(rows[0])["last_name"] == "ΠΑΠΑΔΟΠΟΥΛΟΣ"
    assert table.fields_of(rows[0])["father_name"] == "Γεώργιος"
    assert table.done() == 1.0


def test_read_table_reads_excel_unicode_text():
    table = read_table(csv_bytes([person_row(1)], encoding="utf-16", delimiter="\t"))
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.fields_of(next(table.rows))["last_name"] == "ΠΑΠΑΔΟΠΟΥΛΟΣ"


def test_read_table_numbers_records_not_lines():
    rows = [person_row(1, reason="Πρώτη γραμμή\r\nδεύτερη\r\nτρίτη"), person_row(2)]
    table = read_table(csv_bytes(rows, header=ENGLISH_HEADER))
    records = list(table.rows)
    assert [r.number for r in records] == [2, 3]
    assert table.fields_of(records[0])["reason"] == "Πρώτη γραμμή\r\nδεύτερη\r\nτρίτη"


@pytest.mark.parametrize("content", [b"", b"   \r\n", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"PK\x03\x04garbage"])
def test_unreadable_files_are_file_errors(content):
    with pytest.raises(FileError):
        read_table(content)


def test_header_only_is_a_file_error():
    table = read_table(csv_bytes([]))
    with translation.override("en"), pytest.raises(FileError, match="no rows"):
        list(table.rows)
