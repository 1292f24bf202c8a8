"""Two writers at once on SQLite: they must take turns, not crash with "database is locked".

The test database is in memory, which other connections cannot share; `file_copy` copies it to a file, and
`on_file` runs each call in its own thread on its own connection to that file, as two processes would.
On PostgreSQL these are skipped (tests/workflows/test_concurrency.py covers its row locks).
"""
import datetime
import io
import os
import sqlite3
import time

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.models import CaseEvent
from tests.factories import ReferralFactory
from tests.threads import together
from tests.workflows.conftest import claimed, reseeded, task_url  # noqa: F401
from workflows import step_services
from workflows.models import CaseTask
from workflows.services import referral_start, referral_start_many

sqlite_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="SQLite's write lock; PostgreSQL's row locks are tested in test_concurrency.py",
)
pytestmark = [sqlite_only, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reseeded")]


def file_copy(tmp_path):
    """Copy the test database, as the test has left it, to a file several connections can share."""
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return path


def on_file(path, *calls) -> list:
    """Run each call in its own thread on its own connection to the SQLite file `path`, started together."""
    return together(*calls, database_name=str(path))


def test_two_advance_flows_at_once_both_finish_and_mark_each_task_once(tmp_path, intake_officer):
    # More overdue tasks than one fetch of the command's chunked read (500): it holds its read open meanwhile.
    referral_start_many(referrals=ReferralFactory.create_batch(600), by=intake_officer)
    CaseTask.objects.filter(flow_task__endswith=".referral_review").update(scheduled=timezone.now() - datetime.timedelta(days=1))
    path = file_copy(tmp_path)

    def advance() -> str:
        out = io.StringIO()
        call_command("advance_flows", stdout=out)
        return out.getvalue()

    results = on_file(path, advance, advance)

    assert all(isinstance(r, str) and "newly overdue" in r for r in results), results
    marked = on_file(path, lambda: (CaseEvent.objects.filter(action=CaseEvent.Action.TASK_OVERDUE).count(),
                                    CaseTask.objects.filter(data__has_key="overdue_since").count()))[0]
    assert marked == (600, 600)


def test_two_completing_the_same_task_the_loser_is_told_who_won(tmp_path, monkeypatch, intake_officer):
    case = referral_start(referral=ReferralFactory(), by=intake_officer)
    task = claimed(case, "referral_review", intake_officer)
    path = file_copy(tmp_path)
    decide = step_services._referral_decide

    def slow_decide(*args, **kwargs):
        # Hold the winner's transaction open a moment, so that the other request really meets it.
        referral = decide(*args, **kwargs)
        time.sleep(0.3)
        return referral

    monkeypatch.setattr(step_services, "_referral_decide", slow_decide)

    def accept():
        client = Client()
        client.force_login(intake_officer)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.post(task_url(task, "complete"), {"step-decision": "accept"})
        return response.status_code, [str(m) for m in get_messages(response.wsgi_request)]

    results = on_file(path, accept, accept)

    assert not any(isinstance(r, Exception) for r in results), results
    won = [r for r in results if r[0] == 302]
    lost = [r for r in results if r[0] == 200]
    assert len(won) == 1 and len(lost) == 1, results
    name = intake_officer.get_full_name() or intake_officer.get_username()
    assert lost[0][1] == [f"{name} has already completed this task."]
    done = on_file(path, lambda: (CaseTask.objects.get(pk=task.pk).status,
                                  CaseEvent.objects.filter(case=case, action=CaseEvent.Action.STEP_DONE).count()))[0]
    assert done == ("DONE", 1)
