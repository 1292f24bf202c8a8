"""The recognition-only person search, break-glass opening of a file, and the person's rights: erasure on request
and the subject-access report."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from audit.models import AccessEvent
from audit.services import record
from cases.models import Person
from privacy import erasure, scope, services
from privacy.forms import BreakGlassForm, ErasureForm, LookupForm


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


def _person_for(request, person_id: int, permission: str) -> Person:
    """The person, if in the user's scope (a 404 says nothing of a file out of it) and the user holds `permission`
    (supervisors and the data-protection officer; the officer opens a file out of her work with break-glass)."""
    person = get_object_or_404(Person, pk=person_id)
    if not scope.can_see(request.user, person):
        raise scope.refused(request, person)
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return person


def erase(request, model_admin, person_id: int):
    person = _person_for(request, person_id, "privacy.erase_person")
    form = ErasureForm(request.POST or None)
    if form.is_valid():
        try:
            erasure.erase_on_request(person=person, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The person's data has been anonymised."))
            return redirect(reverse("admin:cases_person_change", args=[person.pk]))
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta,
               "title": _("Erase a person's data on request"), "form": form, "person": person,
               "cases": person.cases.order_by("pk")}
    return TemplateResponse(request, "privacy/erase.html", context)


FORMATS = {"pdf": "application/pdf", "json": "application/json"}


def subject_access_download(request, model_admin, person_id: int, fmt: str):
    """The person's whole record, as a PDF to hand over or as JSON; each download is recorded."""
    person = _person_for(request, person_id, "privacy.subject_access")
    if fmt not in FORMATS:
        raise Http404
    # Imported here: WeasyPrint loads the system's Pango, which only this download needs.
    from privacy import subject_access

    render = subject_access.as_pdf if fmt == "pdf" else subject_access.as_json
    content = render(subject_access.report(person))
    record(request=request, action=AccessEvent.Action.SUBJECT_ACCESS, obj=person, details={"format": fmt})
    response = HttpResponse(content, content_type=FORMATS[fmt])
    name = f"subject-access-{person.pk}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "no-store"  # Art. 9 data: no copy in a shared cache or the browser's
    return response
