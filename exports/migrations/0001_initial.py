"""The export log, moved from the imports app: the model joins this app's state on its existing table."""
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # The table was created by imports' first migration; imports let go of the model just before.
        ("imports", "0006_exportrecord_moves_to_exports"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ExportRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="when")),
                        ("model", models.CharField(max_length=100, verbose_name="what")),
                        ("file_format", models.CharField(max_length=10, verbose_name="format")),
                        ("rows", models.PositiveIntegerField(verbose_name="rows")),
                        ("filters", models.TextField(blank=True, verbose_name="filters")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                   to=settings.AUTH_USER_MODEL, verbose_name="user")),
                    ],
                    options={
                        "verbose_name": "export record",
                        "verbose_name_plural": "export records",
                        "ordering": ["-at"],
                        "db_table": "imports_exportrecord",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
