"""What the domain's admin pages share."""
from __future__ import annotations

from django.contrib import admin
from django.db.models import TextField
from django.forms import Textarea

from common.admin_mixins import FoldedSearchMixin

# The case page stacks many sections: two-line text boxes keep it readable.
COMPACT_TEXT = {TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 90})}}


class CasePartAdmin(FoldedSearchMixin, admin.ModelAdmin):
    """The page of something that belongs to one case: found by the case's number or its person's name."""

    folded_search_field = "case__person__search_text"
    list_select_related = ["case__person"]
    search_fields = ["=case__id"]
    autocomplete_fields = ["case"]
