from datetime import date

from django.core.management.base import BaseCommand

from certificates.services import request_reminders


class Command(BaseCommand):
    help = (
        "Remind townships of certificates not issued by their deadline (what Celery beat runs each morning)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = date.fromisoformat(options["today"]) if options.get("today") else None
        self.stdout.write(f"reminders {request_reminders(today=today)}")
