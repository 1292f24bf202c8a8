import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction

from audit.models import AccessEvent
from audit.purge import purging
from audit.services import record
from exports.models import ExportRecord
from tests.factories import PersonFactory


@pytest.fixture
def audit_rows(supervisor):
    PersonFactory()  # the change log's create entry
    record(user=supervisor, action=AccessEvent.Action.LOGIN)
    ExportRecord.objects.create(user=supervisor, model="cases.Person", file_format="CSV", rows=1)


@pytest.mark.parametrize("table", ["auditlog_logentry", "audit_accessevent", "imports_exportrecord"])
@pytest.mark.parametrize("statement", ["UPDATE {table} SET id = id + 1000", "DELETE FROM {table}"])
def test_the_database_refuses_changes_to_audit_rows(audit_rows, table, statement):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(table=table))


def test_only_the_purge_path_may_delete_audit_rows(audit_rows):
    with purging():
        AccessEvent.objects.all().delete()
    assert not AccessEvent.objects.exists()
    assert LogEntry.objects.exists()


def test_the_orm_cannot_change_an_audit_row_either(audit_rows):
    entry = LogEntry.objects.first()
    entry.object_repr = "forged"
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()
