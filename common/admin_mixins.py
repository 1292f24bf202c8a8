"""Admin building blocks shared by the apps' ModelAdmins."""
from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import helpers
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _

from common.sql import keys_first


class PlainActionCheckbox:
    """Each row's action checkbox as plain markup: Django renders a widget template for every row, about a third
    of a list page's time (benchmarks/README.md)."""

    def action_checkbox(self, obj):
        return format_html('<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
                           helpers.ACTION_CHECKBOX_NAME, obj.pk, self.checkbox_label(obj))

    def checkbox_label(self, obj) -> str:
        return format_html(_("Select this object for an action - {}"), obj)


class CappedPaginator(Paginator):
    """Count at most 1,000 rows: a list of 50,000 is not paged through, it is filtered; the exact count of a
    large list would cost more than the page itself."""

    CAP = 1000

    @cached_property
    def count(self) -> int:
        # Unordered: the database may stop at the CAP-th row instead of sorting every match first.
        return self.object_list.order_by()[: self.CAP].count()


class KeysFirstPaginator(CappedPaginator):
    """Read a page's keys first, then its rows (common.sql.keys_first)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(keys_first(self.object_list, bottom, top), number, self)


class ReadOnlyMixin:
    """Show rows without letting anyone add, change or delete them here (ModelAdmin or inline)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    """Related rows shown in a table, each linking to its own page."""

    extra = 0
    show_change_link = True


def register_in_front(model, mixin, *, site=admin.site, **attributes) -> None:
    """Register `model`'s admin again with `mixin` in front: an app above the domain adds what it owns
    (the workflow's intake, the exports) without the domain's admin importing it."""
    page = type(site.get_model_admin(model))
    site.unregister(model)
    site.register(model, type(page.__name__, (mixin, page), attributes))
