"""Admin pages show a placeholder, not the value, for the fields a user may not see; they cannot be posted."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from privacy.fields import AT_RISK_CONTACT, hidden_fields, hidden_fields_of, may_see_contact, visible_groups

WITHHELD = _("Withheld — you do not have permission to see this")
SOME_WITHHELD = _("some withheld")


class Withheld:
    """Stands in for a hidden field in fieldsets and list_display: same label, placeholder value."""

    def __init__(self, model, name: str, user=None):
        self.__name__ = f"withheld_{name}"
        self.name, self.user = name, user
        self.short_description = model._meta.get_field(name).verbose_name

    def __call__(self, obj=None):
        return WITHHELD

    # Equal by name: the admin looks the fieldsets' entries up in readonly_fields.
    def __eq__(self, other) -> bool:
        return isinstance(other, Withheld) and other.__name__ == self.__name__

    def __hash__(self) -> int:
        return hash(self.__name__)


class VisibleGroups(Withheld):
    """A person's vulnerable groups that the user may see, and a word that there are others."""

    def __call__(self, obj=None):
        if obj is None or obj.pk is None:
            return WITHHELD
        shown = [str(g) for g in visible_groups(self.user, obj)]
        if obj.vulnerable_groups.count() > len(shown):
            shown.append(f"({SOME_WITHHELD})")
        return ", ".join(shown) or "-"


class AtRiskContact(Withheld):
    """A list column of contact details: withheld on the rows of at-risk people the user may not contact."""

    def __call__(self, obj=None):
        return getattr(obj, self.name) if may_see_contact(self.user, obj) else WITHHELD


def _placeholder(model, name: str, user) -> Withheld:
    kind = VisibleGroups if (model._meta.label, name) == ("cases.Person", "vulnerable_groups") else Withheld
    return kind(model, name, user)


def _swap(names, hidden: set[str], model, user):
    """Replace hidden names in a (possibly nested) list of field names by placeholders."""
    swapped = []
    for name in names:
        if isinstance(name, (list, tuple)):
            swapped.append(tuple(_swap(name, hidden, model, user)))
        else:
            swapped.append(_placeholder(model, name, user) if isinstance(name, str) and name in hidden else name)
    return swapped


def _lookup(name) -> str:
    """Return the field a search or filter entry is on ("=amka" -> "amka", "person__phone" -> "person")."""
    if not isinstance(name, str):
        name = name[0] if isinstance(name, (list, tuple)) else getattr(name, "parameter_name", "")
    return name.lstrip("=^@").split("__")[0]


class WithheldFormFields:
    """Show placeholders for the hidden fields of a form (a ModelAdmin's or an inline's) and leave them out of it."""

    def withheld(self, request, obj=None) -> set[str]:
        # An inline gets its parent row: only a row of its own model says which contact details are at risk.
        if isinstance(obj, self.model):
            return hidden_fields_of(request.user, obj)
        return hidden_fields(request.user, self.model)

    def get_fieldsets(self, request, obj=None):
        hidden = self.withheld(request, obj)
        return [
            (title, {**options, "fields": _swap(options["fields"], hidden, self.model, request.user)})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request, obj=None):
        # Placeholders are read-only "fields": Django renders them through lookup_field, and builds no input.
        hidden = self.withheld(request, obj)
        kept = [f for f in super().get_readonly_fields(request, obj) if f not in hidden]
        return [*kept, *(_placeholder(self.model, name, request.user) for name in sorted(hidden))]

    def get_exclude(self, request, obj=None):
        # Not in the form, so it cannot be posted (ModelAdmin.get_form and the inlines' get_formset read this).
        return [*(super().get_exclude(request, obj) or []), *sorted(self.withheld(request, obj))]


class WithheldInline(WithheldFormFields):
    """An inline of a withholding ModelAdmin."""


class WithheldFieldsAdmin(WithheldFormFields):
    """For ModelAdmins of our apps: withhold what the user may not see in forms, inlines, lists, search and filters."""

    def get_inline_instances(self, request, obj=None):
        return [
            type(type(inline).__name__, (WithheldInline, type(inline)), {})(self.model, self.admin_site)
            for inline in super().get_inline_instances(request, obj)
        ]

    def get_list_display(self, request):
        columns = _swap(super().get_list_display(request), hidden_fields(request.user, self.model), self.model, None)
        if self.model._meta.label != "cases.Person":
            return columns
        return [AtRiskContact(self.model, c, request.user) if c in AT_RISK_CONTACT else c for c in columns]

    def get_search_fields(self, request):
        hidden = hidden_fields(request.user, self.model)
        return [f for f in super().get_search_fields(request) if _lookup(f) not in hidden]

    def get_list_filter(self, request):
        hidden = hidden_fields(request.user, self.model)
        return [f for f in super().get_list_filter(request) if _lookup(f) not in hidden]

    def get_sortable_by(self, request):
        hidden = hidden_fields(request.user, self.model)
        return [f for f in super().get_sortable_by(request) if isinstance(f, str) and f not in hidden]
