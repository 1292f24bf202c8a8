"""Supervisors and the data-protection officer search the audit; nobody else sees it."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Supervisor", "Data protection officer"]
PERMISSIONS = [("auditlog", "view_logentry"), ("audit", "view_accessevent")]


def grant(apps, schema_editor):
    for label in ["auditlog", "audit"]:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in PERMISSIONS:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only"), ("privacy", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
