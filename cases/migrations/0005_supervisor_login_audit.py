"""Supervisors read the login audit (axes) and unlock locked-out colleagues."""
from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    axes = apps.get_app_config("axes")
    axes.models_module = True
    create_permissions(axes, apps=apps, verbosity=0)
    axes.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    supervisor = Group.objects.get(name="Supervisor")
    supervisor.permissions.add(*Permission.objects.filter(
        content_type__app_label="axes", codename__in=["view_accessattempt", "delete_accessattempt", "view_accesslog"]
    ))


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_admin_theme"), ("axes", "0009_add_session_hash")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
