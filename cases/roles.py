"""Staff roles: each is a Django group, created with its permissions by migration."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The value is the group's name in the database; keep it stable (migrations refer to it).
    INTAKE_OFFICER = "Intake officer", _("Intake officer")
    COUNSELLOR = "Counsellor", _("Counsellor")
    TRAINING_OFFICER = "Training officer", _("Training officer")
    LEGAL_ADVISER = "Legal adviser", _("Legal adviser")
    ACCOUNTANT = "Accountant", _("Accountant")
    PLACEMENT_OFFICER = "Placement officer", _("Placement officer")
    SUPERVISOR = "Supervisor", _("Supervisor")
    DATA_PROTECTION_OFFICER = "Data protection officer", _("Data protection officer")
