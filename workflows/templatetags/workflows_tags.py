from django import template
from django.db.models import Count, Q
from django.utils import timezone

from workflows import querysets
from workflows.models import CaseTask

register = template.Library()


@register.simple_tag(takes_context=True)
def task_counts(context):
    """Count the user's open and overdue tasks, and their team's unclaimed ones, for the admin index."""
    user = context["request"].user
    if not user.has_perm("workflows.view_caseprocess"):
        return None
    counts = querysets.mine(CaseTask.objects.all(), user).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(scheduled__lt=timezone.now()))
    )
    counts["queue"] = querysets.team_queue(CaseTask.objects.all(), user).count()
    return counts
