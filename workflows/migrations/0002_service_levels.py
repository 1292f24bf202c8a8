"""Seed the service levels with the centre's defaults (working days per step); supervisors edit them in the admin."""
from django.db import migrations

DEFAULTS = {
    "referral_review": 2, "intake": 5, "counselling": 10, "training": 40, "legal_advice": 15,
    "accounting": 10, "placement": 20, "follow_up": 5,
}


def seed(apps, schema_editor):
    ServiceLevel = apps.get_model("workflows", "ServiceLevel")
    for step, days in DEFAULTS.items():
        ServiceLevel.objects.get_or_create(step=step, defaults={"working_days": days, "claim_within_days": 1})


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
