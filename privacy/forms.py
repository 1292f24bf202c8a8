from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LookupForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, min_length=3)
    amka = forms.RegexField(label=_("AMKA"), regex=r"^\d{11}$", required=False,
                            error_messages={"invalid": _("An AMKA has 11 digits.")})


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need this person's file?"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the person phoned the centre. Access lasts until midnight, is recorded, and "
                    "supervisors see it the next morning."),
    )


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("The person's request"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When and how the person asked, and the request's reference. It is recorded."),
    )
    confirm = forms.BooleanField(label=_("I understand that the person's data will be anonymised at once and for good."))
