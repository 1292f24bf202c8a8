"""Every admin URL × every role: a file outside the user's work is absent or 404; one inside it opens (issue 11).

The URLs come from the admin's resolver, so a new admin page is tested without anyone remembering to: a new
model with personal data must be scoped (privacy.scope) or declared impersonal here, and a new custom view
with an argument must say below which object it takes.
"""
import datetime

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from cases import models
from privacy import scope
from privacy.models import LegalHold
from tests.factories import EmployerFactory, PersonFactory, ReferralFactory, UserFactory, opened_by
from tests.workflows.conftest import claimed
from workflows.models import CaseTask
from workflows.services import referral_start

ROLES = ["intake_officer", "counsellor", "training_officer", "legal_adviser", "accountant", "placement_officer",
         "data_protection_officer", "outsider", "supervisor"]
MARKER = "Απόρρητη"  # the surname of the person nobody here works with
# Registered models that hold no one's personal data, or whose pages are for supervisors only (checked below).
IMPERSONAL = {"admin_interface.Theme", "auth.Group", "auth.User", "axes.AccessAttempt", "axes.AccessLog",
              "axes.AccessFailureLog", "cases.Employer", "cases.Vacancy", "cases.VulnerableGroup", "cases.Agency",
              "workflows.StaffWorkload", "workflows.ServiceLevel", "imports.ImportBatch", "exports.ExportRecord",
              "privacy.AccessGrant"}
# The audit: supervisors' and the data-protection officer's only (tests/audit checks who reads it).
AUDIT = {"audit.AccessEvent", "auditlog.LogEntry"}
TASK_LISTS = {"workflows.MyTask", "workflows.TeamTask", "workflows.CaseTask", "workflows.StuckTask"}


def _patterns(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            yield p.name, prefix + str(p.pattern)


def _file(case: models.Case, *, by) -> dict:
    """Every kind of row a case's file holds, keyed by model."""
    assessment = models.NeedsAssessment.objects.create(case=case, health="Διαβήτης", addiction="—")
    plan = models.ActionPlan.objects.create(case=case, notes="Σχέδιο")
    goal = models.Goal.objects.create(plan=plan, text="Δίπλωμα", needs_training=True)
    training = models.TrainingEnrolment.objects.create(case=case, course="Μάγειρας")
    legal = models.LegalAdvice.objects.create(case=case, topic="debts")
    accounting = models.AccountingSupport.objects.create(case=case, topic="tax_debts")
    session = models.ServiceSession.objects.create(service=training, held_by=by)
    placement = models.Placement.objects.create(case=case, employer=EmployerFactory(), start_date=datetime.date(2026, 1, 5),
                                                contract_type="permanent")
    follow_up = models.FollowUp.objects.create(placement=placement, months=1, due_on=datetime.date(2026, 2, 5))
    appointment = models.Appointment.objects.create(person=case.person, case=case, staff=by, kind="intake",
                                                    scheduled_at=timezone.now())
    note = models.ContactNote.objects.create(case=case, kind="phone", text="Τηλεφώνησε", written_by=by)
    correction = models.NoteCorrection.objects.create(note=note, previous_kind="phone", previous_text="—",
                                                      previous_confidential=False, corrected_by=by)
    consent = models.ConsentRecord.objects.create(person=case.person, kind="given", method="signed_form", by=by)
    hold = LegalHold.objects.create(case=case, reason="Εκκρεμεί δίκη", placed_by=by)
    return {
        models.Case: case, models.Person: case.person, models.Referral: case.person.referrals.get(),
        models.CaseEvent: case.events.first(), models.NeedsAssessment: assessment, models.ActionPlan: plan,
        models.Goal: goal, models.TrainingEnrolment: training, models.LegalAdvice: legal,
        models.AccountingSupport: accounting, models.ServiceSession: session, models.Placement: placement,
        models.FollowUp: follow_up, models.Appointment: appointment, models.ContactNote: note,
        models.NoteCorrection: correction, models.ConsentRecord: consent, LegalHold: hold,
    }


@pytest.fixture
def elsewhere(db):
    """A file that colleagues of every role work on, and nobody of the test does."""
    colleague = UserFactory(username="colleague", roles=["Intake officer", "Counsellor"])
    case = referral_start(referral=ReferralFactory(person=PersonFactory(last_name=MARKER)), by=colleague)
    claimed(case, "referral_review", colleague)
    models.Case.objects.filter(pk=case.pk).update(key_worker=colleague)
    return _file(case, by=colleague)


def _arguments(name: str, pattern: str, target: dict) -> dict | None:
    """The URL's arguments for the out-of-scope file, or None for a URL that takes none of its objects."""
    registry = {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}
    case, person = target[models.Case], target[models.Person]
    task = CaseTask.objects.get(process__caseprocess__case=case, flow_task_type="HUMAN")
    custom = {"case_id": case.pk, "task_id": task.pk, "person_id": person.pk, "fmt": "pdf"}
    if name in {"imports_importbatch_template", "imports_importbatch_rejected", "app_list", "view_on_site",
                "auth_user_password_change"}:
        return None  # no one's file: a template, a batch's refused rows (importers only), an index, an account
    if "<path:object_id>" in pattern:
        model = registry[name.rsplit("_", 1)[0]]
        if model._meta.label in TASK_LISTS:
            return {"object_id": task.pk}
        if model._meta.label in IMPERSONAL | AUDIT:
            return None
        assert model in scope.SCOPED, f"{model._meta.label} has admin pages but no scope: add it to privacy.scope"
        return {"object_id": target[model].pk}
    params = [part.split(">")[0].split(":")[-1] for part in pattern.split("<")[1:]]
    if not params:
        return {}
    unknown = [p for p in params if p not in custom]
    assert not unknown, f"admin URL {name} ({pattern}) takes {unknown}: say which object of a file it opens"
    return {p: custom[p] for p in params}


def _check_registry() -> None:
    for model in admin.site._registry:
        label = model._meta.label
        assert model in scope.SCOPED or label in IMPERSONAL | TASK_LISTS | AUDIT, f"{label}: scope it or declare it impersonal"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_admin_url_keeps_a_file_out_of_scope_hidden(client, request, role, elsewhere):
    _check_registry()
    user = request.getfixturevalue(role)
    client.force_login(user)
    sees_all = scope.sees_all(user)
    person = elsewhere[models.Person]
    checked = 0
    for name, pattern in _patterns(admin.site.get_urls()):
        kwargs = _arguments(name, pattern, elsewhere)
        if kwargs is None:
            continue
        url = reverse(f"admin:{name}", kwargs=kwargs)
        post = name.startswith(("workflows_task_", "workflows_case_")) and name != "workflows_case_work"
        response = client.post(url, {}) if post else client.get(url)
        if name == "workflows_task_claim" and response.status_code == 302:
            # The claim of a task of one's own step says who took it (privacy.views): the task stays theirs.
            assert response.url == reverse("admin:workflows_teamtask_changelist") and not CaseTask.objects.filter(owner=user).exists()
        elif kwargs and name != "privacy_break_glass":
            # A page of the file itself: it does not exist for whoever does not work on it.
            others_list = name.startswith(("workflows_mytask_", "workflows_teamtask_", "workflows_stucktask_")) and "_change" not in name
            if not (sees_all and others_list):  # "my tasks", "stuck" may not hold this task
                assert (response.status_code == 404) != sees_all, (name, response.status_code)
        else:
            assert response.status_code in (200, 302, 403, 405), (name, response.status_code)
        reads_audit = name.startswith(("auditlog_", "audit_")) and user.has_perm("audit.view_accessevent")
        # Break-glass names whom it opens, as the lookup does; the audit names whom each look was at.
        if not sees_all and name != "privacy_break_glass" and not reads_audit:
            assert MARKER not in response.content.decode(), name
        checked += 1
    assert checked > 60
    if sees_all:
        found = client.get(reverse("admin:cases_person_changelist"), {"q": person.amka})
        assert MARKER in found.content.decode()
    for model_admin in admin.site._registry.values():
        opts = model_admin.model._meta
        if model_admin.model in scope.SCOPED and not sees_all:
            for term in (MARKER, person.amka):
                response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": term})
                if response.status_code == 200:  # the search box echoes the term: look at the rows found
                    assert elsewhere[model_admin.model] not in response.context["cl"].result_list, (opts.label, term)
        for field in model_admin.autocomplete_fields:
            response = client.get(reverse("admin:autocomplete"), {
                "app_label": opts.app_label, "model_name": opts.model_name, "field_name": field, "term": MARKER})
            if not sees_all:
                assert MARKER not in response.content.decode(), (opts.label, field)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_file_in_scope_opens_for_a_role_allowed_to_view_it(client, request, role):
    user = request.getfixturevalue(role)
    case = referral_start(referral=ReferralFactory(), by=UserFactory(username="colleague", roles=["Intake officer"]))
    target = _file(case, by=user)
    opened_by(case, user)
    client.force_login(user)
    for model, obj in target.items():
        if not admin.site.is_registered(model):
            continue
        opts = model._meta
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        expected = 200 if user.has_perm(f"{opts.app_label}.view_{opts.model_name}") else 403
        assert response.status_code == expected, (opts.label, response.status_code)
