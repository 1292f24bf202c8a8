from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Agency


class ReferralUploadForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Referring agency"), queryset=Agency.objects.filter(active=True))
    file = forms.FileField(label=_("File (XLSX or CSV)"))
