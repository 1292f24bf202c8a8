"""The GDPR Art. 15 subject-access report: everything the centre holds about one person, and who looked at it."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_countries.fields import Country
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from audit.models import AccessEvent
from cases.models import (
    AccountingSupport,
    ActionPlan,
    Appointment,
    Case,
    CaseEvent,
    ConsentRecord,
    ContactNote,
    FollowUp,
    Goal,
    LegalAdvice,
    NeedsAssessment,
    NoteCorrection,
    Person,
    Placement,
    Referral,
    Service,
    ServiceSession,
    TrainingEnrolment,
)
from common.text import staff_name

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
# Shipped with the code: the PDF must have Greek glyphs whatever fonts the host has.
FONTS = {"regular": FONTS_DIR / "DejaVuSans.ttf", "bold": FONTS_DIR / "DejaVuSans-Bold.ttf"}
SERVICE_KINDS = (TrainingEnrolment, LegalAdvice, AccountingSupport)


def report(person: Person) -> dict:
    """Return everything held about `person`, JSON-serialisable, with labels in the active language."""
    return {
        "person_id": person.pk,
        "generated_at": timezone.localtime().isoformat(),
        "person": _person(person),
        "consents": [_record(c, without={"person"}) for c in person.consents.select_related("agency", "by")],
        "referrals": [_referral(r) for r in person.referrals.select_related("agency", "decided_by")],
        "cases": [_case(c) for c in _cases_of(person)],
        "appointments": [
            _record(a, without={"person", "case"}) for a in person.appointments.filter(case=None).select_related("staff")
        ],
        "accesses": [_access(e) for e in AccessEvent.objects.filter(person_id=person.pk).order_by("-at", "-id")],
    }


def as_json(data: dict) -> bytes:
    """Return the report as indented UTF-8 JSON, Greek left readable."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def as_pdf(data: dict) -> bytes:
    """Return the report as a tagged A4 PDF in the active language."""
    html = render_to_string("privacy/subject_access.html", {
        "report": _for_display(data),
        "language": translation.get_language() or settings.LANGUAGE_CODE,  # PDF/UA needs the document's language
        "fonts": {name: path.as_uri() for name, path in FONTS.items()},
    })
    return HTML(string=html, url_fetcher=FontsOnlyFetcher()).write_pdf(pdf_variant="pdf/ua-1")


class FetchRefused(ValueError):
    """The renderer asked for something other than our fonts."""


class FontsOnlyFetcher(URLFetcher):
    """Serve our font files and refuse every other URL: no text in a record may make the renderer read a file
    of the server or call out to the network."""

    allowed = {path.as_uri(): path for path in FONTS.values()}

    def fetch(self, url, headers=None):
        if (path := self.allowed.get(url)) is None:
            raise FetchRefused(f"Refused to fetch {url[:100]}")
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": "font/ttf"})


# --- The report's data ------------------------------------------------------------------------------------------

def _cases_of(person: Person) -> models.QuerySet[Case]:
    """The person's cases with everything nested in them, in a fixed number of queries."""
    return person.cases.select_related(
        "key_worker", "assessment__assessed_by", "plan__created_by",
    ).prefetch_related(
        "plan__goals",
        Prefetch("services", Service.objects.select_related(*(k._meta.model_name for k in SERVICE_KINDS))),
        Prefetch("services__sessions", ServiceSession.objects.select_related("held_by")),
        Prefetch("notes", ContactNote.objects.select_related("written_by")),
        Prefetch("notes__corrections", NoteCorrection.objects.select_related("corrected_by")),
        Prefetch("appointments", Appointment.objects.select_related("staff")),
        Prefetch("placements", Placement.objects.select_related("employer", "vacancy__employer")),
        Prefetch("placements__follow_ups", FollowUp.objects.select_related("done_by")),
        Prefetch("events", CaseEvent.objects.select_related("by")),
    )


def _person(person: Person) -> dict:
    # The folded search copy of the name and identifiers is an index, not data of its own.
    data = _record(person, without={"search_text"})
    english = (translation.get_language() or "").startswith("en")
    data["vulnerable_groups"] = [
        {"code": g.code, "label": g.label_en if english else g.label} for g in person.vulnerable_groups.all()
    ]
    return data


def _referral(referral: Referral) -> dict:
    # The case by its number: the referral's case is among the cases below.
    return {**_record(referral, without={"person", "case"}), "case": referral.case_id}


def _case(case: Case) -> dict:
    assessment: NeedsAssessment | None = getattr(case, "assessment", None)
    plan: ActionPlan | None = getattr(case, "plan", None)
    return {
        "id": case.pk,
        **_record(case, without={"person"}),
        "assessment": _record(assessment, without={"case"}) if assessment else None,
        "plan": {
            **_record(plan, without={"case"}),
            "goals": [_record(g, without={"plan"}) for g in plan.goals.all()],
        } if plan else None,
        "services": [_service(s) for s in case.services.all()],
        "notes": [
            {**_record(n, without={"case"}), "corrections": [_record(c, without={"note"}) for c in n.corrections.all()]}
            for n in case.notes.all()
        ],
        "appointments": [_record(a, without={"person", "case"}) for a in case.appointments.all()],
        "placements": [
            {**_record(p, without={"case"}), "follow_ups": [_record(f, without={"placement"}) for f in p.follow_ups.all()]}
            for p in case.placements.all()
        ],
        "events": [_record(e, without={"case"}) for e in case.events.all()],
    }


def _service(service: Service) -> dict:
    data = _record(service, without={"case"})
    # The kind's own fields live on its child row, selected with the service.
    for kind in SERVICE_KINDS:
        if (child := getattr(service, kind._meta.model_name, None)) is not None:
            data.update({f.name: _value(child, f) for f in kind._meta.local_concrete_fields if not f.primary_key})
    data["sessions"] = [_record(s, without={"service"}) for s in service.sessions.all()]
    return data


def _access(event: AccessEvent) -> dict:
    return {name: _value(event, AccessEvent._meta.get_field(name)) for name in ("at", "username", "action", "path", "remote_addr")}


def _record(obj: models.Model, *, without: set[str]) -> dict:
    """Every column of `obj` but its id and `without` (its parent, which the nesting already says)."""
    return {f.name: _value(obj, f) for f in obj._meta.concrete_fields if not f.primary_key and f.name not in without}


def _value(obj: models.Model, field: models.Field):
    """A column as JSON: dates in ISO, choices as code and label, staff by full name, bodies by name."""
    value = getattr(obj, field.name)
    if isinstance(value, Country):
        return {"code": value.code, "label": str(value.name)} if value.code else None
    if field.choices:
        return {"code": value, "label": getattr(obj, f"get_{field.name}_display")()} if value not in ("", None) else None
    if value is None:
        return None
    if field.is_relation:
        return staff_name(value) if field.related_model is get_user_model() else str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


# --- The PDF's view of it ---------------------------------------------------------------------------------------

def _for_display(data: dict) -> dict:
    """The report as the template shows it: field labels from the models, values as text."""
    return {
        "generated_at": _shown(data["generated_at"], models.DateTimeField()),
        "person_name": f"{data['person']['first_name']} {data['person']['last_name']}",
        "person": _pairs(data["person"], Person),
        "consents": [_pairs(c, ConsentRecord) for c in data["consents"]],
        "referrals": [_pairs(r, Referral) for r in data["referrals"]],
        "cases": [_case_for_display(c) for c in data["cases"]],
        "appointments": _table(data["appointments"], Appointment),
        "accesses": _table(data["accesses"], AccessEvent),
    }


def _case_for_display(case: dict) -> dict:
    plan = case["plan"]
    return {
        "number": case["id"],
        "fields": _pairs(case, Case),
        "assessment": _pairs(case["assessment"], NeedsAssessment) if case["assessment"] else None,
        "plan": {"fields": _pairs(plan, ActionPlan), "goals": _table(plan["goals"], Goal)} if plan else None,
        "services": [
            {"fields": _pairs(s, Service, *SERVICE_KINDS), "sessions": _table(s["sessions"], ServiceSession)}
            for s in case["services"]
        ],
        "notes": [
            {"fields": _pairs(n, ContactNote), "corrections": _table(n["corrections"], NoteCorrection)}
            for n in case["notes"]
        ],
        "appointments": _table(case["appointments"], Appointment),
        "placements": [
            {"fields": _pairs(p, Placement), "follow_ups": _table(p["follow_ups"], FollowUp)} for p in case["placements"]
        ],
        "events": _table(case["events"], CaseEvent),
    }


def _pairs(record: dict, *kinds: type[models.Model]) -> list[tuple[str, str]]:
    """(label, text) for each field of a record; the nested lists and records are shown on their own."""
    fields = {}
    for kind in reversed(kinds):
        fields.update({f.name: f for f in kind._meta.get_fields() if not f.auto_created})
    return [
        (capfirst(fields[name].verbose_name), _shown(value, fields[name]))
        for name, value in record.items() if name in fields and not _is_nested(value)
    ]


def _table(records: list[dict], kind: type[models.Model]) -> dict:
    """A list of records as one table: the labels of the columns, and a row of texts per record."""
    pairs = [_pairs(r, kind) for r in records]
    return {"head": [label for label, _text in pairs[0]] if pairs else [], "rows": [[t for _label, t in p] for p in pairs]}


def _is_nested(value) -> bool:
    if isinstance(value, dict):
        return "code" not in value
    return isinstance(value, list) and any(isinstance(v, dict) and "code" not in v for v in value)


def _shown(value, field: models.Field) -> str:
    """A JSON value as text: dates as the models' __str__ write them, choices by label, yes or no."""
    if value in (None, "", []):
        return "–"
    if isinstance(value, dict):
        return value["label"]
    if isinstance(value, list):
        return ", ".join(v["label"] for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField):
        return timezone.localtime(datetime.datetime.fromisoformat(value)).strftime("%d/%m/%Y %H:%M")
    if isinstance(field, models.DateField):
        return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
    return str(value)
