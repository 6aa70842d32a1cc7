from datetime import date

from django.core.management.base import BaseCommand, CommandError

from monitoring.services import report_reminders


class Command(BaseCommand):
    help = "Remind the organisation department of burden reports near their deadline; escalate late ones."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["today"]) if options.get("today") else None
        except ValueError as exc:
            raise CommandError("--today must be YYYY-MM-DD") from exc
        self.stdout.write(f"reminders {report_reminders(today=today)}")
