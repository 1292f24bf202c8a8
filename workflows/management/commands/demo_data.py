"""The demo lives in the workflow app: the domain's people and cases (cases.demo), then their flows."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.context import channel
from cases.demo import seed
from workflows.demo import seed_processes


class Command(BaseCommand):
    help = "Create demo agencies, one login per role, employers and people with cases at every stage (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=60, help="How many demo people in total (default 60).")

    def handle(self, *args, people: int, **options):
        if not settings.DEVELOPMENT:
            # Its logins have a published password: never on an instance holding real people.
            raise CommandError(_(
                "demo_data runs only in development (DJANGO_DEBUG=1): its logins have a published password. "
                "On a production instance, create the first supervisor with `manage.py createsuperuser`."
            ))
        with channel("command", "demo_data"):
            summary = seed(people=people)
            self.stdout.write(f"Demo people: {summary.total_people} ({summary.created_people} new).")
            # Each demo case also gets its workflow: the process and the tasks of its stage.
            self.stdout.write(f"Demo case processes: {seed_processes()} new.")
        self.stdout.write("Demo logins (username / role / password):")
        for username, role, password in summary.logins:
            self.stdout.write(f"  {username:<12} {role:<20} {password}")
        self.stdout.write("supervisor and dpo also set up two-factor sign-in (an authenticator app) at their first sign-in.")
