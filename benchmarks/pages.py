"""How fast is every page staff use, at scale?

    python -m benchmarks.pages [--people 100000] [--repeat 15] [--skip-fill] [--explain] [--only TEXT]

Fills the database named by DATABASE_URL (SQLite by default) with `demo_data --people N` (migrating first;
skip with --skip-fill when it is already filled), then renders, through Django's test client (middleware,
admin, templates: everything but the network), for the demo intake officer and the demo supervisor: the task
lists (My tasks, My team's queue, Stuck cases, Workload), a task page, the case page, the lists of cases,
people, referrals and import batches, and searches by surname, full name, AMKA and case number. Prints the median and
worst time of each and its number of SQL queries; --explain also prints the plan of each page's slowest query.
"""
from __future__ import annotations

import argparse
import statistics
import time

from benchmarks import fill, production_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000, help="demo people (= cases) to fill with (100000)")
    parser.add_argument("--repeat", type=int, default=15, help="renders of each page to take the median of (15)")
    parser.add_argument("--skip-fill", action="store_true", help="do not migrate or run demo_data")
    parser.add_argument("--explain", action="store_true", help="print the plan of each page's slowest query")
    parser.add_argument("--only", default="", help="only the pages whose name contains this text")
    args = parser.parse_args()

    production_settings()
    import logging

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # staff get 403 on supervisors' pages: expected
    fill(args.people, skip=args.skip_fill)
    run(args)


def run(args) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils.http import urlencode

    from cases.models import Case
    from workflows.models import CaseTask

    User = get_user_model()
    print(f"database: {connection.vendor}, cases: {Case.objects.count()}, tasks: {CaseTask.objects.count()}, "
          f"open human tasks: {CaseTask.objects.filter(flow_task_type='HUMAN', status__in=['NEW', 'ASSIGNED']).count()}")
    staff, boss = User.objects.get(username="intake"), User.objects.get(username="supervisor")
    task = CaseTask.objects.filter(owner=staff, status="ASSIGNED").order_by("-pk").first()
    case = Case.objects.select_related("person").get(pk=task.process.caseprocess.case_id)
    surname, amka = case.person.last_name, case.person.amka
    # The demo has few surnames (each is thousands of people): staff looking for one person type the whole name.
    full_name = f"{surname} {case.person.first_name}"
    cases, people = reverse("admin:cases_case_changelist"), reverse("admin:cases_person_changelist")
    referrals = reverse("admin:cases_referral_changelist")
    pages = {
        "Start page": reverse("admin:index"),
        "My tasks": reverse("admin:workflows_mytask_changelist"),
        "My team's queue": reverse("admin:workflows_teamtask_changelist"),
        "Stuck cases": reverse("admin:workflows_stucktask_changelist"),
        "Workload": reverse("admin:workflows_staffworkload_changelist"),
        "Task page": reverse("admin:workflows_mytask_change", args=[task.pk]),
        "Case page": reverse("admin:cases_case_change", args=[case.pk]),
        # Scoped to the user's work for staff (privacy.scope): the lists of everyone's files.
        "Case list": cases,
        "Case list ?q=surname": f"{cases}?{urlencode({'q': surname})}",
        "Case list ?q=full name": f"{cases}?{urlencode({'q': full_name})}",
        "Case list ?q=AMKA": f"{cases}?{urlencode({'q': amka})}",
        "Case list ?q=case no.": f"{cases}?{urlencode({'q': case.pk})}",
        "Person list": people,
        "Person list ?q=surname": f"{people}?{urlencode({'q': surname})}",
        "Person list ?q=full name": f"{people}?{urlencode({'q': full_name})}",
        "Person list ?q=AMKA": f"{people}?{urlencode({'q': amka})}",
        "Referral list": referrals,
        "Referral list ?q=surname": f"{referrals}?{urlencode({'q': surname})}",
        "Find a person ?name=surname": f"{reverse('admin:privacy_person_lookup')}?{urlencode({'name': surname})}",
        "Import batches": reverse("admin:imports_importbatch_changelist"),
        "Queue ?q=surname": f"{reverse('admin:workflows_teamtask_changelist')}?{urlencode({'q': surname})}",
    }
    pages = {name: url for name, url in pages.items() if not args.only or args.only.lower() in name.lower()}
    print(f"{'user':<11} {'page':<26} {'median ms':>9} {'max ms':>7} {'queries':>7}")
    for user in (staff, boss):
        client = signed_in(user)
        for name, url in pages.items():
            if client.get(url).status_code != 200:  # staff have no Stuck cases or Workload page
                continue
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            print(f"{user.username:<11} {name:<26} {statistics.median(times):>9.1f} {max(times):>7.1f} {len(queries):>7}")
            if args.explain:
                explain(connection, name, user.username, queries)


def signed_in(user):
    """A test client signed in as `user`, with a second factor where production asks for one (supervisors)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="benchmark", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def explain(connection, name: str, username: str, queries) -> None:
    """Print the plan of the page's slowest query."""
    selects = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    if not selects:
        return
    slowest = max(selects, key=lambda q: float(q["time"]))
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    print(f"\n--- {name} ({username}), slowest query, {float(slowest['time']) * 1000:.1f} ms: {slowest['sql'][:300]}…")
    with connection.cursor() as cursor:
        cursor.execute(prefix + slowest["sql"])
        for row in cursor.fetchall():
            print("   ", " | ".join(str(c) for c in row))
    print()


if __name__ == "__main__":
    main()
