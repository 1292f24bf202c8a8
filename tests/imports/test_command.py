import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Referral
from tests.imports.conftest import csv_bytes, person_row

ROOT = Path(__file__).resolve().parents[2]


def run_json(*args) -> tuple[dict, str]:
    import io

    out, err = io.StringIO(), io.StringIO()
    call_command("import_referrals", *args, "--json", stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def test_json_output_is_one_object_in_the_contract_shape(agency, write_file):
    path = write_file("refs.csv", csv_bytes([person_row(1), person_row(2, amka="01018012346"), person_row(1)]))
    result, _err = run_json(str(path), "--agency", agency.code)

    assert set(result) == {"rows", "created", "duplicates", "errors"}
    assert (result["rows"], result["created"], result["duplicates"]) == (3, 1, 1)
    assert result["errors"] == [{"row": 3, "field": "amka", "code": "checksum", "message": result["errors"][0]["message"]}]
    assert result["errors"][0]["message"]
    assert Referral.objects.count() == 1


def test_dry_run_counts_what_would_be_created(agency, write_file):
    path = write_file("refs.csv", csv_bytes([person_row(1), person_row(2)]))
    result, _err = run_json(str(path), "--agency", agency.code, "--dry-run")
    assert (result["created"], Referral.objects.count()) == (2, 0)


def test_unknown_agency_and_unreadable_file_fail(agency, write_file):
    path = write_file("refs.csv", b"\x00\x01binary")
    with pytest.raises(CommandError):
        call_command("import_referrals", str(path), "--agency", "NOPE", "--json")
    with pytest.raises(CommandError) as exc:
        call_command("import_referrals", str(path), "--agency", agency.code, "--json")
    assert "υπολογιστικό φύλλο" in str(exc.value)


def test_process_exit_codes_and_clean_stdout(tmp_path, write_file):
    """Run the real command in a subprocess, on its own SQLite database, as cron would."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "PATH": "/usr/bin:/bin", "DJANGO_LOG_LEVEL": "ERROR",
           "DJANGO_SECRET_KEY": "cron-" + "k" * 50}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    setup = "from cases.models import Agency; Agency.objects.create(code='KK', name='Κέντρο')"
    subprocess.run([*manage, "shell", "-c", setup], env=env, check=True, cwd=ROOT)
    good = write_file("good.csv", csv_bytes([person_row(1), person_row(2, consent="Όχι")]))
    bad = write_file("bad.csv", b"")

    ok = subprocess.run([*manage, "import_referrals", str(good), "--agency", "KK", "--json"], env=env, capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0
    assert json.loads(ok.stdout)["errors"][0]["code"] == "no_consent"
    failed = subprocess.run([*manage, "import_referrals", str(bad), "--agency", "KK", "--json"], env=env, capture_output=True, text=True, cwd=ROOT)
    assert failed.returncode != 0 and failed.stdout == "" and failed.stderr.strip()
