"""Writes of the audit: one append-only AccessEvent per look, search, export, import, login or break-glass."""
from __future__ import annotations

import datetime

from django.db import models

from accounts.clients import client_address
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
        remote_addr=client_address(request) if request is not None else None,
        action=action, model=model or "", object_id=str(obj.pk) if obj is not None else "",
        person_id=person_id, terms=terms[:200], filters=filters or {}, count=count,
        path=request.path[:200] if request is not None else "", details=details or {},
    )


def accesses_of_person(person_id: int, *, last: int = 50) -> list[AccessEvent]:
    """The last `last` access events about a person, newest first (one index lookup)."""
    return list(AccessEvent.objects.filter(person_id=person_id).order_by("-at", "-id")[:last])


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


def log_created(instances: list[models.Model], *, actor=None) -> None:
    """Write auditlog's CREATE entry for rows a bulk path inserted: bulk_create sends no post_save to log them."""
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog

    if not instances:
        return
    excluded = set(auditlog.get_model_fields(type(instances[0]))["exclude_fields"])
    fields = [f for f in instances[0]._meta.concrete_fields if f.name not in excluded]
    _log_bulk(LogEntry.Action.CREATE, actor, [(obj, _as_created(obj, fields)) for obj in instances])


def _as_created(obj: models.Model, fields: list) -> dict:
    """What auditlog's diff of a new row gives — [None, value] per column with a value, non-JSON values as text —
    without its reads of every reverse relation (a query per row and relation), a third of a 10,000-row import."""
    from auditlog.diff import is_primitive
    from django.utils import timezone
    from django.utils.encoding import smart_str

    changes = {}
    for field in fields:
        if (value := field.value_from_object(obj)) is None:
            continue
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.make_naive(value, datetime.UTC)
        changes[field.name] = [None, value if is_primitive(value) else smart_str(value)]
    return changes


def log_added_links(links: dict[models.Model, list[models.Model]], field_name: str, *, actor=None) -> None:
    """Write auditlog's many-to-many "add" entry for links a bulk path inserted (`links`: owner -> rows added)."""
    from auditlog.models import LogEntry

    _log_bulk(LogEntry.Action.UPDATE, actor, [
        (owner, {field_name: {"type": "m2m", "operation": "add", "objects": [str(row) for row in added]}})
        for owner, added in links.items() if added
    ])


def _log_bulk(action: int, actor, changes: list[tuple[models.Model, dict]]) -> None:
    """One change-log entry per (row, changes), stamped like auditlog's own (correlation id, channel).

    Inserted with insert_many, not bulk_create: building 20,000 LogEntry instances cost more than the rows logged.
    """
    import json

    from auditlog.cid import get_cid
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection
    from django.utils import timezone

    from audit.context import current
    from common.sql import insert_many

    cid, extra = get_cid(), json.dumps(current()) if current() else None
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    actor_id = actor.pk if actor is not None else None
    insert_many(
        LogEntry,
        ("content_type", "object_pk", "object_id", "object_repr", "action", "changes_text", "changes", "actor", "cid",
         "timestamp", "additional_data"),
        [(ContentType.objects.get_for_model(obj).pk, str(obj.pk), obj.pk, str(obj), action, "",
          json.dumps(change, cls=DjangoJSONEncoder), actor_id, cid, at, extra) for obj, change in changes],
    )
