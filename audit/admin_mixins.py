"""Record who looked at which record and what they searched, on every admin page of personal or case data."""
from __future__ import annotations

from django.urls import reverse

from audit.models import AccessEvent
from audit.services import accesses_of_person, query_filters, record


class AuditedAdmin:
    """Write an AccessEvent for each change-form view, list or search, and autocomplete search."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = (getattr(response, "context_data", None) or {}).get("original")
        if request.method == "GET" and response.status_code == 200 and obj is not None:
            record(request=request, action=AccessEvent.Action.VIEW, obj=obj)
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        # The ChangeList has counted its rows already; the audit adds no COUNT of its own.
        if (changelist := (getattr(response, "context_data", None) or {}).get("cl")) is not None:
            record(request=request, action=AccessEvent.Action.SEARCH, model=self.model, terms=changelist.query,
                   filters=query_filters(request), count=changelist.result_count)
        return response

    def get_search_results(self, request, queryset, search_term):
        results = super().get_search_results(request, queryset, search_term)
        if search_term and request.resolver_match and request.resolver_match.url_name == "autocomplete":
            record(request=request, action=AccessEvent.Action.SEARCH, model=self.model, terms=search_term,
                   details={"autocomplete": request.GET.get("field_name", "")})
        return results


class ShowsAccessesAdmin:
    """The person's page lists, for those who read the audit, who opened the file last (newest first)."""

    change_form_template = "audit/person_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if request.user.has_perm("audit.view_accessevent") and str(object_id).isdigit():
            extra_context["accesses"] = accesses_of_person(int(object_id))
            extra_context["all_accesses_url"] = f"{reverse('admin:audit_accessevent_changelist')}?person_id={object_id}"
        return super().change_view(request, object_id, form_url, extra_context)
