"""Supervisors and the data-protection officer erase on request, download subject-access reports and place
legal holds."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["erase_person", "subject_access", "add_legalhold", "view_legalhold", "delete_legalhold"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("privacy")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in ["Supervisor", "Data protection officer"]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="privacy", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_legal_hold_and_rights")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
