"""Template helpers for pages outside the admin's forms (the workflow's task pages)."""
from django import template

from privacy.fields import hidden_fields_of
from privacy.withholding import WITHHELD

register = template.Library()


@register.simple_tag(takes_context=True)
def shown(context, obj, name: str):
    """Return the field's value, or the placeholder if the user may not see it (e.g. an at-risk person's phone)."""
    if name in hidden_fields_of(context["request"].user, obj):
        return WITHHELD
    return getattr(obj, name) or "—"
