"""Move the case flows on with the clock. Safe to run every few minutes from cron."""
from django.core.management.base import BaseCommand

from audit.context import channel
from workflows import services


class Command(BaseCommand):
    help = "Create follow-up tasks that have fallen due and mark overdue tasks (run from cron every 5 minutes)."

    def handle(self, *args, **options):
        with channel("command", "advance_flows"):
            fired = services.timers_fire()
            marked = services.tasks_overdue_mark()
        self.stdout.write(f"{fired} follow-up(s) fell due, {marked} task(s) newly overdue")
