"""The kinds of personal data Gefyra holds, and who may see each (GDPR Art. 9 and 10 need a reason to be shown)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    # The value is part of a permission's codename ("privacy.see_<value>"); keep it stable.
    ORDINARY = "ordinary", _("Ordinary personal data")
    CONTACT = "contact", _("Contact details")  # ordinary, but withheld for people at risk
    HEALTH = "health", _("Health, addiction and disability (Art. 9)")
    ETHNIC_ORIGIN = "ethnic_origin", _("Ethnic origin, e.g. Roma (Art. 9)")
    GBV = "gbv", _("Gender-based violence (Art. 9)")
    CRIMINAL_RECORD = "criminal_record", _("Criminal record (Art. 10)")
    FINANCIAL = "financial", _("Finances and debts")
    LEGAL_STATUS = "legal_status", _("Legal and residence status")


# Shown to every staff member who may see the record; the others need the category's permission.
OPEN = frozenset({Category.ORDINARY, Category.CONTACT})
RESTRICTED = [c for c in Category if c not in OPEN]


def permission(category: Category) -> str:
    return f"privacy.see_{category.value}"
