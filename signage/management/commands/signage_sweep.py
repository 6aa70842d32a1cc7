"""Re-check every village's plaques against the rules in force; remind before and escalate after rectification deadlines."""

from datetime import date

from django.core.management.base import BaseCommand

from signage.services import signage_sweep


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, today=None, **options):
        result = signage_sweep(today=today)
        self.stdout.write(
            f"checked {result['checked']} villages, {result['sent']} reminders and escalations sent, "
            f"escalated {result['escalated']} items"
        )
