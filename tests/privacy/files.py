"""A person's whole file, every kind of row about them filled in, for the erasure and retention tests."""
from __future__ import annotations

import datetime
import json
from collections import Counter

from auditlog.models import LogEntry

from cases import models
from cases.services import consent_give
from tests.factories import PlacementFactory, ReferralFactory
from tests.workflows.conftest import claimed
from workflows.services import referral_start
from workflows.step_services import referral_decline

SECRETS = ["Καρρά", "Σοφία", "Αντώνιος", "ΑΚ 123456", "6944111222", "sofia@example.gr", "Οδός Ελπίδος 7",
           "διαβήτης", "αλκοόλ", "χρέη στην εφορία", "ποινικό μητρώο", "δύο παιδιά", "Μάγειρας 10 χρόνια",
           "Βρήκε στέγη στο Περιστέρι", "Δήλωσε ότι", "KK-777", "Απολύθηκε επειδή", "Πιστοποιητικό 4411",
           "Σημείωση μάρτυρα"]


def declined_person(intake_officer, **person):
    """A person referred, then declined at referral review through the workflow: a closed case (outcome declined)."""
    referral = ReferralFactory(**{"person__last_name": "Καρρά", "person__first_name": "Σοφία", **person})
    case = referral_start(referral=referral, by=intake_officer)
    referral_decline(task=claimed(case, "referral_review", intake_officer), by=intake_officer, reason="Εκτός περιοχής")
    case.refresh_from_db()
    return case


def fill_file(case, *, by) -> None:
    """Write something personal in every kind of row about the case's person."""
    person = case.person
    models.Person.objects.filter(pk=person.pk).update(
        father_name="Αντώνιος", document_kind="identity_card", document_number="ΑΚ 123456", phone="6944111222",
        email="sofia@example.gr", address="Οδός Ελπίδος 7", municipality="Περιστέρι", languages="αραβικά",
        birth_date=datetime.date(1990, 8, 20), sex="F")
    person.refresh_from_db()
    person.vulnerable_groups.add(*models.VulnerableGroup.objects.order_by("pk")[:2])
    consent_give(person=person, by=by, method="verbal_witnessed", witness="Σημείωση μάρτυρα", evidence="φάκελος 3")
    models.Referral.objects.filter(case=case).update(agency_ref="KK-777", reason="Δήλωσε ότι ζει στον δρόμο")
    models.NeedsAssessment.objects.create(
        case=case, employment_history="Μάγειρας 10 χρόνια", health="διαβήτης", addiction="αλκοόλ",
        finances="χρέη στην εφορία", legal_status="ποινικό μητρώο", childcare="δύο παιδιά", housing="street")
    plan = models.ActionPlan.objects.create(case=case, notes="Δήλωσε ότι θέλει να δουλέψει")
    models.Goal.objects.create(plan=plan, text="Βρήκε στέγη στο Περιστέρι", needs_training=True)
    course = models.TrainingEnrolment.objects.create(case=case, course="Μαγειρική", certificate="Πιστοποιητικό 4411")
    models.ServiceSession.objects.create(service=course, held_by=by, notes="Δήλωσε ότι κουράζεται")
    note = models.ContactNote.objects.create(case=case, kind="phone", text="Δήλωσε ότι φοβάται", written_by=by, confidential=True)
    models.NoteCorrection.objects.create(note=note, previous_kind="phone", previous_text="Δήλωσε ότι", previous_confidential=True, corrected_by=by)
    placement = PlacementFactory(case=case, end_date=datetime.date(2026, 3, 1), end_reason="Απολύθηκε επειδή άργησε")
    models.FollowUp.objects.create(placement=placement, months=1, due_on=datetime.date(2026, 2, 15), notes="Δήλωσε ότι")
    models.CaseEvent.objects.create(case=case, by=by, action="stage_changed", reason="Δήλωσε ότι μετακομίζει")


def statistics() -> Counter:
    """What the funder's counts are made of: one entry per case, by sex, year of birth, groups and outcome."""
    return Counter(
        (c.person.sex, c.person.birth_date.year, c.person.municipality, c.person.nationality.code,
         tuple(sorted(g.code for g in c.person.vulnerable_groups.all())), c.stage, c.outcome, c.opened_on, c.closed_on)
        for c in models.Case.objects.select_related("person").prefetch_related("person__vulnerable_groups")
    )


def change_log_text() -> str:
    """Every change-log entry as text, as a reader of the audit (or of a backup) would see it."""
    return " ".join(json.dumps([e.object_repr, e.changes], ensure_ascii=False, default=str) for e in LogEntry.objects.all())
