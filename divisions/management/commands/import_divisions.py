from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.services import record_event
from divisions.services import DivisionImportError, import_divisions


class Command(BaseCommand):
    help = "Import China's statistical division codes from a folder of five CSV(.gz) files."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="folder with provinces.csv.gz … villages.csv.gz")
        parser.add_argument(
            "--prefix", default="", help="only this code prefix, e.g. 15 (Inner Mongolia) or 150223"
        )

    def handle(self, *args, directory: Path, prefix: str, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder")
        try:
            stats = import_divisions(directory, prefix=prefix, progress=self.stdout.write)
        except DivisionImportError as exc:
            raise CommandError(str(exc)) from exc
        record_event(
            None,
            "divisions.import",
            summary=f"{directory} prefix={prefix or '*'}: {stats.created} created, "
            f"{stats.updated} updated, {stats.unchanged} unchanged",
            before=stats.before or None,
            after=stats.after or None,
        )
        rate = stats.rows_read / stats.seconds if stats.seconds else 0
        self.stdout.write(
            f"{stats.rows_read:,} rows in {stats.seconds:.1f}s ({rate:,.0f} rows/s): "
            f"{stats.created:,} created, {stats.updated:,} updated, {stats.unchanged:,} unchanged"
        )
        if stats.folded:
            self.stdout.write(
                f"{stats.folded} placeholder rows share their parent's 12-digit code "
                "(a missing county or township level) and were folded into it."
            )
        if not stats.changed:
            self.stdout.write(self.style.SUCCESS("Nothing changed: the database already matches the files."))
        else:
            self.stdout.write(self.style.SUCCESS("Import complete."))
