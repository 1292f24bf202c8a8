"""A record's history page: every change the audit's log kept — who, when, through what, the old and the new
value — with the values the user may not see withheld, as on the record's own page."""
from __future__ import annotations

from dataclasses import dataclass

from auditlog.models import LogEntry
from auditlog.render import get_field_verbose_name
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from audit.context import described
from common.text import staff_name
from privacy.fields import hidden_fields_of
from privacy.withholding import WITHHELD


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Entry:
    at: object
    actor: str
    action: str
    through: str
    address: str
    changes: list[Change]


def log_of(obj):
    """The change log of one record, newest first."""
    return LogEntry.objects.get_for_object(obj).select_related("actor", "content_type").order_by("-timestamp", "-id")


def entries(user, obj, log_entries) -> list[Entry]:
    """The log entries as the user may read them: a field they may not see shows that it changed, not its values."""
    hidden = hidden_fields_of(user, obj)
    return [
        Entry(at=e.timestamp, actor=staff_name(e.actor) if e.actor else "—",
              action=e.get_action_display(), through=described(e.additional_data), address=e.remote_addr or "",
              changes=[_change(e, name, values, hidden) for name, values in sorted(e.changes_dict.items())])
        for e in log_entries
    ]


def _change(entry: LogEntry, name: str, values, hidden: set[str]) -> Change:
    label = str(get_field_verbose_name(entry, name))
    if name in hidden:
        return Change(label, WITHHELD, WITHHELD)
    if isinstance(values, dict):  # a many-to-many change: {"type": "m2m", "operation": "add", "objects": [...]}
        return Change(label, values.get("operation", ""), ", ".join(map(str, values.get("objects", []))))
    # auditlog's own display (choice labels, local dates, related rows' names), for this one field.
    shown = LogEntry(content_type=entry.content_type, changes={name: values}).changes_display_dict
    old, new = next(iter(shown.values()), values)
    return Change(label, str(old), str(new))


class HistoryAdmin:
    """The admin's history page shows the change log's entries with old and new values, withheld as the form is."""

    object_history_template = "privacy/object_history.html"
    history_per_page = 50

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        page = self.get_paginator(request, log_of(obj), self.history_per_page).get_page(request.GET.get(PAGE_VAR, 1))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change history: %s") % obj,
            "subtitle": None,
            "entries": entries(request.user, obj, page),
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "page_var": PAGE_VAR,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "object": obj,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)
