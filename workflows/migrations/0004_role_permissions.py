"""Give each role group the workflow permissions of its steps; supervisors manage everything."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

# Everyone with a role sees the case flow (viewflow's queues return nothing without view_caseprocess).
EVERY_ROLE = ["view_caseprocess", "view_casetask", "view_mytask", "view_teamtask"]
ROLES = {
    "Intake officer": ["can_review_referral", "can_do_intake"],
    "Counsellor": ["can_counsel", "can_close_case"],
    "Training officer": ["can_train"],
    "Legal adviser": ["can_give_legal_advice"],
    "Accountant": ["can_support_accounting"],
    "Placement officer": ["can_place", "can_follow_up"],
}
SUPERVISOR_EXTRA = ["view_stucktask", "view_staffworkload", "view_servicelevel", "change_servicelevel"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("workflows")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="workflows")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms.filter(codename__in=EVERY_ROLE + codenames))
    supervisor, _ = Group.objects.get_or_create(name="Supervisor")
    supervisor.permissions.add(*perms.filter(content_type__model="caseprocess"))
    supervisor.permissions.add(*perms.filter(codename__in=EVERY_ROLE + SUPERVISOR_EXTRA))


class Migration(migrations.Migration):
    dependencies = [("workflows", "0003_viewflow_indexes"), ("cases", "0003_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
