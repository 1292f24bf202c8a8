"""The form of each step, shown on the task page; `submit` calls that step's one service."""
from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cases.models import AccountingSupport, Case, Employer, LegalAdvice, NeedsAssessment, Placement, Vacancy
from workflows import steps

REASON = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[("accept", _("Accept")), ("decline", _("Decline")), ("duplicate", _("Duplicate of an existing case"))],
    )
    reason = forms.CharField(
        label=_("Reason for declining (sent to the agency)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    duplicate_of = forms.ModelChoiceField(
        label=_("Existing case number"), queryset=Case.objects.all(), required=False, widget=forms.NumberInput
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for declining: it is sent back to the agency."))
        if data.get("decision") == "duplicate" and not data.get("duplicate_of"):
            self.add_error("duplicate_of", _("Give the number of the existing case."))
        return data

    def submit(self, *, task, by) -> None:
        decision = self.cleaned_data["decision"]
        if decision == "accept":
            steps.referral_accept(task=task, by=by)
        elif decision == "decline":
            steps.referral_decline(task=task, by=by, reason=self.cleaned_data["reason"])
        else:
            steps.referral_duplicate(task=task, by=by, of_case=self.cleaned_data["duplicate_of"])


class IntakeForm(forms.ModelForm):
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

    def submit(self, *, task, by) -> None:
        outcome = self.cleaned_data["outcome"]
        if outcome == "no_show":
            steps.intake_no_show(task=task, by=by)
        elif outcome == "lost_contact":
            steps.intake_lost_contact(task=task, by=by, reason=self.cleaned_data["reason"] or str(_("No-shows")))
        else:
            assessment = {name: self.cleaned_data[name] for name in self.Meta.fields}
            steps.intake_complete(task=task, by=by, identity_confirmed=True, consent_confirmed=True, assessment=assessment)


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

    def submit(self, *, task, by) -> None:
        steps.plan_agree(task=task, by=by, person_agreed=True, goals=[self.goal()], notes=self.cleaned_data["notes"])


class ServiceForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))
    detail_fields: list[str] = []

    def submit(self, *, task, by) -> None:
        details = {name: self.cleaned_data[name] for name in self.detail_fields}
        steps.service_complete(task=task, by=by, outcome=self.cleaned_data["outcome"], details=details)


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


class PlacementForm(forms.Form):
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

    def submit(self, *, task, by) -> None:
        data = self.cleaned_data
        if data["decision"] == "not_ready":
            steps.placement_not_ready(task=task, by=by, reason=data["reason"])
            return
        placement = Placement(
            employer=data["employer"], vacancy=data["vacancy"], start_date=data["start_date"],
            contract_type=data["contract_type"], hours_per_week=data["hours_per_week"] or 40,
        )
        steps.placement_make(task=task, by=by, placement=placement)


class FollowUpForm(forms.Form):
    still_employed = forms.TypedChoiceField(
        label=_("Still employed?"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes")), ("no", _("No: the job was lost"))],
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def submit(self, *, task, by) -> None:
        steps.follow_up_record(task=task, by=by, still_employed=self.cleaned_data["still_employed"],
                               notes=self.cleaned_data["notes"])


STEP_FORMS = {
    "referral_review": ReviewForm, "intake": IntakeForm, "counselling": PlanForm, "training": TrainingForm,
    "legal_advice": LegalAdviceForm, "accounting": AccountingForm, "placement": PlacementForm,
    "follow_up": FollowUpForm,
}


class ReassignForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Reassign to"), queryset=get_user_model().objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, permission: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = staff_with_permission(permission)


def staff_with_permission(permission: str | None):
    """Active staff whose groups grant `permission` ("app.codename"): the members of a step's group."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True).order_by("last_name", "first_name")
    if not permission:
        return users.none()
    app_label, codename = permission.split(".", 1)
    return users.filter(
        groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label
    ).distinct()


class WithdrawForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Close the case as"), choices=[(Case.Outcome.WITHDREW, Case.Outcome.WITHDREW.label),
                                            (Case.Outcome.LOST_CONTACT, Case.Outcome.LOST_CONTACT.label)],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
