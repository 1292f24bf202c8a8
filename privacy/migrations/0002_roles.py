"""The data-protection officer's group; each role's sensitive categories; supervisors see every case; both read
the break-glass list."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

ALL = ["see_health", "see_ethnic_origin", "see_gbv", "see_criminal_record", "see_financial", "see_legal_status"]
GRANTS = {
    # Intake officers record the needs assessment and counsellors plan with the whole person: they see it all.
    "Intake officer": ALL,
    "Counsellor": ALL,
    "Legal adviser": ["see_legal_status", "see_criminal_record", "see_financial"],
    "Accountant": ["see_financial"],
    "Training officer": [],
    "Placement officer": [],
    "Supervisor": [*ALL, "see_all_cases", "view_accessgrant"],
    "Data protection officer": [*ALL, "view_accessgrant"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("privacy")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="privacy", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial"), ("cases", "0008_key_worker_on_the_timeline")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
