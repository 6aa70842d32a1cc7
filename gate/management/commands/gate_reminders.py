from django.core.management.base import BaseCommand

from gate.services import gate_sweep


class Command(BaseCommand):
    help = (
        "Expire lapsed approvals, send deadline reminders, escalations and renewal notices, "
        "and e-mail pending notifications (what Celery beat runs every 30 minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        from datetime import date

        today = date.fromisoformat(options["today"]) if options.get("today") else None
        result = gate_sweep(today=today)
        self.stdout.write(
            f"expired {result['expired']}, reminders {result['reminders']}, e-mailed {result['emailed']}"
        )
