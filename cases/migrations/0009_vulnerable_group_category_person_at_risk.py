from django.db import migrations, models


# Which groups' membership is Art. 9 or Art. 10 data; the rest are ordinary.
CATEGORIES = {
    "gbv": "gbv",
    "roma": "ethnic_origin",
    "recovered_addiction": "health",
    "mental_illness": "health",
    "autism": "health",
    "disability": "health",
    "ex_prisoner": "criminal_record",
}


def set_categories(apps, schema_editor):
    VulnerableGroup = apps.get_model("cases", "VulnerableGroup")
    for code, category in CATEGORIES.items():
        VulnerableGroup.objects.filter(code=code).update(category=category)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_key_worker_on_the_timeline'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='at_risk',
            field=models.BooleanField(default=False, help_text='Phone, e-mail and address are shown only to the key worker and supervisors, and never exported.', verbose_name='at risk'),
        ),
        migrations.AddField(
            model_name='vulnerablegroup',
            name='category',
            field=models.CharField(choices=[('ordinary', 'Ordinary personal data'), ('health', 'Health, addiction and disability (Art. 9)'), ('ethnic_origin', 'Ethnic origin, e.g. Roma (Art. 9)'), ('gbv', 'Gender-based violence (Art. 9)'), ('criminal_record', 'Criminal record (Art. 10)')], default='ordinary', max_length=20, verbose_name='data category'),
        ),
        migrations.RunPython(set_categories, migrations.RunPython.noop),
    ]
