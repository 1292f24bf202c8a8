"""Column mappings for exports (django-import-export): which fields, in which order, under which name.

Imports do not go through these: partner files need header aliases, Windows-1253 and `;` detection, Excel's
dates and numbers cleaned, duplicates inside one file refused, all-or-nothing with every row's errors, and bulk
matching of known people; ModelResource does none of these well, so imports/ reads and writes partner files itself.
"""
from __future__ import annotations

from import_export import fields, resources, widgets

from cases.models import Case, FollowUp, Person, Placement, Referral, VulnerableGroup


class PersonResource(resources.ModelResource):
    nationality = fields.Field(attribute="nationality", column_name="nationality")
    vulnerable_groups = fields.Field(
        attribute="vulnerable_groups", column_name="vulnerable_groups",
        widget=widgets.ManyToManyWidget(VulnerableGroup, field="code", separator=", "),
    )

    class Meta:
        model = Person
        fields = export_order = (
            "id", "last_name", "first_name", "father_name", "birth_date", "sex", "amka", "afm", "phone", "email",
            "nationality", "municipality", "vulnerable_groups", "consent_processing_at", "consent_sharing_at",
            "consent_withdrawn_at", "created_at",
        )

    def dehydrate_nationality(self, person: Person) -> str:
        return person.nationality.code or ""


class ReferralResource(resources.ModelResource):
    agency = fields.Field(attribute="agency", column_name="agency", widget=widgets.ForeignKeyWidget("cases.Agency", field="code"))
    person = fields.Field(attribute="person", column_name="person")

    class Meta:
        model = Referral
        fields = export_order = (
            "id", "agency", "agency_ref", "referral_date", "person", "person__amka", "reason", "status", "case",
            "decline_reason", "created_at",
        )


class CaseResource(resources.ModelResource):
    person = fields.Field(attribute="person", column_name="person")
    stage_label = fields.Field(column_name="stage_label")
    key_worker = fields.Field(attribute="key_worker__username", column_name="key_worker")

    class Meta:
        model = Case
        fields = export_order = (
            "id", "person", "person__amka", "stage", "stage_label", "key_worker", "opened_on", "closed_on", "outcome",
        )

    def dehydrate_stage_label(self, case: Case) -> str:
        return str(case.get_stage_display())


class PlacementResource(resources.ModelResource):
    person = fields.Field(attribute="case__person", column_name="person")
    employer = fields.Field(attribute="employer__name", column_name="employer")
    vacancy = fields.Field(attribute="vacancy__title", column_name="vacancy")

    class Meta:
        model = Placement
        fields = export_order = (
            "id", "case", "person", "employer", "employer__afm", "vacancy", "start_date", "contract_type",
            "hours_per_week", "end_date", "end_reason",
        )


class FollowUpResource(resources.ModelResource):
    person = fields.Field(attribute="placement__case__person", column_name="person")
    employer = fields.Field(attribute="placement__employer__name", column_name="employer")

    class Meta:
        model = FollowUp
        fields = export_order = (
            "id", "placement", "person", "employer", "months", "due_on", "done_on", "still_employed", "notes",
        )
