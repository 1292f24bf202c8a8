from django.db import migrations

GROUPS = [
    ("homeless", "Άστεγος/η", "Homeless"),
    ("gmi", "Δικαιούχος ΕΕΕ (Ελάχιστο Εγγυημένο Εισόδημα)", "Minimum guaranteed income beneficiary"),
    ("gbv", "Θύμα έμφυλης βίας", "Victim of gender-based violence"),
    ("recovered_addiction", "Απεξαρτημένος/η", "Recovered from addiction"),
    ("ex_prisoner", "Αποφυλακισμένος/η", "Ex-prisoner"),
    ("mental_illness", "Άτομο με ψυχική νόσο", "Person living with mental illness"),
    ("autism", "Άτομο με λειτουργικό αυτισμό", "Person with high-functioning autism"),
    ("refugee", "Πρόσφυγας", "Refugee"),
    ("migrant", "Μετανάστης/τρια", "Migrant"),
    ("young_unemployed", "Άνεργος/η νέος/α", "Young unemployed person"),
    ("over_50", "Άνω των 50", "Over 50"),
    ("unemployed_woman", "Άνεργη γυναίκα", "Unemployed woman"),
    ("single_parent", "Αρχηγός μονογονεϊκής οικογένειας", "Single parent"),
    ("roma", "Ρομά", "Roma"),
    ("disability", "ΑμεΑ", "Person with disability"),
]


def seed(apps, schema_editor):
    VulnerableGroup = apps.get_model("cases", "VulnerableGroup")
    for code, label, label_en in GROUPS:
        VulnerableGroup.objects.update_or_create(code=code, defaults={"label": label, "label_en": label_en})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
