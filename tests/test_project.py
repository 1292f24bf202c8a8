"""Project-level guarantees: migrations in sync, production settings pass Django's deploy checks."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_migrations_are_in_sync_with_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py as production would, but for what `env` sets: without the settings the tests set for their
    own process (pytest-env's development mode, the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE)."""
    test_only = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_DEBUG", "GEFYRA_TWO_FACTOR"}
    inherited = {k: v for k, v in os.environ.items() if k not in test_only}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
        env={**inherited, **env}, timeout=120,
    )


def test_production_settings_pass_the_deploy_checks():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 20 + "-production-secret-0123456789abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="gefyra.example.gr",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
        env={**env, "DJANGO_DEBUG": "0"}, timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_private_files_inside_static_root_are_refused(settings, tmp_path):
    from config.checks import check_private_files

    settings.STATIC_ROOT = tmp_path
    settings.PRIVATE_ROOT = tmp_path / "private"
    assert [e.id for e in check_private_files(None)] == ["gefyra.E001"]
    settings.PRIVATE_ROOT = tmp_path.parent / "elsewhere"
    assert check_private_files(None) == []
