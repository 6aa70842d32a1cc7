"""Make the weekly report or monthly summary now (what Celery beat does on its schedule)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from divisions.models import Division, Level


class Command(BaseCommand):
    help = (
        "Make last week's report (weekly) or last month's summary (monthly) of every county that keeps "
        "a work plan or has subscribers, or of the counties named; e-mail the subscribers. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["weekly", "monthly", "reminders"])
        parser.add_argument("--county", action="append", default=[], help="6-digit county code (repeatable)")
        parser.add_argument("--today", help="run as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, kind, county, today, **options):
        from notifications.services import send_emails
        from reports import services

        day = date.fromisoformat(today) if today else None
        if kind == "reminders":
            self.stdout.write(f"work-plan reminders: {services.plan_reminders(day)} messages")
            send_emails()
            return
        counties = None
        if county:
            counties = list(
                Division.objects.filter(code__in=[c.ljust(12, "0") for c in county], level=Level.COUNTY)
            )
            if len(counties) != len(county):
                raise CommandError("unknown county code")
        reports = services.reports_run(kind=kind, today=day, counties=counties)
        send_emails()
        for report in reports:
            self.stdout.write(
                f"{report.division.name}: {report.document.number} ({report.period_start}–{report.period_end})"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(reports)} reports"))
