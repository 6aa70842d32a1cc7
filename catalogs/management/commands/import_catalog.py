"""python manage.py import_catalog FILE --catalogue DIVISION_CODE --user USERNAME [--name NAME] [--check-only]"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from catalogs import services, spreadsheets
from catalogs.choices import ImportStatus
from catalogs.models import Catalogue
from divisions.models import Division
from organisations.models import User


class Command(BaseCommand):
    help = (
        "Import a catalogue spreadsheet (.xlsx/.csv) into a catalogue's draft: checked first, then applied."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--catalogue", required=True, help="the catalogue's division code (e.g. 150223) or its id"
        )
        parser.add_argument("--user", required=True, help="the keeper the import is recorded under")
        parser.add_argument("--check-only", action="store_true", help="check and report; write nothing")
        parser.add_argument("--name", help="open the catalogue with this name if the division has none yet")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        ref = opts["catalogue"]
        # By code: the division's first list, its villages' (a community list is named by its id).
        catalogue = Catalogue.objects.filter(division_id=ref.ljust(12, "0")).first() or (
            Catalogue.objects.filter(pk=ref).first() if ref.isdigit() and len(ref) < 6 else None
        )
        user = User.objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"no user {opts['user']}")
        if catalogue is None and opts["name"]:
            division = Division.objects.filter(pk=ref.ljust(12, "0")).first()
            if division is None:
                raise CommandError(f"no division {ref}")
            try:
                catalogue = services.catalogue_create(division=division, name=opts["name"], user=user)
            except (ValidationError, PermissionDenied) as exc:
                raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        if catalogue is None:
            raise CommandError(f"no catalogue {ref} (give --name to open one)")
        try:
            with path.open("rb") as fh:
                upload = File(fh, name=path.name)
                upload.size = path.stat().st_size
                job = spreadsheets.import_job_create(
                    catalogue=catalogue, upload=upload, user=user, background=False
                )
        except (spreadsheets.SpreadsheetError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        outcome = spreadsheets.check(job)
        job.refresh_from_db()
        if job.status != ImportStatus.CHECKED:
            for err in job.errors[:50]:
                self.stderr.write(f"row {err['row']} [{err['column']}]: {err['message']}")
            raise CommandError(job.message or f"{job.error_count} errors; nothing imported")
        self.stdout.write(
            f"checked {outcome.total} rows: {outcome.new} new, {outcome.changed} changed, "
            f"{outcome.unchanged} unchanged"
        )
        if opts["check_only"]:
            return
        spreadsheets.import_job_confirm(job=job, user=user, background=False)
        outcome = spreadsheets.apply(job)
        self.stdout.write(self.style.SUCCESS(f"imported into the draft of {catalogue} (job {job.pk})"))
