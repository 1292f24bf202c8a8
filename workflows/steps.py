"""Each human step of a case, declared once.

The flow builds its nodes from these, the queues and service levels list them, the case's stage is read from
them, the task page shows their form and calls their service, and the demo data fills them in. A new service
(a fourth branch beside training, legal advice and accounting) is one more entry in SERVICES, plus the goal's
flag and the model it records.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.roles import Role

Stage = Case.Stage


@dataclass(frozen=True)
class Step:
    name: str  # the flow node's name, also stored in service levels: renaming needs a data migration
    label: Promise
    permission: str  # codename of the workflows permission that lets a role do the step
    role: Role  # the role whose group holds `permission`
    stage: str | None  # the case stage an open task of this step stands for; None: beside the stages
    days: int  # default service level, in working days
    # Dotted paths, resolved on use: the forms and services import the flow, which imports this module.
    form: str
    service: str
    goal_flag: str = ""  # service branches: the plan goal's flag that asks for this service
    model: str = ""  # service branches: the cases model the step records

    @cached_property
    def form_class(self):
        return import_string(self.form)

    @cached_property
    def complete(self):
        """The service that completes the step, called with the form's cleaned data."""
        return import_string(self.service)

    @property
    def node(self):
        from workflows.flows import CaseFlow

        return getattr(CaseFlow, self.name)


FORMS, SERVICES_OF = "workflows.forms", "workflows.step_services"

REFERRAL_REVIEW = Step(
    "referral_review", _("Referral review"), "can_review_referral", Role.INTAKE_OFFICER, Stage.REFERRAL_REVIEW, 2,
    f"{FORMS}.ReviewForm", f"{SERVICES_OF}.referral_review_complete",
)
INTAKE = Step(
    "intake", _("Intake"), "can_do_intake", Role.INTAKE_OFFICER, Stage.INTAKE, 5,
    f"{FORMS}.IntakeForm", f"{SERVICES_OF}.intake_record",
)
COUNSELLING = Step(
    "counselling", _("Counselling and action plan"), "can_counsel", Role.COUNSELLOR, Stage.COUNSELLING, 10,
    f"{FORMS}.PlanForm", f"{SERVICES_OF}.plan_agree",
)
SERVICES = (
    Step("training", _("Training"), "can_train", Role.TRAINING_OFFICER, Stage.SERVICES, 40,
         f"{FORMS}.TrainingForm", f"{SERVICES_OF}.service_complete", "needs_training", "TrainingEnrolment"),
    Step("legal_advice", _("Legal advice"), "can_give_legal_advice", Role.LEGAL_ADVISER, Stage.SERVICES, 15,
         f"{FORMS}.LegalAdviceForm", f"{SERVICES_OF}.service_complete", "needs_legal_advice", "LegalAdvice"),
    Step("accounting", _("Accounting support"), "can_support_accounting", Role.ACCOUNTANT, Stage.SERVICES, 10,
         f"{FORMS}.AccountingForm", f"{SERVICES_OF}.service_complete", "needs_accounting", "AccountingSupport"),
)
PLACEMENT = Step(
    "placement", _("Placement"), "can_place", Role.PLACEMENT_OFFICER, Stage.PLACEMENT, 20,
    f"{FORMS}.PlacementForm", f"{SERVICES_OF}.placement_decide",
)
FOLLOW_UP = Step(
    "follow_up", _("Follow-up"), "can_follow_up", Role.PLACEMENT_OFFICER, Stage.FOLLOW_UP, 5,
    f"{FORMS}.FollowUpForm", f"{SERVICES_OF}.follow_up_record",
)
CONSIDER_REFERRAL = Step(
    "consider_referral", _("New referral to consider"), "can_counsel", Role.COUNSELLOR, None, 5,
    f"{FORMS}.ConsiderReferralForm", f"{SERVICES_OF}.referral_consider",
)

STEPS: tuple[Step, ...] = (REFERRAL_REVIEW, INTAKE, COUNSELLING, *SERVICES, PLACEMENT, FOLLOW_UP, CONSIDER_REFERRAL)
BY_NAME = {step.name: step for step in STEPS}

# The flow's waiting points (not human steps) and the stage a case waiting there is at.
WAITING_STAGES = {"services_done": Stage.SERVICES, "follow_up_wait": Stage.FOLLOW_UP}
STAGE_OF_NODE = {**{s.name: s.stage for s in STEPS if s.stage}, **WAITING_STAGES}
