"""Create the staff groups and give each the permissions its work needs."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ALL = [
    "agency", "person", "referral", "case", "caseevent", "needsassessment", "actionplan", "goal", "service",
    "trainingenrolment", "legaladvice", "accountingsupport", "servicesession", "employer", "vacancy",
    "placement", "followup", "appointment", "contactnote", "vulnerablegroup",
]
EVERY_STAFF = ["add_appointment", "change_appointment", "add_contactnote", "change_contactnote"]
ROLES = {
    "Intake officer": [
        "add_person", "change_person", "add_referral", "change_referral", "add_case", "change_case",
        "add_needsassessment", "change_needsassessment", "import_person", "import_referral",
    ],
    "Counsellor": [
        "change_person", "change_case", "add_needsassessment", "change_needsassessment",
        "add_actionplan", "change_actionplan", "add_goal", "change_goal", "delete_goal",
    ],
    "Training officer": [
        "add_trainingenrolment", "change_trainingenrolment", "add_servicesession", "change_servicesession",
    ],
    "Legal adviser": ["add_legaladvice", "change_legaladvice", "add_servicesession", "change_servicesession"],
    "Accountant": [
        "add_accountingsupport", "change_accountingsupport", "add_servicesession", "change_servicesession",
    ],
    "Placement officer": [
        "add_employer", "change_employer", "add_vacancy", "change_vacancy", "add_placement", "change_placement",
        "add_followup", "change_followup",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate; this migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    cases_perms = Permission.objects.filter(content_type__app_label="cases")
    common = [f"view_{m}" for m in VIEW_ALL] + EVERY_STAFF
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*cases_perms.filter(codename__in=common + codenames))
    supervisor, _ = Group.objects.get_or_create(name="Supervisor")
    supervisor.permissions.add(
        *cases_perms, *Permission.objects.filter(content_type__app_label="auth", codename__in=["view_user", "view_group"])
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_vulnerable_groups"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
