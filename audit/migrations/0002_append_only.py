"""The audit tables refuse UPDATE and DELETE in the database itself, on SQLite and on PostgreSQL.

A DELETE goes through only while the one-row table audit_purge holds a row: the privileged purge path
(audit.purge.purging, used around the test suite's flush and a future retention command) sets it.
"""
from django.db import migrations

TABLES = ["auditlog_logentry", "audit_accessevent", "imports_exportrecord"]

SQLITE = """
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, 'audit records cannot be changed'); END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN NOT EXISTS (SELECT 1 FROM audit_purge)
BEGIN SELECT RAISE(ABORT, 'audit records cannot be deleted'); END;
"""
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' AND EXISTS (SELECT 1 FROM audit_purge) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit records cannot be changed or deleted (%% on %%)', TG_OP, TG_TABLE_NAME;
END $$;
"""
# TRUNCATE skips row triggers: a statement trigger refuses it too.
POSTGRES = """
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();
"""


def _run(schema_editor, sql: str) -> None:
    for statement in filter(str.strip, sql.split(";\n")):
        schema_editor.execute(statement)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute("CREATE TABLE audit_purge (id integer PRIMARY KEY CHECK (id = 1))")
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
    for table in TABLES:
        if vendor == "sqlite":
            _run(schema_editor, SQLITE.format(table=table))
        elif vendor == "postgresql":
            _run(schema_editor, POSTGRES.format(table=table))


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        for name in ["no_update", "no_delete"] if vendor == "sqlite" else ["append_only", "no_truncate"]:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{name}" + (f" ON {table}" if vendor == "postgresql" else ""))
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_refuse()")
    schema_editor.execute("DROP TABLE audit_purge")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("auditlog", "0017_add_actor_email"), ("exports", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
