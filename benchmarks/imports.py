"""Benchmark the referral import: python -m benchmarks.imports [--rows 10000] [--skip-stock].

Runs on a throw-away database (SQLite file, or PostgreSQL when DATABASE_URL is set: a database named
bench_<name> is created and dropped). Prints rows/s for the dry run and the real import (which starts
every case through workflows.services.referral_start_many), the idempotent re-import, peak Python memory of the
dry run at two file sizes, and the same file through a stock django-import-export ModelResource.
"""
from __future__ import annotations

import argparse
import csv
import datetime
import functools
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc

import django

from benchmarks import production_settings


def partner_file(rows: int, *, offset: int = 0) -> bytes:
    """A realistic partner CSV (UTF-8, ';'): 1% rows with errors, 0.5% repeated rows."""
    from stdnum import luhn
    from stdnum.gr import vat

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Κωδικός παραπομπής", "Ημερομηνία παραπομπής", "Επώνυμο", "Όνομα", "Πατρώνυμο", "Ημερομηνία γέννησης",
                     "Φύλο", "ΑΜΚΑ", "ΑΦΜ", "Τηλέφωνο", "Email", "Υπηκοότητα", "Ευάλωτες ομάδες", "Αιτία παραπομπής", "Συναίνεση"])
    for i in range(offset, offset + rows):
        n = i if i % 200 != 199 else i - 1  # every 200th row repeats the one above
        # The AMKA is the birth date and n % 10000: the n // 10000 days keep it unique for every n, so files made
        # at other offsets are about other people (without them, n and n + 30000 were the same person).
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=(n * 7) % 15000 + n // 10000)
        body = f"{birth:%d%m%y}{n % 10000:04d}"
        amka = body + luhn.calc_check_digit(body) if n % 100 != 50 else body + "0"  # 1% wrong check digits
        afm_body = f"{(n + 10_000_000) % 10**8:08d}"
        writer.writerow([
            f"REF-{n:06d}", "03/04/2024", "ΠΑΠΑΔΟΠΟΥΛΟΣ", f"Μαρία{n}", "Γεώργιος", f"{birth:%d/%m/%Y}", "Γ", amka,
            afm_body + vat.calc_check_digit(afm_body), f"69{n % 100_000_000:08d}", f"p{n}@example.gr", "Ελληνική",
            "Άστεγος/η, gmi", "Αναζήτηση εργασίας\r\nμε παιδί", "Ναι",
        ])
    return buffer.getvalue().encode("utf-8")


def timed(label: str, rows: int, func):
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    print(f"{label:<52} {seconds:7.2f} s  {rows / seconds:8.0f} rows/s", flush=True)
    return result


def peak_memory(func) -> float:
    tracemalloc.start()
    func()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--skip-stock", action="store_true", help="Do not time the stock django-import-export path.")
    args = parser.parse_args()

    production_settings()
    django.setup()
    from django.db import connection

    test = connection.settings_dict["TEST"]
    if connection.vendor == "sqlite":
        # A file, not the in-memory test database: closer to a real deployment.
        test["NAME"] = os.path.join(tempfile.gettempdir(), "gefyra_bench.sqlite3")
    else:
        test["NAME"] = f"bench_{connection.settings_dict['NAME']}"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from cases.models import Agency, Referral
    from imports.services import referral_import

    rows = args.rows
    user = get_user_model().objects.create(username="bench", is_staff=True)
    agency = Agency.objects.create(code="BENCH", name="Benchmark agency")
    content = partner_file(rows)
    print(f"{connection.vendor}, {rows} rows, file {len(content) / 1024 / 1024:.1f} MB, Python {sys.version.split()[0]}")
    if not args.skip_stock:
        stock(content, rows, user)
        wipe()
    start_seconds = count_workflow_start()

    def import_(dry_run: bool, agency=agency):
        return referral_import(file=io.BytesIO(content), agency=agency, by=user, dry_run=dry_run)

    report = timed("dry run", rows, lambda: import_(True))
    print(f"  → created {report.created}, duplicates {report.duplicates}, errors {len(report.errors)}")
    report = timed("real import (incl. referral_start_many)", rows, lambda: import_(False))
    print(f"  → created {report.created}, referrals in db {Referral.objects.count()}; "
          f"of which referral_start_many: {start_seconds[0]:.2f} s ({1000 * start_seconds[0] / max(report.created, 1):.1f} ms each)")
    report = timed("same file again (creates nothing)", rows, lambda: import_(False))
    print(f"  → created {report.created}, duplicates {report.duplicates}")

    # Peak Python memory (tracemalloc, which slows the run) at a fifth of the size and at full size: flat if streaming.
    # The file's bytes are made before tracemalloc starts and read without a copy, so the peak leaves them out.
    # Offsets chosen so the new files' references differ from those imported above (and their people differ too).
    for label, dry_run, offset in (("dry run", True, 500_001), ("real import", False, 700_003)):
        figures = []
        for size in (rows // 5, rows):
            file = partner_file(size, offset=offset + size)
            reports = []
            run = functools.partial(referral_import, file=io.BytesIO(file), agency=agency, by=user, dry_run=dry_run)
            peak = peak_memory(lambda run=run, reports=reports: reports.append(run()))
            figures.append(f"{size} rows ({reports[0].created} created, {reports[0].rejected} rejected): {peak:.1f} MB "
                           f"(the file: {len(file) / 1024 / 1024:.1f} MB)")
        print(f"peak Python memory of a {label}: " + ", ".join(figures), flush=True)
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def count_workflow_start() -> list[float]:
    """Wrap the import's referral_start_many to add up its time: it is the workflow's cost, not the import's."""
    import imports.services

    total = [0.0]
    original = imports.services.referral_start_many

    def timed_start(**kwargs):
        start = time.perf_counter()
        try:
            return original(**kwargs)
        finally:
            total[0] += time.perf_counter() - start

    imports.services.referral_start_many = timed_start
    return total


def wipe() -> None:
    from cases.models import Case, Person, Referral

    Referral.objects.all().delete()
    Case.objects.all().delete()
    Person.objects.all().delete()


def stock(content: bytes, rows: int, user) -> None:
    """The same file through a plain ModelResource, as django-import-export does it out of the box."""
    import tablib
    from import_export import fields, resources, widgets

    from cases.models import Agency, Person, Referral
    from workflows.services import referral_start

    agency = Agency.objects.create(code="STOCK", name="Stock path")
    english = ["agency_ref", "referral_date", "last_name", "first_name", "father_name", "birth_date", "sex", "amka", "afm",
               "phone", "email", "nationality", "vulnerable_groups", "reason", "consent"]

    class StockResource(resources.ModelResource):
        birth_date = fields.Field(attribute="birth_date", column_name="birth_date", widget=widgets.DateWidget("%d/%m/%Y"))

        class Meta:
            model = Person
            import_id_fields = ["amka"]
            fields = ["last_name", "first_name", "father_name", "birth_date", "amka", "afm", "email"]

        def before_save_instance(self, instance, row, **kwargs):
            instance.consent_processing_at = datetime.datetime.now(datetime.UTC)

        def after_save_instance(self, instance, row, **kwargs):
            if not kwargs.get("dry_run"):
                referral = Referral.objects.create(agency=agency, agency_ref=row["agency_ref"], person=instance)
                referral_start(referral=referral, by=user)

    def load():
        # The stock CSV format assumes ','; read the ';' file with tablib directly and use English headers.
        dataset = tablib.Dataset().load(content.decode("utf-8-sig"), format="csv", delimiter=";")
        dataset.headers = english
        return dataset

    def go(dry_run: bool):
        # Stock validation: a row with a wrong AMKA check digit fails full_clean and is reported, not saved.
        return StockResource().import_data(load(), dry_run=dry_run, raise_errors=False, use_transactions=True)

    result = timed("stock django-import-export dry run", rows, lambda: go(True))
    print(f"  → totals {dict(result.totals)}")
    result = timed("stock django-import-export import (+ referral_start)", rows, lambda: go(False))
    print(f"  → totals {dict(result.totals)}")


if __name__ == "__main__":
    main()
