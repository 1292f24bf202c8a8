"""Who could read the export log under imports can read it under exports: supervisors (imports' 0002), and any
group or user given a permission on it by hand since."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"Supervisor": ["view_exportrecord"]}


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; this migration needs exports' now.
    app_config = apps.get_app_config("exports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="exports", codename__in=codenames))
    for new in Permission.objects.filter(content_type__app_label="exports", content_type__model="exportrecord"):
        for old in Permission.objects.filter(content_type__app_label="imports", codename=new.codename):
            new.group_set.add(*old.group_set.all())
            new.user_set.add(*old.user_set.all())


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0001_initial"),
        ("imports", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
