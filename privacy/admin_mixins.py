"""The scope applied to every admin page of people and cases: lists, searches, filters, dropdowns, inlines, pages."""
from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.http import Http404
from django.utils.translation import gettext as _

from common.admin_mixins import CappedPaginator
from privacy import scope


class AbsentIs404:
    """A row the page's queryset does not hold answers 404 on its change, delete and history pages."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Django would redirect with "…doesn't exist"; a 404 says as little about a row out of scope.
            existing = self.model._default_manager.filter(pk=object_id).first() if str(object_id).isdigit() else None
            raise scope.refused(request, existing) if existing is not None else Http404(_("Not found."))
        return obj


class ScopedTaskAdmin(AbsentIs404):
    """A task list holds the user's own tasks or their team's (workflows.querysets): its other pages answer 404
    for a task of a case out of the user's scope, as the task page does."""

    def get_object(self, request, object_id, from_field=None):
        task = super().get_object(request, object_id, from_field)
        if not scope.can_see(request.user, task.process.caseprocess.case):
            raise scope.refused(request, task.process.caseprocess.case)
        return task


class ScopedAdmin(AbsentIs404):
    """Rows outside the user's scope do not exist for them: absent from every list and choice, 404 by URL.

    The changelist, its search and facets, the export, the autocomplete and raw-id popups all start from
    `get_queryset`; the change, delete and history pages from `get_object`.
    """

    # The "of N in all" count would be a second count of the user's whole scope.
    show_full_result_count = False

    def get_queryset(self, request):
        return scope.scoped(super().get_queryset(request), request.user)

    def search_rows(self, request):
        # A name's matches are read from the scoped list, so they are in scope: checking each again (for the page
        # and for its count) scanned every member row of a long-serving officer twice more.
        return super().get_queryset(request)

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # Counting every row of a scope means checking each of the centre's files against it, and every match of a
        # name means reading every name: stop at the cap. A supervisor's whole list is counted from an index.
        if scope.sees_all(request.user) and not request.GET.get(SEARCH_VAR, "").strip():
            return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        return CappedPaginator(queryset, per_page, orphans, allow_empty_first_page)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scope_choices(field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scope_choices(field, request)

    def get_list_filter(self, request):
        return [_related_only(self.model, entry) for entry in super().get_list_filter(request)]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # The parts of the page's own file (a case's assessment, a person's referrals) are in scope with it;
        # rows that may be another file's (a person's other cases) are filtered.
        if not scope.part_of(inline.model, self.model):
            kwargs["queryset"] = scope.scoped(kwargs["queryset"], request.user)
        return kwargs


def _scope_choices(field, request):
    # The choices also validate what is posted: an id out of scope is refused as an invalid choice.
    if field is not None and getattr(field, "queryset", None) is not None:
        field.queryset = scope.scoped(field.queryset, request.user)
    return field


def _related_only(model, entry):
    """A filter on a relation to people or cases offers only the rows in scope, not every name in the table."""
    if not isinstance(entry, str):
        return entry
    related = _related_model(model, entry)
    return (entry, admin.RelatedOnlyFieldListFilter) if related in scope.SCOPED else entry


def _related_model(model, path: str):
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if not field.is_relation:
            return None
        model = field.related_model
    return model
