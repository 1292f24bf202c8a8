"""Every role reads a person's consent records and a note's corrections on their pages; only services write them."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = [
    "Intake officer", "Counsellor", "Training officer", "Legal adviser", "Accountant", "Placement officer", "Supervisor",
]
READ = ["view_consentrecord", "view_notecorrection"]


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; this migration needs them now.
    app_config = apps.get_app_config("cases")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="cases", codename__in=READ)
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_consent_records_notes_timeline"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
