"""The database connection lost in the middle of `import_referrals`: one line on stderr, nothing imported, exit 1."""
import io
import os
import threading

import pytest
from django.db import OperationalError, connection, connections
from django.utils.translation import gettext as _

from cases.models import Person, Referral
from imports import services
from imports.management.commands.import_referrals import Command
from tests.imports.conftest import csv_bytes, person_row

postgres_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="kills a PostgreSQL backend from a second connection; runs in the PostgreSQL pass",
)


def run(*args) -> tuple[int, str, str]:
    """Run the command as manage.py does (errors become a line on stderr and the exit code); return all three."""
    out, err = io.StringIO(), io.StringIO()
    try:
        Command(stdout=out, stderr=err).run_from_argv(["manage.py", "import_referrals", *args])
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _after_first_chunk(monkeypatch, then) -> None:
    """Call `then()` when the import is about to write its second chunk (the first is written, not committed)."""
    monkeypatch.setattr(services, "CHUNK_ROWS", 5)
    create, calls = services._create, []

    def create_then(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            then()
        return create(*args, **kwargs)

    monkeypatch.setattr(services, "_create", create_then)


def _terminate(pid: int) -> None:
    """Kill the backend `pid` from a second connection, as a restart or an administrator would."""
    def kill():
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        connections.close_all()

    thread = threading.Thread(target=kill)
    thread.start()
    thread.join(30)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_connection_killed_mid_import_says_nothing_was_imported(agency, write_file, monkeypatch):
    path = write_file("refs.csv", csv_bytes([person_row(n) for n in range(12)]))
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    _after_first_chunk(monkeypatch, lambda: _terminate(pid))

    code, out, err = run(str(path), "--agency", agency.code, "--json")

    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1, err
    assert err.startswith("CommandError: ") and "Traceback" not in err
    assert (Referral.objects.count(), Person.objects.count()) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_database_gone_says_nothing_was_imported_on_one_line(agency, write_file, monkeypatch):
    def gone():
        raise OperationalError("database is locked")

    path = write_file("refs.csv", csv_bytes([person_row(n) for n in range(12)]))
    _after_first_chunk(monkeypatch, gone)

    code, out, err = run(str(path), "--agency", agency.code)

    message = _("The database was unreachable or busy (%(error)s). Nothing was imported; try again.")
    assert (code, out, err) == (1, "", f"CommandError: {message % {'error': 'database is locked'}}\n")
    assert (Referral.objects.count(), Person.objects.count()) == (0, 0)
