"""python manage.py import_referrals FILE --agency CODE [--dry-run] [--json] (an interface cron jobs rely on)."""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from audit.context import channel
from cases.models import Agency
from imports.planning import ImportReport
from imports.reading import FileError
from imports.services import referral_import


class Command(BaseCommand):
    help = "Import a partner agency's referral spreadsheet (XLSX or CSV)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The partner's XLSX or CSV file.")
        parser.add_argument("--agency", required=True, help="The referring agency's code.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report, without importing.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object (rows, created, duplicates, errors).")

    def handle(self, *args, **options):
        try:
            report = self._import(options)
        except (OperationalError, InterfaceError) as exc:
            # The connection dropped (a restart, a killed backend) or SQLite stayed locked: the import is one
            # transaction, so nothing of it was kept. One line for cron's mail, not a traceback.
            error = (str(exc).strip() or exc.__class__.__name__).splitlines()[0]
            raise CommandError(_("The database was unreachable or busy (%(error)s). Nothing was imported; try again.")
                               % {"error": error}) from None
        if options["json"]:
            # ASCII escapes: a cron job's stdout may not be UTF-8, and any JSON reader decodes them.
            self.stdout.write(json.dumps(report.as_json()))
            return
        summary = _("%(rows)s rows: %(created)s created, %(duplicates)s duplicates, %(rejected)s rejected.")
        if report.dry_run:
            summary = _("Dry run, nothing imported.") + " " + summary
        self.stdout.write(summary % {"rows": report.rows, "created": report.created, "duplicates": report.duplicates, "rejected": report.rejected})
        if report.located:
            self.stdout.write(report.located)
        for error in report.errors:
            self.stdout.write(f"  {error.row}\t{error.field}\t{error.code}\t{error.message}")

    def _import(self, options) -> ImportReport:
        try:
            agency = Agency.objects.get(code=options["agency"])
        except Agency.DoesNotExist:
            raise CommandError(_("No agency has the code “%(code)s”.") % {"code": options["agency"]}) from None
        try:
            with open(options["file"], "rb") as file, channel("command", "import_referrals"):
                return referral_import(file=file, agency=agency, by=None, dry_run=options["dry_run"])
        except OSError as exc:
            raise CommandError(_("Cannot open the file: %(error)s") % {"error": exc.strerror or exc}) from None
        except FileError as exc:
            raise CommandError(str(exc)) from None
