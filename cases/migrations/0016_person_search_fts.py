"""On SQLite, the folded search text gets what the trigram index gives it on PostgreSQL (migration 0014): an
FTS5 table with the trigram tokenizer, which answers `LIKE '%word%'` from its index (SQLite 3.34 and later).
It holds no copy of the text (external content); triggers keep it in step with every write to cases_person."""
from django.db import migrations

FTS = "cases_person_search"
SQLITE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, content='cases_person', content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON cases_person
BEGIN INSERT INTO {FTS} (rowid, search_text) VALUES (NEW.id, NEW.search_text); END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON cases_person
BEGIN INSERT INTO {FTS} ({FTS}, rowid, search_text) VALUES ('delete', OLD.id, OLD.search_text); END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE OF search_text ON cases_person BEGIN
INSERT INTO {FTS} ({FTS}, rowid, search_text) VALUES ('delete', OLD.id, OLD.search_text);
INSERT INTO {FTS} (rowid, search_text) VALUES (NEW.id, NEW.search_text); END""",
    f"INSERT INTO {FTS} ({FTS}) VALUES ('rebuild')",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for event in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS}_{event}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0015_person_total_order")]
    operations = [migrations.RunPython(create, drop)]
