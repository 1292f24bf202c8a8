"""The form of each step, shown on the task page; the page calls the step's service with `arguments()`."""
from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cases.models import AccountingSupport, Case, Employer, LegalAdvice, NeedsAssessment, Placement, Vacancy
from cases.services import key_workers, staff_with_permission
from common.text import staff_name
from workflows.models import CaseProcess

REASON = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StepForm(forms.Form):
    def arguments(self) -> dict:
        """The keyword arguments of the step's service."""
        return dict(self.cleaned_data)


class StaffChoiceField(forms.ModelChoiceField):
    """A choice of staff members, shown by their names."""

    def label_from_instance(self, user) -> str:
        return staff_name(user)


class ReviewForm(StepForm):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=CaseProcess.Decision.choices)
    reason = forms.CharField(
        label=_("Reason for declining (sent to the agency)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    duplicate_of = forms.ModelChoiceField(
        label=_("Existing case number"), queryset=Case.objects.all(), required=False, widget=forms.NumberInput
    )
    key_worker = StaffChoiceField(
        label=_("Key worker"), queryset=get_user_model().objects.none(), required=False,
        help_text=_("The counsellor who will follow the person, if accepted. Left empty, whoever agrees the action plan "
                    "with the person becomes the key worker."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_worker"].queryset = key_workers()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for declining: it is sent back to the agency."))
        if data.get("decision") == "duplicate" and not data.get("duplicate_of"):
            self.add_error("duplicate_of", _("Give the number of the existing case."))
        return data


class IntakeForm(StepForm, forms.ModelForm):
    outcome = forms.ChoiceField(
        label=_("Appointment"), widget=forms.RadioSelect,
        choices=[("held", _("Held")), ("no_show", _("The person did not come")),
                 ("lost_contact", _("Close as lost contact (after 3 no-shows)"))],
    )
    identity_confirmed = forms.BooleanField(label=_("Identity document seen"), required=False)
    consent_confirmed = forms.BooleanField(label=_("Consent confirmed with the person"), required=False)
    reason = REASON

    class Meta:
        model = NeedsAssessment
        fields = ["employment_history", "skills", "languages", "digital_skills", "housing", "health", "finances",
                  "legal_status", "childcare"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in
                   ["employment_history", "skills", "languages", "health", "finances", "legal_status", "childcare"]}

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "held" and not (data.get("identity_confirmed") and data.get("consent_confirmed")):
            raise forms.ValidationError(_("Confirm the person's identity and consent before completing the intake."))
        return data


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}))
    target_date = forms.DateField(label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    needs_training = forms.BooleanField(label=_("Needs training"), required=False)
    needs_legal_advice = forms.BooleanField(label=_("Needs legal advice"), required=False)
    needs_accounting = forms.BooleanField(label=_("Needs accounting support"), required=False)

    def goal(self) -> dict:
        return {k: self.cleaned_data[k] for k in ["text", "target_date", "needs_training", "needs_legal_advice", "needs_accounting"]}


class PlanForm(GoalForm):
    person_agreed = forms.BooleanField(label=_("The person agrees with the plan"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def arguments(self) -> dict:
        return {"person_agreed": True, "goals": [self.goal()], "notes": self.cleaned_data["notes"]}


class ServiceForm(StepForm):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))
    detail_fields: list[str] = []

    def arguments(self) -> dict:
        details = {name: self.cleaned_data[name] for name in self.detail_fields}
        return {"outcome": self.cleaned_data["outcome"], "details": details}


class TrainingForm(ServiceForm):
    course = forms.CharField(label=_("Course"), max_length=200)
    provider = forms.CharField(label=_("Provider"), max_length=200, required=False)
    hours_planned = forms.IntegerField(label=_("Hours planned"), min_value=0, initial=0, required=False)
    hours_attended = forms.IntegerField(label=_("Hours attended"), min_value=0, initial=0, required=False)
    certificate = forms.CharField(label=_("Certificate"), max_length=200, required=False)
    detail_fields = ["course", "provider", "hours_planned", "hours_attended", "certificate"]

    def clean(self):
        data = super().clean()
        for name in ["hours_planned", "hours_attended"]:
            data[name] = data.get(name) or 0
        return data


class LegalAdviceForm(ServiceForm):
    topic = forms.ChoiceField(label=_("Topic"), choices=LegalAdvice.Topic.choices)
    detail_fields = ["topic"]


class AccountingForm(ServiceForm):
    topic = forms.ChoiceField(label=_("Topic"), choices=AccountingSupport.Topic.choices)
    detail_fields = ["topic"]


class PlacementForm(StepForm):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[("placed", _("Placed with an employer")), ("not_ready", _("Not ready: back to counselling"))],
    )
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Employer.objects.all(), required=False)
    vacancy = forms.ModelChoiceField(label=_("Vacancy"), queryset=Vacancy.objects.filter(status="open"), required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    contract_type = forms.ChoiceField(label=_("Contract"), choices=Placement.Contract.choices, required=False)
    hours_per_week = forms.IntegerField(label=_("Hours per week"), min_value=1, initial=40, required=False)
    reason = REASON

    def clean(self):
        data = super().clean()
        if data.get("decision") == "placed":
            for name in ["employer", "start_date", "contract_type"]:
                if not data.get(name):
                    self.add_error(name, _("Required for a placement."))
        elif data.get("decision") == "not_ready" and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the person is not ready."))
        return data

    def arguments(self) -> dict:
        data = dict(self.cleaned_data)
        if data["decision"] == "not_ready":
            return {"decision": data["decision"], "reason": data["reason"]}
        return {**data, "hours_per_week": data["hours_per_week"] or 40}


class FollowUpForm(StepForm):
    still_employed = forms.TypedChoiceField(
        label=_("Still employed?"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes")), ("no", _("No: the job was lost"))],
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConsiderReferralForm(StepForm):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[(CaseProcess.Decision.ACCEPT, _("Take the new need into the work with the person")),
                 (CaseProcess.Decision.DECLINE, _("Decline it"))],
    )
    reason = forms.CharField(
        label=_("Notes (the reason, if declined: it is sent back to the agency)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == CaseProcess.Decision.DECLINE and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for declining: it is sent back to the agency."))
        return data


class ReassignForm(forms.Form):
    to = StaffChoiceField(label=_("Reassign to"), queryset=get_user_model().objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, permission: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = staff_with_permission(permission)


class WithdrawForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Close the case as"), choices=[(Case.Outcome.WITHDREW, Case.Outcome.WITHDREW.label),
                                            (Case.Outcome.LOST_CONTACT, Case.Outcome.LOST_CONTACT.label)],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
