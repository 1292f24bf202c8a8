"""The recognition-only person search, and break-glass opening of a file."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.models import AccessEvent
from audit.services import record
from cases.models import Person
from privacy import services
from privacy.forms import BreakGlassForm, LookupForm


def _may_look_up(request) -> None:
    if not request.user.has_perm("cases.view_person"):
        raise PermissionDenied


def lookup(request, model_admin):
    _may_look_up(request)
    form = LookupForm(request.GET or None)
    matches = services.people_lookup(user=request.user, **form.cleaned_data) if form.is_valid() else []
    if form.is_valid():
        record(request=request, action=AccessEvent.Action.SEARCH, model=Person, count=len(matches),
               terms=" ".join(v for v in form.cleaned_data.values() if v))
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta,
               "title": _("Find a person"), "form": form, "matches": matches, "searched": form.is_bound}
    return TemplateResponse(request, "privacy/lookup.html", context)


def open_file(request, model_admin, person_id: int):
    _may_look_up(request)
    person = get_object_or_404(Person.objects.only("pk", "first_name", "last_name"), pk=person_id)
    form = BreakGlassForm(request.POST or None)
    if form.is_valid():
        grant = services.break_glass(user=request.user, person=person, reason=form.cleaned_data["reason"])
        record(request=request, action=AccessEvent.Action.BREAK_GLASS, obj=grant, person_id=person.pk,
               details={"reason": grant.reason})
        messages.warning(request, _("You opened this file outside your work; this is recorded."))
        return redirect(reverse("admin:cases_person_change", args=[person.pk]))
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta,
               "title": _("Open a file outside your work"), "form": form, "person": person}
    return TemplateResponse(request, "privacy/break_glass.html", context)
