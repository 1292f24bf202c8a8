"""Two agencies' files about the same people, imported at the same moment: the result of one after the other.

People without AMKA or AFM are matched by name and date of birth, which no unique constraint guards: only
taking turns keeps the second import from creating them again, each with a second open case.
"""
import io
import os
import threading

import pytest

from cases.models import Case, Person, Referral
from imports import services
from imports.services import referral_import
from tests.factories import AgencyFactory
from tests.imports.conftest import csv_bytes, person_row
from tests.threads import together
from tests.workflows.conftest import reseeded  # noqa: F401
from tests.workflows.test_sqlite_locking import file_copy, on_file

ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
PEOPLE = 20
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reseeded")]


def _import(agency_id: int, *, dry_run: bool = False):
    """Import the shared people's file as the agency `agency_id` sends it; return a picklable summary."""
    from cases.models import Agency

    file = io.BytesIO(csv_bytes([person_row(n, amka="", afm="") for n in range(PEOPLE)]))
    file.name = "referrals.csv"
    report = referral_import(file=file, agency=Agency.objects.get(pk=agency_id), by=None, dry_run=dry_run)
    return report.created, report.rejected


def _counts() -> tuple[int, int, int]:
    return Person.objects.count(), Case.objects.open().count(), Referral.objects.count()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="two PostgreSQL connections at once; runs in the PostgreSQL pass")
def test_two_agencies_at_once_on_postgresql_create_each_person_once():
    first, second = AgencyFactory(code="KK-A"), AgencyFactory(code="KK-B")

    results = together(lambda: _import(first.pk), lambda: _import(second.pk))

    assert results == [(PEOPLE, 0), (PEOPLE, 0)], results
    # One after the other: the second file's referrals join the cases the first one opened.
    assert _counts() == (PEOPLE, PEOPLE, 2 * PEOPLE)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="two PostgreSQL connections at once; runs in the PostgreSQL pass")
def test_a_preview_does_not_wait_behind_an_import_under_way(monkeypatch):
    first, second = AgencyFactory(code="KK-A"), AgencyFactory(code="KK-B")
    importing, previewed, finished = threading.Event(), threading.Event(), []
    create = services._create

    def create_slowly(*args, **kwargs):
        importing.set()
        previewed.wait(10)  # the import holds its turn here until the preview is done (or gives up after 10 s)
        return create(*args, **kwargs)

    monkeypatch.setattr(services, "_create", create_slowly)

    def real():
        result = _import(first.pk)
        finished.append("import")
        return result

    def preview():
        importing.wait(10)
        result = _import(second.pk, dry_run=True)
        previewed.set()
        finished.append("preview")
        return result

    results = together(real, preview)

    assert results == [(PEOPLE, 0), (PEOPLE, 0)], results
    assert finished == ["preview", "import"]
    assert _counts() == (PEOPLE, PEOPLE, PEOPLE)


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite's write lock; the PostgreSQL pass runs the test above")
def test_two_agencies_at_once_on_sqlite_take_turns(tmp_path):
    first, second = AgencyFactory(code="KK-A"), AgencyFactory(code="KK-B")
    path = file_copy(tmp_path)

    results = on_file(path, lambda: _import(first.pk), lambda: _import(second.pk))

    assert results == [(PEOPLE, 0), (PEOPLE, 0)], results
    assert on_file(path, _counts) == [(PEOPLE, PEOPLE, 2 * PEOPLE)]
