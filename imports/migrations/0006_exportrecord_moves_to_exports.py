"""The export log moves to the exports app: imports forgets the model, its table and rows stay where they are."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("imports", "0005_importbatch_consents")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ExportRecord")],
            database_operations=[],
        ),
    ]
