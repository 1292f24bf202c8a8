from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cases.models.agencies import Agency
from cases.querysets import PersonQuerySet
from cases.validators import validate_afm, validate_amka, validate_phone
from common.text import fold


class Person(models.Model):
    """A beneficiary of the centre."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        OTHER = "X", _("Other / not stated")

    class DocumentKind(models.TextChoices):
        IDENTITY_CARD = "identity_card", _("Identity card")
        PASSPORT = "passport", _("Passport")
        RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
        ASYLUM_CARD = "asylum_card", _("Asylum seeker's card")
        OTHER = "other", _("Other document")

    class Education(models.TextChoices):
        NONE = "none", _("No formal education")
        PRIMARY = "primary", _("Primary")
        LOWER_SECONDARY = "lower_secondary", _("Lower secondary (gymnasium)")
        UPPER_SECONDARY = "upper_secondary", _("Upper secondary (lyceum)")
        VOCATIONAL = "vocational", _("Vocational training (IEK)")
        TERTIARY = "tertiary", _("University / technical university")
        POSTGRADUATE = "postgraduate", _("Postgraduate")

    last_name = models.CharField(_("surname"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    father_name = models.CharField(_("father's name"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    # NULL, not "", when absent: uniqueness applies only to people who have one.
    amka = models.CharField(_("AMKA"), max_length=11, null=True, blank=True, validators=[validate_amka])  # noqa: DJ001
    afm = models.CharField(_("AFM"), max_length=9, null=True, blank=True, validators=[validate_afm])  # noqa: DJ001
    document_kind = models.CharField(_("identity document"), max_length=20, choices=DocumentKind.choices, blank=True)
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    document_expiry = models.DateField(_("document expiry"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # E.g. a GBV victim whose abuser may look for her: contact details go only to her key worker and supervisors.
    at_risk = models.BooleanField(
        _("at risk"), default=False,
        help_text=_("Phone, e-mail and address are shown only to the key worker and supervisors, and never exported."),
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    education = models.CharField(_("education level"), max_length=20, choices=Education.choices, blank=True)
    vulnerable_groups = models.ManyToManyField(
        "cases.VulnerableGroup", verbose_name=_("vulnerable groups"), blank=True, related_name="people"
    )
    consent_processing_at = models.DateTimeField(_("consent to processing given"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)
    # Accent- and case-folded names and identifiers, so "παπαδοπουλος" finds "Παπαδόπουλος".
    search_text = models.CharField(max_length=400, editable=False, db_index=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Set by privacy.erasure only: what identified the person is gone, what statistics count is kept.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "id"]  # total, as the admin needs: person_list_order serves it
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="person_list_order"),
            models.Index(fields=["document_number"], name="person_document_number"),  # searched exactly
        ]
        constraints = [
            models.UniqueConstraint(fields=["amka"], condition=Q(amka__isnull=False), name="person_amka_unique"),
            models.UniqueConstraint(fields=["afm"], condition=Q(afm__isnull=False), name="person_afm_unique"),
        ]
        permissions = [("import_person", "Can import people"), ("export_person", "Can export people")]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name}"

    def save(self, *args, **kwargs) -> None:
        self.amka = self.amka or None
        self.afm = self.afm or None
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        """Return the folded text that admin search matches against. An at-risk person's phone and e-mail are left
        out: a match on them would tell whoever searched (not only her key worker) how to reach her."""
        contact = [] if self.at_risk else [self.phone, self.email]
        parts = [self.last_name, self.first_name, self.father_name, self.amka or "", self.afm or "", *contact]
        return fold(" ".join(p for p in parts if p))[:400]  # the column's size: a long e-mail must not fail a save

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def has_processing_consent(self) -> bool:
        given, withdrawn = self.consent_processing_at, self.consent_withdrawn_at
        # Consent given again after a withdrawal counts.
        return given is not None and (withdrawn is None or withdrawn < given)

    @property
    def has_withdrawn_consent(self) -> bool:
        """The person's last word on consent was a withdrawal."""
        return self.consent_withdrawn_at is not None and not self.has_processing_consent

    def sharing_agencies(self):
        """The partner agencies the person consents, now, to the centre sharing with."""
        candidates = self.consents.filter(purpose=ConsentRecord.Purpose.SHARING).values("agency")
        return Agency.objects.filter(pk__in=[a.pk for a in Agency.objects.filter(pk__in=candidates) if self.may_share_with(a)])

    def may_share_with(self, agency) -> bool:
        """Whether anything about the person may go to `agency` (the rule is PersonQuerySet.sharing_with's)."""
        return type(self).objects.filter(pk=self.pk).sharing_with(agency).exists()

    def require_processing_consent(self) -> None:
        """Refuse to go on with a person who has not consented (or has withdrawn consent)."""
        if self.has_withdrawn_consent:
            raise ValidationError({"person": ValidationError(withdrawn_message(self.consent_withdrawn_at), code="no_consent")})
        if not self.has_processing_consent:
            message = _("A case cannot be opened for a person who has not consented to processing.")
            raise ValidationError({"person": ValidationError(message, code="no_consent")})


def withdrawn_message(withdrawn_at) -> str:
    """Say that consent was withdrawn, and when: only the person can give it again, not a partner's file."""
    return _(
        "The person withdrew their consent to processing on %(date)s; it must be given again by the person "
        "(signed form or verbal with a witness) before the centre can take them on."
    ) % {"date": timezone.localtime(withdrawn_at).strftime("%d/%m/%Y")}


class ConsentRecord(models.Model):
    """One giving, renewal or withdrawal of a person's consent to one purpose: when, how, and who recorded it.

    The purposes are processing by the centre, and sharing with one named partner agency. A person's consent to a
    purpose is the last record for it; withdrawing consent to processing also ends every consent to share.
    """

    class Kind(models.TextChoices):
        GIVEN = "given", _("Given or renewed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Purpose(models.TextChoices):
        PROCESSING = "processing", _("Processing by the centre")
        SHARING = "sharing", _("Sharing with a partner agency")

    class Method(models.TextChoices):
        SIGNED_FORM = "signed_form", _("Signed form")
        VERBAL_WITNESSED = "verbal_witnessed", _("Verbal, with a witness")
        PARTNER_DECLARATION = "partner_declaration", _("Partner agency's declaration")

    person = models.ForeignKey("cases.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.PROCESSING)
    agency = models.ForeignKey(
        "cases.Agency", verbose_name=_("shared with"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="consents",
    )
    method = models.CharField(_("how"), max_length=30, choices=Method.choices, blank=True)
    witness = models.CharField(_("witness"), max_length=200, blank=True)
    evidence = models.CharField(
        _("evidence"), max_length=300, blank=True,
        help_text=_("Where the proof is: the signed form's reference or folder, or the partner's file."),
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["person", "purpose", "agency", "at"], name="consent_latest")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="given", method=""), name="consent_given_says_how",
                violation_error_message=_("Say how the consent was given."),
            ),
            models.CheckConstraint(
                condition=~models.Q(method="verbal_witnessed", witness=""), name="consent_verbal_has_witness",
                violation_error_message=_("Verbal consent needs the name of a witness."),
            ),
            models.CheckConstraint(
                condition=models.Q(purpose="sharing", agency__isnull=False)
                | models.Q(purpose="processing", agency__isnull=True),
                name="consent_sharing_names_agency",
                violation_error_message=_("Consent to share names the partner agency, and only consent to share does."),
            ),
        ]

    def __str__(self) -> str:
        what = self.agency if self.purpose == self.Purpose.SHARING else self.get_purpose_display()
        return f"{self.get_kind_display()} · {what} · {timezone.localtime(self.at):%d/%m/%Y}"
