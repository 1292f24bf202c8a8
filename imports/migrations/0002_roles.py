"""Let the people who import see (and revert) import batches; supervisors also see the export log."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Intake officer": ["view_importbatch", "view_rejectedrow", "revert_importbatch"],
    "Supervisor": ["view_importbatch", "view_rejectedrow", "revert_importbatch", "view_exportrecord"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; this migration needs them now.
    app_config = apps.get_app_config("imports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="imports", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_initial"), ("cases", "0003_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
