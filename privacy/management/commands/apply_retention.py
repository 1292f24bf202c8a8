"""Delete and anonymise what is past retention. A dry run (the default) only reports; --apply does it."""
from django.conf import settings
from django.core.management.base import BaseCommand

from audit.context import channel
from privacy.retention import apply_retention

SHOWN = 50  # case numbers listed in the report; the rest are counted


class Command(BaseCommand):
    help = ("Report what retention would delete or anonymise (dry run, the default), or do it with --apply. "
            "Run it daily from cron with --apply once the report is as expected.")

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Delete and anonymise; without it nothing changes.")

    def handle(self, *args, apply: bool, **options):
        with channel("command", "apply_retention"):
            report = apply_retention(dry_run=not apply)
        done = "deleted" if apply else "would be deleted"
        self.stdout.write("Dry run: nothing was changed." if report.dry_run else "Retention applied.")
        self.stdout.write(f"Refused import rows older than {settings.GEFYRA_IMPORT_RETENTION_DAYS} days {done}: "
                          f"{report.rejected_rows}")
        self.stdout.write(f"Unconfirmed preview batches {done}: {report.preview_batches}")
        self.stdout.write(f"People {'anonymised' if apply else 'to anonymise'}: {len(report.people)}")
        for outcome, count in sorted(report.cases_by_outcome.items()):
            self.stdout.write(f"  cases closed as {outcome or '(no outcome)'}: {count}")
        if report.people and not apply:
            shown = ", ".join(map(str, report.people[:SHOWN]))
            more = f" and {len(report.people) - SHOWN} more" if len(report.people) > SHOWN else ""
            self.stdout.write(f"  person ids: {shown}{more}")
        self.stdout.write(f"People kept for a legal hold: {report.held}")
