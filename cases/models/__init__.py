"""The job centre's domain: who is referred, by whom, and what the centre does with them."""
from .agencies import Agency, VulnerableGroup
from .contacts import Appointment, ContactNote, NoteCorrection
from .employment import Employer, FollowUp, Placement, Vacancy
from .journeys import ActionPlan, Case, CaseEvent, Goal, NeedsAssessment
from .people import ConsentRecord, Person
from .referrals import Referral
from .support import AccountingSupport, LegalAdvice, Service, ServiceSession, TrainingEnrolment

__all__ = [
    "AccountingSupport", "ActionPlan", "Agency", "Appointment", "Case", "CaseEvent", "ConsentRecord", "ContactNote",
    "Employer", "FollowUp", "Goal", "LegalAdvice", "NeedsAssessment", "NoteCorrection", "Person", "Placement", "Referral",
    "Service", "ServiceSession", "TrainingEnrolment", "Vacancy", "VulnerableGroup",
]
