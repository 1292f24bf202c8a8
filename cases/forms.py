"""Forms the domain's admin needs beyond the model's own."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.models import Agency, ConsentRecord, Person

# Given to the centre by the person; a partner agency's declaration comes only with an import.
IN_PERSON = [ConsentRecord.Method.SIGNED_FORM, ConsentRecord.Method.VERBAL_WITNESSED]


class PersonForm(forms.ModelForm):
    """The person's details, and a section to record their consent now (the admin calls consent_give)."""

    record_consent = forms.BooleanField(
        label=_("Record consent now"), required=False,
        help_text=_("The person gives, or renews, their consent to processing today."),
    )
    consent_method = forms.ChoiceField(
        label=_("How"), required=False, choices=[("", "---------"), *[(m.value, m.label) for m in IN_PERSON]]
    )
    consent_witness = forms.CharField(label=_("Witness"), max_length=200, required=False)
    consent_evidence = forms.CharField(
        label=_("Evidence"), max_length=300, required=False,
        help_text=_("Where the proof is: the signed form's reference or folder."),
    )
    consent_share_with = forms.ModelMultipleChoiceField(
        label=_("Also consents to sharing with"), queryset=Agency.objects.filter(active=True), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Only these partner agencies may be told anything about the person."),
    )
    stop_sharing_with = forms.ModelMultipleChoiceField(
        label=_("No longer consents to sharing with"), queryset=Agency.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Takes effect at once, and is recorded."),
    )

    class Meta:
        model = Person
        fields = [
            "last_name", "first_name", "father_name", "birth_date", "sex", "amka", "afm", "document_kind",
            "document_number", "document_expiry", "phone", "email", "address", "municipality", "nationality",
            "languages", "education", "vulnerable_groups",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["stop_sharing_with"].queryset = self.instance.sharing_agencies()

    def clean(self):
        data = super().clean()
        if data.get("record_consent"):
            # The consent record's own constraints say what it needs: how it was given, a witness if verbal.
            try:
                ConsentRecord(kind=ConsentRecord.Kind.GIVEN, **self.consent()).validate_constraints()
            except ValidationError as exc:
                self.add_error(None, exc)
        elif data.get("consent_share_with"):
            self.add_error("consent_share_with", _("Consent to share is recorded with the person's consent: tick "
                                                  "\"Record consent now\" and say how it was given."))
        return data

    def consent(self) -> dict:
        """The consent to record, as consent_give's keyword arguments."""
        data = self.cleaned_data
        return {"method": data.get("consent_method", ""), "witness": data.get("consent_witness", "").strip(),
                "evidence": data.get("consent_evidence", "").strip()}
