from django import template

from workday.services import day_of

register = template.Library()


@register.simple_tag(takes_context=True)
def my_day(context):
    return day_of(context["request"].user)
