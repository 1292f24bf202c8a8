"""Writes of the audit: one append-only AccessEvent per look, search, export, import, login or break-glass."""
from __future__ import annotations

from django.db import models

from audit.models import AccessEvent

PAGING = {"p", "o", "_changelist_filters", "e"}


def record(*, request=None, user=None, action: str, model=None, obj=None, person_id: int | None = None,
           terms: str = "", filters: dict | None = None, count: int | None = None,
           details: dict | None = None) -> AccessEvent:
    """Record one access event; `request` gives the user, address and page unless `user` is given."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    if model is None and obj is not None:
        model = type(obj)
    if isinstance(model, type) and issubclass(model, models.Model):
        model = model._meta.label
    if person_id is None and obj is not None:
        person_id = person_id_of(obj)
    return AccessEvent.objects.create(
        user_id=user.pk if user else None, username=user.get_username() if user else "",
        remote_addr=request.META.get("REMOTE_ADDR") if request is not None else None,
        action=action, model=model or "", object_id=str(obj.pk) if obj is not None else "",
        person_id=person_id, terms=terms[:200], filters=filters or {}, count=count,
        path=request.path[:200] if request is not None else "", details=details or {},
    )


def query_filters(request) -> dict:
    """The query string of a list, minus paging and sorting."""
    return {key: request.GET.getlist(key) if len(request.GET.getlist(key)) > 1 else request.GET[key]
            for key in request.GET if key not in PAGING and key != "q"}


def person_id_of(obj) -> int | None:
    """The person a record is about: the person, or the person of its case."""
    if obj._meta.label == "cases.Person":
        return obj.pk
    if (person_id := getattr(obj, "person_id", None)) is not None:
        return person_id
    return getattr(getattr(obj, "case", None), "person_id", None)
