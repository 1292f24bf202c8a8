from django import template
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


EVENT_LABELS = {
    "opened": _("Case opened"), "reopened": _("Case re-opened"), "closed": _("Case closed"),
    "stage_changed": _("Moved on"), "task_claimed": _("Task claimed"), "task_released": _("Task released"),
    "task_reassigned": _("Task reassigned"), "task_overdue": _("Task overdue"), "task_cancelled": _("Step cancelled"),
    "task_undone": _("Step undone"), "no_show": _("No-show"), "plan_revised": _("Plan revised"),
    "placed": _("Placed"), "duplicate_referral_linked": _("Duplicate referral linked"),
    "consent_withdrawn": _("Consent withdrawn"), "referral_added": _("New referral added"),
    "import_reverted": _("Import reverted"),
}


@register.filter
def event_label(action: str) -> str:
    """Name a timeline action for people ("task_claimed" → "Task claimed")."""
    return EVENT_LABELS.get(action, action)
