"""Partner files written for real, the way partners' Excel writes them."""
from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest

from cases.models import Agency, Case, Person
from tests.factories import AgencyFactory, ReferralFactory, make_afm, make_amka
from workflows.services import referral_start

GREEK_HEADER = [
    "Κωδικός παραπομπής", "Ημερομηνία παραπομπής", "Επώνυμο", "Όνομα", "Πατρώνυμο", "Ημερομηνία γέννησης", "Φύλο",
    "ΑΜΚΑ", "ΑΦΜ", "Τηλέφωνο", "Email", "Υπηκοότητα", "Ευάλωτες ομάδες", "Αιτία παραπομπής", "Συναίνεση",
]
ENGLISH_HEADER = [
    "agency_ref", "referral_date", "last_name", "first_name", "father_name", "birth_date", "sex", "amka", "afm",
    "phone", "email", "nationality", "vulnerable_groups", "reason", "consent",
]


def person_row(n: int, **overrides) -> dict:
    """A valid row (English keys) for the n-th referred person."""
    birth = datetime.date(1980, 1, 1) + datetime.timedelta(days=37 * n)
    row = {
        "agency_ref": f"KK-{n:04d}", "referral_date": "03/04/2024", "last_name": "  ΠΑΠΑΔΟΠΟΥΛΟΣ ",
        "first_name": f"μαρια{chr(0x3b1 + n % 20)}", "father_name": "Γεώργιος", "birth_date": f"{birth:%d/%m/%Y}",
        "sex": "Γ", "amka": make_amka(birth, n), "afm": make_afm(5000 + n), "phone": "697 123 4567",
        "email": f"person{n}@example.gr", "nationality": "Ελληνική", "vulnerable_groups": "Άστεγος/η, gmi",
        "reason": "Αναζήτηση εργασίας", "consent": "Ναι",
    }
    row.update(overrides)
    return row


def case_under_way(person: Person, *, key_worker=None) -> Case:
    """Open a case the way the centre does: another agency's referral taken in, its flow at referral review."""
    case = referral_start(referral=ReferralFactory(person=person), by=None)
    if key_worker is not None:
        case.key_worker = key_worker
        case.save(update_fields=["key_worker"])
    return case


def as_records(rows: list[dict], header: list[str] = GREEK_HEADER) -> list[list]:
    return [header] + [[r.get(key, "") for key in ENGLISH_HEADER] for r in rows]


def csv_bytes(rows: list[dict], *, encoding="utf-8", delimiter=";", header=GREEK_HEADER, lineterminator="\r\n") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerows(as_records(rows, header))
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(records: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for record in records:
        sheet.append(record)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def write_file(tmp_path):
    def write(name: str, content: bytes):
        path = tmp_path / name
        path.write_bytes(content)
        return path
    return write


@pytest.fixture
def agency(db) -> Agency:
    return AgencyFactory(code="KK-CHIOS", name="Κέντρο Κοινότητας Χίου")


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Keep previewed uploads and import progress of the tests out of the project's private folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "import_export": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "ie"}},
    }
    settings.CACHES = {
        **settings.CACHES,
        "progress": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": tmp_path / "progress"},
    }
