from django import template
from django.conf import settings

from accounts import sessions

register = template.Library()


@register.simple_tag(takes_context=True)
def session_remaining(context) -> dict:
    return {**sessions.remaining(context["request"].session), "max_hours": settings.GEFYRA_SESSION_MAX_HOURS}
