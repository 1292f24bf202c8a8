"""Supervisors may reset a colleague's second factor (a lost phone): the user list's recorded action."""
from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("otp_totp")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Supervisor")
    group.permissions.add(Permission.objects.get(content_type__app_label="otp_totp", codename="delete_totpdevice"))


class Migration(migrations.Migration):
    dependencies = [("otp_totp", "0003_add_timestamps"), ("cases", "0003_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
