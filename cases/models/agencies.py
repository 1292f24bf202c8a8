from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.validators import validate_phone


class VulnerableGroup(models.Model):
    """A fixed vocabulary (seeded by migration): the groups the centre is funded to serve."""

    class Category(models.TextChoices):
        # The same values as privacy.categories.Category (cases may not import privacy; a test keeps them equal).
        ORDINARY = "ordinary", _("Ordinary personal data")
        HEALTH = "health", _("Health, addiction and disability (Art. 9)")
        ETHNIC_ORIGIN = "ethnic_origin", _("Ethnic origin, e.g. Roma (Art. 9)")
        GBV = "gbv", _("Gender-based violence (Art. 9)")
        CRIMINAL_RECORD = "criminal_record", _("Criminal record (Art. 10)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=120)
    label_en = models.CharField(_("English label"), max_length=120)
    # Membership of some groups is itself Art. 9/10 data: only roles allowed this category see it.
    category = models.CharField(_("data category"), max_length=20, choices=Category.choices, default=Category.ORDINARY)

    class Meta:
        verbose_name = _("vulnerable group")
        verbose_name_plural = _("vulnerable groups")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Agency(models.Model):
    """A partner organisation that refers people to the centre."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        SHELTER = "shelter", _("Shelter")
        SOCIAL_SERVICE = "social_service", _("Municipal social service")
        COMMUNITY_CENTRE = "community_centre", _("Community centre")
        MIGRANT_CENTRE = "migrant_centre", _("Migrant integration centre")
        PRISON_SERVICE = "prison_service", _("Prison social service")
        ADDICTION_SERVICE = "addiction_service", _("Addiction service")
        MENTAL_HEALTH = "mental_health", _("Mental-health service")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=20, unique=True, help_text=_("Short code used in imports, e.g. KK-CHIOS."))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.NGO)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
