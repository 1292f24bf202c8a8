"""How long does retention take at scale?

    python -m benchmarks.retention [--people 20000] [--skip-fill] [--years 6]

Fills the database named by DATABASE_URL (SQLite by default) with `demo_data --people N` (migrating first; skip
with --skip-fill), then, with the clock moved on `--years` so that every closed case is past its period, times
`apply_retention` as a dry run and for real, and prints how many people and change-log entries it touched. The
real run is rolled back at the end, so the figures repeat on the same database.
"""
from __future__ import annotations

import argparse
import datetime
import time

from benchmarks import fill, production_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000, help="demo people (= cases) to fill with (20000)")
    parser.add_argument("--skip-fill", action="store_true", help="do not migrate or run demo_data")
    parser.add_argument("--years", type=int, default=6, help="how far to move the clock (6: past every period)")
    args = parser.parse_args()

    production_settings()
    import django

    django.setup()
    import time_machine
    from auditlog.models import LogEntry
    from django.db import connection, transaction
    from django.utils import timezone

    from cases.models import Case, Person
    from privacy.retention import apply_retention

    fill(args.people, skip=args.skip_fill)
    print(f"{connection.vendor}: {Person.objects.count()} people, {Case.objects.count()} cases "
          f"({Case.objects.filter(stage=Case.Stage.CLOSED).count()} closed), {LogEntry.objects.count()} change-log entries")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=365 * args.years), tick=True):
        started = time.perf_counter()
        report = apply_retention(dry_run=True)
        print(f"dry run: {time.perf_counter() - started:.2f} s, {len(report.people)} people due, {report.held} held")
        with transaction.atomic():
            before = LogEntry.objects.count()
            started = time.perf_counter()
            apply_retention(dry_run=False)
            elapsed = time.perf_counter() - started
            print(f"applied: {elapsed:.2f} s ({elapsed / max(len(report.people), 1) * 1000:.2f} ms a person), "
                  f"{before - LogEntry.objects.count()} change-log entries removed; rolled back")
            transaction.set_rollback(True)


if __name__ == "__main__":
    main()
