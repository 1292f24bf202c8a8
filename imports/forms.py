from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Agency
from imports.reading import too_large


class ReferralUploadForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Referring agency"), queryset=Agency.objects.filter(active=True))
    file = forms.FileField(label=_("File (XLSX, XLS, ODS or CSV)"))

    def __init__(self, *args, upload_refused: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_refused = upload_refused

    def clean(self):
        if self.upload_refused:  # stopped by imports.uploads while it streamed in
            self.errors.pop("file", None)
            raise forms.ValidationError({"file": too_large()})
        return super().clean()
