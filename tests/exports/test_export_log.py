"""The export log, moved from imports to exports: same table, same rows, same readers."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from exports.models import ExportRecord

BEFORE_THE_MOVE = [("imports", "0004_earlier_row_keys"), ("exports", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


@pytest.mark.django_db(transaction=True)
def test_moving_the_model_keeps_the_rows_logged_under_imports():
    old = _migrate(BEFORE_THE_MOVE)
    user = old.get_model("auth", "User").objects.create(username="boss")
    old.get_model("imports", "ExportRecord").objects.create(user_id=user.pk, model="cases.Person", file_format="csv", rows=3)
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(leaves)
    assert list(ExportRecord.objects.values_list("model", "rows", "user__username")) == [("cases.Person", 3, "boss")]


@pytest.mark.django_db
def test_supervisors_read_the_export_log_and_other_roles_do_not(client, supervisor, intake_officer):
    ExportRecord.objects.create(user=supervisor, model="cases.Referral", file_format="xlsx", rows=7)
    assert supervisor.has_perm("exports.view_exportrecord")
    client.force_login(supervisor)
    response = client.get(reverse("admin:exports_exportrecord_changelist"))
    assert response.status_code == 200 and "cases.Referral" in response.content.decode()
    client.force_login(intake_officer)
    assert client.get(reverse("admin:exports_exportrecord_changelist")).status_code == 403
