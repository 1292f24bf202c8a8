"""Which category of personal data every field of our models holds, and what a given user may see of it."""
from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import QuerySet

from privacy.categories import OPEN, Category, permission

# The apps whose models must classify every field (the audit app's, once it is installed).
OUR_APPS = ("cases", "workflows", "imports", "exports", "privacy", "audit")

ORDINARY = Category.ORDINARY
CONTACT = Category.CONTACT
HEALTH = Category.HEALTH
FINANCIAL = Category.FINANCIAL
LEGAL_STATUS = Category.LEGAL_STATUS

# Shown only to an at-risk person's key worker and supervisors, and never exported.
AT_RISK_CONTACT = ("phone", "email", "address")

# Per concrete model, category -> its fields (space-separated, the model's own fields: a child of a multi-table
# parent lists only what it adds). Every field is named, so a field added later fails the check until classified.
REGISTRY: dict[str, dict[Category, str]] = {
    "cases.VulnerableGroup": {ORDINARY: "id code label label_en category"},
    "cases.Agency": {ORDINARY: "id code name kind contact_person email phone active"},  # an organisation's office
    "cases.Appointment": {ORDINARY: "id person case staff kind scheduled_at status"},
    "cases.ContactNote": {ORDINARY: "id case kind text confidential written_by written_at"},
    "cases.NoteCorrection": {
        ORDINARY: "id note previous_kind previous_text previous_confidential corrected_at corrected_by",
    },
    "cases.Employer": {ORDINARY: "id afm name sector contact_person email phone address"},
    "cases.Vacancy": {ORDINARY: "id employer title positions requirements status posted_on"},
    "cases.Placement": {
        ORDINARY: "id case employer vacancy start_date contract_type hours_per_week end_date end_reason",
    },
    "cases.FollowUp": {ORDINARY: "id placement months due_on done_on still_employed notes done_by"},
    "cases.Case": {ORDINARY: "id person key_worker stage opened_on closed_on outcome"},
    "cases.CaseEvent": {ORDINARY: "id case at by action from_stage to_stage reason"},
    "cases.NeedsAssessment": {
        ORDINARY: "id case employment_history skills languages digital_skills housing housing_notes childcare "
        "assessed_on assessed_by",
        HEALTH: "health addiction",
        FINANCIAL: "finances",
        LEGAL_STATUS: "legal_status",
    },
    "cases.ActionPlan": {ORDINARY: "id case agreed_on notes created_by updated_at"},
    "cases.Goal": {
        ORDINARY: "id plan text agreed_on target_date status needs_training needs_legal_advice needs_accounting",
    },
    "cases.Person": {
        # vulnerable_groups mixes categories: each group carries its own (see visible_groups).
        ORDINARY: "id last_name first_name father_name birth_date sex amka afm document_kind document_number "
        "document_expiry at_risk municipality nationality languages education vulnerable_groups "
        "consent_processing_at consent_withdrawn_at search_text created_at updated_at anonymised_at",
        CONTACT: " ".join(AT_RISK_CONTACT),
    },
    "cases.ConsentRecord": {ORDINARY: "id person kind purpose agency method witness evidence note at by"},
    "cases.Referral": {
        ORDINARY: "id agency agency_ref person case referral_date reason referrer_name referrer_phone "
        "referrer_email status decline_reason decided_at decided_by created_at",
    },
    "cases.Service": {ORDINARY: "id case kind status started_on completed_on outcome"},
    "cases.TrainingEnrolment": {ORDINARY: "service_ptr course provider hours_planned hours_attended certificate"},
    # A legal topic may be a criminal record; the legal adviser's categories cover both.
    "cases.LegalAdvice": {ORDINARY: "service_ptr", LEGAL_STATUS: "topic"},
    "cases.AccountingSupport": {ORDINARY: "service_ptr", FINANCIAL: "topic"},
    "cases.ServiceSession": {ORDINARY: "id service held_on held_by minutes notes"},
    "workflows.CaseProcess": {ORDINARY: "process_ptr case referral"},
    "workflows.ServiceLevel": {ORDINARY: "id step working_days claim_within_days updated_at updated_by"},
    "imports.ImportBatch": {
        ORDINARY: "id agency created_by created_at file_name checksum file_format encoding delimiter headers dry_run "
        "status rows created duplicates rejected people_created people_matched reopened updated_people reverted_at "
        "reverted_by people referrals cases consents",
    },
    # The partner's raw row, kept to show why it was refused: only the intake officers' import pages show it.
    "imports.RejectedRow": {ORDINARY: "id batch row_number values errors"},
    "imports.EarlierRowKey": {ORDINARY: "id batch key row_number"},
    "exports.ExportRecord": {ORDINARY: "id user at model file_format rows filters"},
    "privacy.SensitiveData": {ORDINARY: "id"},
    "privacy.AccessGrant": {ORDINARY: "id user person reason granted_at day"},
    "privacy.LegalHold": {ORDINARY: "id case reason placed_by placed_at"},
    "privacy.CaseMember": {ORDINARY: "id case person user permission"},
    # Seen only by supervisors and the data-protection officer, who see every category.
    "audit.AccessEvent": {ORDINARY: "id at user_id username remote_addr action model object_id person_id terms filters count path details"},
}


def our_models() -> list[type[models.Model]]:
    """Return the concrete models of our installed apps (proxies share their model's fields)."""
    return [
        model
        for label in OUR_APPS
        if apps.is_installed(label)
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy
    ]


def own_fields(model: type[models.Model]) -> list[str]:
    """Return the names of the fields the model itself declares (incl. many-to-many and the parent link)."""
    return [f.name for f in (*model._meta.local_fields, *model._meta.local_many_to_many)]


def unclassified(model: type[models.Model]) -> list[str]:
    declared = {name for names in REGISTRY.get(model._meta.label, {}).values() for name in names.split()}
    return [name for name in own_fields(model) if name not in declared]


def categories(model: type[models.Model]) -> dict[str, Category]:
    """Return field -> category for the model, its multi-table parents' fields included."""
    found: dict[str, Category] = {}
    for klass in reversed(model._meta.concrete_model._meta.get_parent_list()):
        found |= _declared(klass)
    return found | _declared(model._meta.concrete_model)


def _declared(model: type[models.Model]) -> dict[str, Category]:
    return {name: c for c, names in REGISTRY.get(model._meta.label, {}).items() for name in names.split()}


def may_see(user, category: Category | str) -> bool:
    category = Category(category)
    return category in OPEN or user.has_perm(permission(category))


def hidden_fields(user, model: type[models.Model]) -> set[str]:
    """Return the fields of the model whose category the user may not see (for any row)."""
    hidden = {name for name, category in categories(model).items() if not may_see(user, category)}
    # A whole list of groups (a history entry, a column) would show the restricted ones too.
    if model._meta.label == "cases.Person" and not sees_every_group(user):
        hidden.add("vulnerable_groups")
    return hidden


def may_see_contact(user, person) -> bool:
    """An at-risk person's contact details are for her key worker and supervisors only."""
    if not person.at_risk or user.has_perm("privacy.see_all_cases"):
        return True
    return person.cases.filter(key_worker=user).exists()


def hidden_fields_of(user, obj: models.Model) -> set[str]:
    """Return the fields of this row the user may not see: its model's, and an at-risk person's contact details."""
    hidden = hidden_fields(user, type(obj))
    if obj._meta.label == "cases.Person" and not may_see_contact(user, obj):
        hidden |= set(AT_RISK_CONTACT)
    return hidden


def visible_groups(user, person_or_queryset) -> QuerySet:
    """Return the person's vulnerable groups (or those of a queryset of groups) whose category the user may see."""
    groups = person_or_queryset
    if not isinstance(groups, QuerySet):
        groups = groups.vulnerable_groups.all()
    return groups.filter(category__in=[c for c in Category if may_see(user, c)])


def sees_every_group(user) -> bool:
    """The user may see membership of every vulnerable group (so a filter by group reveals nothing new)."""
    return all(may_see(user, value) for value in apps.get_model("cases", "VulnerableGroup").Category.values)
