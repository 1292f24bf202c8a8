"""What the domain's admin pages share."""
from __future__ import annotations

from django.contrib import admin
from django.db.models import TextField
from django.forms import Textarea

from cases.search import SearchPaths, routed
from common.admin_mixins import PlainActionCheckbox

# The case page stacks many sections: two-line text boxes keep it readable.
COMPACT_TEXT = {TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 90})}}


class RoutedSearchMixin:
    """The search box (and the autocomplete that uses it) routed by what was typed (cases.search): one index
    answers each search, instead of an OR of every field that none can."""

    search_paths: SearchPaths

    @property
    def search_fields(self) -> list[str]:
        # What the search box matches when a name is typed; its presence also shows the box.
        return [f"{self.search_paths.person}search_text"]

    def get_search_results(self, request, queryset, search_term: str):
        if not search_term.strip():
            return queryset, False
        return routed(queryset, search_term, self.search_paths, rows=self.search_rows(request)), False

    def search_rows(self, request):
        """The list's rows before its filters: where a search's matches are read back from (cases.search.routed)."""
        return self.get_queryset(request)


class CasePartAdmin(RoutedSearchMixin, PlainActionCheckbox, admin.ModelAdmin):
    """The page of something that belongs to one case: found by the case's number or its person's name."""

    search_paths = SearchPaths(person="case__person__", case="case__")
    list_select_related = ["case__person"]
    autocomplete_fields = ["case"]
