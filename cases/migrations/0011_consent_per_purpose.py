import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def name_the_agencies(apps, schema_editor):
    """Consent to share "with partners" becomes consent to share with each agency that referred the person."""
    ConsentRecord = apps.get_model("cases", "ConsentRecord")
    Referral = apps.get_model("cases", "Referral")
    for record in ConsentRecord.objects.filter(sharing=True):
        agencies = Referral.objects.filter(person_id=record.person_id).values_list("agency_id", flat=True).distinct()
        ConsentRecord.objects.bulk_create([
            ConsentRecord(person_id=record.person_id, kind=record.kind, purpose="sharing", agency_id=agency,
                          method=record.method, witness=record.witness, note=record.note, at=record.at, by_id=record.by_id)
            for agency in agencies
        ])


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0010_list_orderings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='consentrecord',
            name='agency',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='consents', to='cases.agency', verbose_name='shared with'),
        ),
        migrations.AddField(
            model_name='consentrecord',
            name='evidence',
            field=models.CharField(blank=True, help_text="Where the proof is: the signed form's reference or folder, or the partner's file.", max_length=300, verbose_name='evidence'),
        ),
        migrations.AddField(
            model_name='consentrecord',
            name='purpose',
            field=models.CharField(choices=[('processing', 'Processing by the centre'), ('sharing', 'Sharing with a partner agency')], default='processing', max_length=20, verbose_name='purpose'),
        ),
        migrations.AddIndex(
            model_name='consentrecord',
            index=models.Index(fields=['person', 'purpose', 'agency', 'at'], name='consent_latest'),
        ),
        migrations.AddConstraint(
            model_name='consentrecord',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('agency__isnull', False), ('purpose', 'sharing')), models.Q(('agency__isnull', True), ('purpose', 'processing')), _connector='OR'), name='consent_sharing_names_agency', violation_error_message='Consent to share names the partner agency, and only consent to share does.'),
        ),
        migrations.RunPython(name_the_agencies, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='consentrecord',
            name='sharing',
        ),
        migrations.RemoveField(
            model_name='person',
            name='consent_sharing_at',
        ),
    ]
