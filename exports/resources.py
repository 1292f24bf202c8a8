"""Column mappings for exports (django-import-export): which fields, in which order, under which name.

Imports do not go through these: partner files need header aliases, Windows-1253 and `;` detection, Excel's
dates and numbers cleaned, duplicates inside one file refused, all-or-nothing with every row's errors, and bulk
matching of known people; ModelResource does none of these well, so imports/ reads and writes partner files itself.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Manager
from django.utils.encoding import force_str
from import_export import fields, resources, widgets

from cases.models import Case, FollowUp, Person, Placement, Referral, VulnerableGroup
from common.spreadsheets import neutralised
from privacy.fields import AT_RISK_CONTACT, hidden_fields


class WithholdingResource(resources.ModelResource):
    """Drop the columns the user may not see; blank an at-risk person's contact details for everyone."""

    # Set on a per-request subclass too, because the export form instantiates resource classes without kwargs.
    user = None

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        # No user means nobody: fail closed (an anonymous user sees only ordinary data).
        self.user = user or type(self).user or AnonymousUser()
        self._cells: dict[int, Callable] = {}

    def get_export_order(self):
        # Dropped rather than blanked: the selectable-fields form and the file both use this order.
        return tuple(name for name in super().get_export_order() if not self._withheld(name))

    def export_field(self, field, instance, **kwargs):
        # import-export works out a cell's field name, method and path for every cell: once per column here.
        return self._cell_of(field)(instance, **kwargs)

    def rows(self, queryset, selected_fields=None, **kwargs) -> Iterator[list]:
        """The header, then each row's cells, read from the database in chunks: the export is never whole in
        memory."""
        fields = self.get_export_fields(selected_fields)
        yield [force_str(field.column_name) for field in fields]
        cells = [self._cell_of(field) for field in fields]
        for instance in self.iter_queryset(queryset):
            yield [cell(instance, **kwargs) for cell in cells]

    def _cell_of(self, field) -> Callable:
        if id(field) not in self._cells:
            self._cells[id(field)] = self._cell(field)
        return self._cells[id(field)]

    # The columns a big list's file is made of, when declared: loading every column of each row and of its
    # related rows (parsing their timestamps, building their instances) was a third of an export's time.
    loads: tuple[str, ...] = ()

    def iter_queryset(self, queryset):
        if self.loads:
            joins = {path.rsplit("__", 1)[0] for path in self.loads if "__" in path}
            queryset = queryset.select_related(None).select_related(*joins).only(*self.loads)
        # Django's own iterator prefetches chunk by chunk; import-export's would page with OFFSET, which grows.
        return queryset.iterator(chunk_size=2000)

    def _cell(self, field) -> Callable:
        """How a column's cell is written: its dehydrate method or its field's value, neutralised; an at-risk
        person's contact details blank."""
        name = self.get_field_name(field)
        method = field.get_dehydrate_method(name)
        method = method if callable(method) else getattr(self, method, None)
        steps = self._path(name)
        contact = bool(steps) and steps[-1][0] is Person and steps[-1][1] in AT_RISK_CONTACT
        to_person = [part for _model, part in steps[:-1]]

        if method is not None:
            value = method
        elif field.attribute:
            value = _reader(field.attribute.split("__"))
        else:
            value = lambda instance: None  # noqa: E731 -- a column with neither an attribute nor a method
        render = field.widget.render

        def cell(instance, **kwargs):
            if contact and _at_risk(instance, to_person):
                return ""
            # What field.export does (get_value, then the widget), with the path split once per column, not per cell.
            return neutralised(value(instance) if method is not None else render(value(instance), **kwargs))

        return cell

    def _path(self, name: str) -> list[tuple[type, str]]:
        """Return (model, field) for each step of a column's attribute, e.g. person__amka -> Referral.person, Person.amka."""
        field = self.fields.get(name)
        attribute = (field.attribute if field is not None else None) or name
        model, steps = self._meta.model, []
        for part in attribute.split("__"):
            try:
                model_field = model._meta.get_field(part)
            except Exception:  # a computed column (dehydrate_*) has no model field
                break
            steps.append((model, part))
            if not model_field.is_relation:
                break
            model = model_field.related_model
        return steps

    def _withheld(self, name: str) -> bool:
        return any(part in hidden_fields(self.user, model) for model, part in self._path(name))


def _reader(path: list[str]) -> Callable:
    """import-export's Field.get_value for one attribute path: None past a missing step; a method is called."""

    def read(instance):
        value = instance
        for part in path:
            try:
                value = getattr(value, part, None)
            except (ValueError, ObjectDoesNotExist):  # a many-to-many of an unsaved row, a missing one-to-one
                return None
            if value is None:
                return None
        return value() if callable(value) and not isinstance(value, Manager) else value

    return read


def _at_risk(instance, to_person: list[str]) -> bool:
    person = instance
    for part in to_person:
        person = getattr(person, part, None)
    return bool(person is not None and person.at_risk)


class PersonResource(WithholdingResource):
    nationality = fields.Field(attribute="nationality", column_name="nationality")
    vulnerable_groups = fields.Field(
        attribute="vulnerable_groups", column_name="vulnerable_groups",
        widget=widgets.ManyToManyWidget(VulnerableGroup, field="code", separator=", "),
    )

    class Meta:
        model = Person
        fields = export_order = (
            "id", "last_name", "first_name", "father_name", "birth_date", "sex", "amka", "afm", "phone", "email",
            "nationality", "municipality", "vulnerable_groups", "consent_processing_at",
            "consent_withdrawn_at", "created_at",
        )

    def iter_queryset(self, queryset):
        return super().iter_queryset(queryset.prefetch_related("vulnerable_groups"))  # one query a chunk, not a row

    def dehydrate_nationality(self, person: Person) -> str:
        return person.nationality.code or ""


class ReferralResource(WithholdingResource):
    agency = fields.Field(attribute="agency", column_name="agency", widget=widgets.ForeignKeyWidget("cases.Agency", field="code"))
    person = fields.Field(attribute="person", column_name="person")

    class Meta:
        model = Referral
        fields = export_order = (
            "id", "agency", "agency_ref", "referral_date", "person", "person__amka", "reason", "status", "case",
            "decline_reason", "created_at",
        )

    # str(person) is the name; at_risk decides on the contact columns; the case is written as its number.
    loads = ("agency__code", "agency_ref", "referral_date", "person__last_name", "person__first_name", "person__amka",
             "person__at_risk", "reason", "status", "case__id", "decline_reason", "created_at")


class CaseResource(WithholdingResource):
    person = fields.Field(attribute="person", column_name="person")
    stage_label = fields.Field(column_name="stage_label")
    key_worker = fields.Field(attribute="key_worker__username", column_name="key_worker")

    class Meta:
        model = Case
        fields = export_order = (
            "id", "person", "person__amka", "stage", "stage_label", "key_worker", "opened_on", "closed_on", "outcome",
        )

    loads = ("person__last_name", "person__first_name", "person__amka", "person__at_risk", "stage", "key_worker__username",
             "opened_on", "closed_on", "outcome")

    def dehydrate_stage_label(self, case: Case) -> str:
        return self._stage_labels[case.stage]

    @functools.cached_property
    def _stage_labels(self) -> dict[str, str]:
        # In the language of the request, translated once per file rather than once per row.
        return {value: str(label) for value, label in Case.Stage.choices}


class PlacementResource(WithholdingResource):
    person = fields.Field(attribute="case__person", column_name="person")
    employer = fields.Field(attribute="employer__name", column_name="employer")
    vacancy = fields.Field(attribute="vacancy__title", column_name="vacancy")

    class Meta:
        model = Placement
        fields = export_order = (
            "id", "case", "person", "employer", "employer__afm", "vacancy", "start_date", "contract_type",
            "hours_per_week", "end_date", "end_reason",
        )


class FollowUpResource(WithholdingResource):
    person = fields.Field(attribute="placement__case__person", column_name="person")
    employer = fields.Field(attribute="placement__employer__name", column_name="employer")

    class Meta:
        model = FollowUp
        fields = export_order = (
            "id", "placement", "person", "employer", "months", "due_on", "done_on", "still_employed", "notes",
        )
