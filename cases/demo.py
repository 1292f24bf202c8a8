"""Demo data: the seeds' agencies, one login per role, employers, and people at every stage.

Bulk inserts throughout so that `--people 100000` takes minutes, not hours.
"""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import luhn
from stdnum.gr import vat

from cases import models
from cases.roles import Role

DEMO_PASSWORD = "gefyra-demo-2026"
BATCH = 2000

AGENCIES = [
    ("KK-CHIOS", "Κέντρο Κοινότητας Χίου", models.Agency.Kind.COMMUNITY_CENTRE),
    ("KEM-ATH", "Κέντρο Ένταξης Μεταναστών Δήμου Αθηναίων", models.Agency.Kind.MIGRANT_CENTRE),
    ("SHELTER-ATH", "Ξενώνας Φιλοξενίας Αστέγων Δήμου Αθηναίων", models.Agency.Kind.SHELTER),
    ("KLIMAKA", "Κλίμακα ΑΜΚΕ", models.Agency.Kind.NGO),
    ("KYADA", "Κέντρο Υποδοχής και Αλληλεγγύης Δήμου Αθηναίων", models.Agency.Kind.SOCIAL_SERVICE),
    ("KETHEA", "ΚΕΘΕΑ", models.Agency.Kind.ADDICTION_SERVICE),
]
STAFF = [
    ("intake", Role.INTAKE_OFFICER, "Μαρία", "Ιωάννου"),
    ("counsellor", Role.COUNSELLOR, "Νίκος", "Γεωργίου"),
    ("trainer", Role.TRAINING_OFFICER, "Άννα", "Δημητρίου"),
    ("lawyer", Role.LEGAL_ADVISER, "Κώστας", "Αλεξίου"),
    ("accountant", Role.ACCOUNTANT, "Σοφία", "Νικολάου"),
    ("placement", Role.PLACEMENT_OFFICER, "Δημήτρης", "Παππάς"),
    ("supervisor", Role.SUPERVISOR, "Ελένη", "Κωνσταντίνου"),
    ("dpo", Role.DATA_PROTECTION_OFFICER, "Αγγελική", "Σπυροπούλου"),
]
EMPLOYERS = [
    ("Ξενοδοχεία Αιγαίου Α.Ε.", "Τουρισμός", ["Καμαριέρα/ης", "Βοηθός κουζίνας"]),
    ("Σούπερ Μάρκετ Γειτονιάς Ο.Ε.", "Λιανεμπόριο", ["Ταμίας", "Υπάλληλος αποθήκης"]),
    ("Καθαριότητα Αττικής Ε.Π.Ε.", "Υπηρεσίες καθαρισμού", ["Καθαριστής/τρια"]),
    ("Logistics Πειραιά Α.Ε.", "Μεταφορές", ["Οδηγός περονοφόρου", "Συσκευαστής/τρια"]),
    ("Φούρνος Η Γωνιά", "Εστίαση", ["Βοηθός αρτοποιού"]),
    ("Κοινωνική Συνεταιριστική Επιχείρηση Ένταξη", "Κοινωνική οικονομία", ["Υπάλληλος υποδοχής"]),
]
SURNAMES = [
    ("Παπαδόπουλος", "Παπαδοπούλου"), ("Γεωργίου", "Γεωργίου"), ("Οικονόμου", "Οικονόμου"),
    ("Νικολάου", "Νικολάου"), ("Βασιλείου", "Βασιλείου"), ("Καραγιάννης", "Καραγιάννη"),
    ("Αθανασίου", "Αθανασίου"), ("Μακρής", "Μακρή"), ("Σταύρου", "Σταύρου"), ("Χατζής", "Χατζή"),
    ("Ahmadi", "Ahmadi"), ("Haidari", "Haidari"), ("Kovač", "Kovač"), ("Mensah", "Mensah"),
]
MALE_NAMES = ["Γιώργος", "Κώστας", "Γιάννης", "Δημήτρης", "Νίκος", "Παναγιώτης", "Ali", "Omar", "Kwame"]
FEMALE_NAMES = ["Μαρία", "Ελένη", "Κατερίνα", "Βασιλική", "Σοφία", "Δέσποινα", "Fatima", "Amina", "Ana"]
FATHER_NAMES = ["Ιωάννης", "Γεώργιος", "Κωνσταντίνος", "Δημήτριος", "Νικόλαος"]
MUNICIPALITIES = ["Αθηναίων", "Χίου", "Πειραιώς", "Καλλιθέας", "Περιστερίου", "Νίκαιας-Ρέντη"]
NATIONALITIES = ["GR"] * 6 + ["AF", "SY", "AL", "UA", "NG", "GH"]
# Demo cases are spread over every stage, most of them early, as in a real centre.
STAGE_WEIGHTS = [
    (models.Case.Stage.REFERRAL_REVIEW, 10), (models.Case.Stage.INTAKE, 14), (models.Case.Stage.COUNSELLING, 14),
    (models.Case.Stage.SERVICES, 20), (models.Case.Stage.PLACEMENT, 12), (models.Case.Stage.FOLLOW_UP, 15),
    (models.Case.Stage.CLOSED, 15),
]


def make_amka(birth_date: datetime.date, serial: int) -> str:
    """Return a valid AMKA: DDMMYY, four serial digits, Luhn check digit."""
    body = f"{birth_date:%d%m%y}{serial % 10000:04d}"
    return body + luhn.calc_check_digit(body)


def make_afm(serial: int) -> str:
    """Return a valid 9-digit AFM for a serial number."""
    body = f"{serial % 10**8:08d}"
    return body + vat.calc_check_digit(body)


@dataclass
class DemoSummary:
    created_people: int
    total_people: int
    logins: list[tuple[str, str, str]]


def seed_agencies() -> list[models.Agency]:
    return [
        models.Agency.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})[0]
        for code, name, kind in AGENCIES
    ]


def seed_staff() -> list[tuple[str, str, str]]:
    """Create one login per role; return (username, role, password). No superuser: every demo password is
    published. An existing account keeps its password."""
    User = get_user_model()
    logins = []
    for username, role, first, last in STAFF:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
        user.is_staff = True
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
        logins.append((username, str(role.label), DEMO_PASSWORD if created else _("(unchanged)")))
    return logins


def seed_employers() -> list[models.Employer]:
    employers = []
    for i, (name, sector, titles) in enumerate(EMPLOYERS):
        employer, _ = models.Employer.objects.get_or_create(afm=make_afm(90_000_000 + i), defaults={"name": name, "sector": sector})
        for title in titles:
            models.Vacancy.objects.get_or_create(employer=employer, title=title, defaults={"positions": 2})
        employers.append(employer)
    return employers


def demo_ref(i: int) -> str:
    return f"DEMO-{i:06d}"


def build_person(i: int, rng: random.Random, today: datetime.date) -> models.Person:
    female = rng.random() < 0.55
    surname = rng.choice(SURNAMES)[1 if female else 0]
    # Birth day and serial both derive from i, so every AMKA is distinct.
    birth_date = datetime.date(1960, 1, 1) + datetime.timedelta(days=i % 14000)
    person = models.Person(
        last_name=surname,
        first_name=rng.choice(FEMALE_NAMES if female else MALE_NAMES),
        father_name=rng.choice(FATHER_NAMES),
        birth_date=birth_date,
        sex=models.Person.Sex.FEMALE if female else models.Person.Sex.MALE,
        amka=make_amka(birth_date, i // 14000) if rng.random() < 0.85 else None,
        afm=make_afm(10_000_000 + i) if rng.random() < 0.6 else None,
        phone=f"+30697{i % 10_000_000:07d}",
        municipality=rng.choice(MUNICIPALITIES),
        nationality=rng.choice(NATIONALITIES),
        education=rng.choice(models.Person.Education.values),
        consent_processing_at=timezone.now() - datetime.timedelta(days=rng.randint(1, 400)),
    )
    person.search_text = person.build_search_text()
    return person


def _stage_for(rng: random.Random) -> str:
    stages, weights = zip(*STAGE_WEIGHTS, strict=True)
    return rng.choices(stages, weights)[0]


def _journey(case: models.Case, rng: random.Random, staff: dict, employers: list, vacancies: dict) -> dict[str, list]:
    """Return the unsaved rows that a case at its stage would have accumulated."""
    Stage = models.Case.Stage
    order = list(Stage.values)
    reached = order.index(case.stage)
    rows: dict[str, list] = {"events": [], "assessments": [], "plans": [], "placements": []}
    opened = datetime.datetime.combine(case.opened_on, datetime.time(10), tzinfo=datetime.UTC)
    rows["events"].append(models.CaseEvent(case=case, at=opened, by=staff["intake"], action=models.CaseEvent.Action.OPENED, to_stage=Stage.REFERRAL_REVIEW))
    last = min(reached, order.index(Stage.FOLLOW_UP))
    for step in range(1, last + 1):
        rows["events"].append(models.CaseEvent(
            case=case, at=opened + datetime.timedelta(days=7 * step), by=staff["intake"], action=models.CaseEvent.Action.STAGE_CHANGED,
            from_stage=order[step - 1], to_stage=order[step],
        ))
    if reached > order.index(Stage.INTAKE):
        rows["assessments"].append(models.NeedsAssessment(
            case=case, assessed_on=case.opened_on + datetime.timedelta(days=7), assessed_by=staff["intake"],
            employment_history="Εργασία σε εστίαση, 2015-2019.", digital_skills=rng.choice(["none", "basic", "intermediate"]),
            housing=rng.choice(models.NeedsAssessment.Housing.values),
        ))
    if reached > order.index(Stage.COUNSELLING):
        rows["plans"].append((models.ActionPlan(
            case=case, agreed_on=case.opened_on + datetime.timedelta(days=14), created_by=staff["counsellor"],
        ), rng.random() < 0.6, rng.random() < 0.4, rng.random() < 0.3))
    if case.stage == Stage.FOLLOW_UP or (case.stage == Stage.CLOSED and case.outcome in ("placed", "retained_6m")):
        employer = rng.choice(employers)
        rows["placements"].append(models.Placement(
            case=case, employer=employer, vacancy=vacancies[employer.pk], start_date=case.opened_on + datetime.timedelta(days=60),
            contract_type=rng.choice(models.Placement.Contract.values), hours_per_week=rng.choice([20, 30, 40]),
        ))
    if case.stage == Stage.CLOSED:
        rows["events"].append(models.CaseEvent(
            case=case, at=opened + datetime.timedelta(days=90), by=staff["counsellor"], action=models.CaseEvent.Action.CLOSED,
            from_stage=order[last], to_stage=Stage.CLOSED, reason=case.get_outcome_display(),
        ))
    return rows


def _save_services(plans: list[tuple]) -> None:
    """Record the services the plans asked for, with a first session.

    Multi-table inheritance rules out bulk_create, so only the first batch of demo cases gets them: the default demo
    shows every screen filled, and `--people 100000` stays fast.
    """
    for plan, training, legal, accounting in plans:
        kinds = [
            (training, models.TrainingEnrolment, {"course": "Βοηθός μάγειρα", "provider": "ΚΔΒΜ Δήμου", "hours_planned": 120}),
            (legal, models.LegalAdvice, {"topic": models.LegalAdvice.Topic.RESIDENCE_PERMIT}),
            (accounting, models.AccountingSupport, {"topic": models.AccountingSupport.Topic.TAX_REGISTRATION}),
        ]
        for needed, model, fields in kinds:
            if needed:
                service = model.objects.create(case=plan.case, started_on=plan.agreed_on, **fields)
                models.ServiceSession.objects.create(service=service, held_on=plan.agreed_on, held_by=plan.created_by)


def _save_journeys(journeys: list[dict[str, list]], *, with_services: bool) -> None:
    def all_of(key):
        return [row for j in journeys for row in j[key]]

    models.CaseEvent.objects.bulk_create(all_of("events"), batch_size=BATCH)
    models.NeedsAssessment.objects.bulk_create(all_of("assessments"), batch_size=BATCH)
    plans = all_of("plans")
    models.ActionPlan.objects.bulk_create([p for p, *_ in plans], batch_size=BATCH)
    models.Goal.objects.bulk_create([
        models.Goal(
            plan=plan, text="Εύρεση σταθερής εργασίας", agreed_on=plan.agreed_on, needs_training=training,
            needs_legal_advice=legal, needs_accounting=accounting,
        )
        for plan, training, legal, accounting in plans
    ], batch_size=BATCH)
    if with_services:
        _save_services(plans)
    placements = models.Placement.objects.bulk_create(all_of("placements"), batch_size=BATCH)
    models.FollowUp.objects.bulk_create([
        models.FollowUp(placement=p, months=months, due_on=due) for p in placements for months, due in p.follow_up_dates()
    ], batch_size=BATCH)


def seed_people(total: int, *, agencies: list, staff: dict, employers: list) -> int:
    """Bring the demo people up to `total`, each referred with a case; return how many were created."""
    start = models.Referral.objects.filter(agency_ref__startswith="DEMO-").count()
    groups = list(models.VulnerableGroup.objects.all())
    vacancies = {v.employer_id: v for v in models.Vacancy.objects.filter(employer__in=employers)}
    today = timezone.localdate()
    for chunk_start in range(start, total, BATCH):
        indexes = range(chunk_start, min(chunk_start + BATCH, total))
        rngs = {i: random.Random(i) for i in indexes}
        with transaction.atomic():
            people = models.Person.objects.bulk_create([build_person(i, rngs[i], today) for i in indexes])
            models.Person.vulnerable_groups.through.objects.bulk_create([
                models.Person.vulnerable_groups.through(person_id=p.pk, vulnerablegroup_id=g.pk)
                for i, p in zip(indexes, people, strict=True) for g in rngs[i].sample(groups, rngs[i].randint(1, 2))
            ])
            cases = []
            for i, person in zip(indexes, people, strict=True):
                rng = rngs[i]
                stage = _stage_for(rng)
                closed = stage == models.Case.Stage.CLOSED
                opened = today - datetime.timedelta(days=rng.randint(1, 30) * (1 + list(models.Case.Stage.values).index(stage)))
                cases.append(models.Case(
                    person=person, stage=stage, opened_on=opened, key_worker=staff["counsellor"],
                    closed_on=opened + datetime.timedelta(days=90) if closed else None,
                    outcome=rng.choice(models.Case.Outcome.values) if closed else "",
                ))
            cases = models.Case.objects.bulk_create(cases)
            models.Referral.objects.bulk_create([
                models.Referral(
                    agency=rngs[i].choice(agencies), agency_ref=demo_ref(i), person=person, case=case,
                    referral_date=case.opened_on, reason="Αναζήτηση εργασίας και υποστήριξη",
                    status=models.Referral.Status.RECEIVED if case.stage == models.Case.Stage.REFERRAL_REVIEW
                    else models.Referral.Status.ACCEPTED,
                )
                for i, person, case in zip(indexes, people, cases, strict=True)
            ])
            _save_journeys(
                [_journey(case, rngs[i], staff, employers, vacancies) for i, case in zip(indexes, cases, strict=True)],
                with_services=chunk_start == 0,
            )
    return max(0, total - start)


def seed(*, people: int) -> DemoSummary:
    """Create (or complete) the demo data set; safe to run again."""
    with transaction.atomic():
        agencies = seed_agencies()
        logins = seed_staff()
        employers = seed_employers()
    User = get_user_model()
    staff = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in STAFF])}
    created = seed_people(people, agencies=agencies, staff=staff, employers=employers)
    return DemoSummary(created_people=created, total_people=models.Person.objects.count(), logins=logins)
