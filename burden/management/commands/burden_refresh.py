"""Refresh the burden summary tables now (what the nightly beat task does)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from divisions.models import Division, Level


class Command(BaseCommand):
    help = "Refresh the burden account's summary tables (every county, or one) for a date (default today)."

    def add_arguments(self, parser):
        parser.add_argument("--county", default="", help="12-digit code of one county")
        parser.add_argument("--on", default="", help="YYYY-MM-DD (default today)")
        parser.add_argument(
            "--months", type=int, default=12, help="monthly trend points to fill where missing"
        )

    def handle(self, *args, **options):
        from burden.summaries import summaries_refresh, summaries_refresh_all, summaries_roll_up

        try:
            on = date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--on must be a date YYYY-MM-DD") from exc
        if options["county"]:
            county = Division.objects.filter(code=options["county"], level=Level.COUNTY).first()
            if county is None:
                raise CommandError(f"no county {options['county']}")
            n = summaries_refresh(county=county, on=on) + summaries_roll_up(on=on)
        else:
            n = summaries_refresh_all(on=on, backfill_months=options["months"])
        self.stdout.write(f"burden summaries: {n} rows written for {on}")
