"""Catalogue .xlsx import against django-import-export at its best settings, and against reader + COPY.

In one process, per repeat, on the same generated .xlsx (``bench_catalog_import.generate``,
all 22 columns, Chinese text, the three lists; kept in ``bench/out/``), each
into a fresh draft of its own catalogue in the same database:

1. **the registry's import**, as a provincial keeper does it through the
   services: upload, the check pass (every row validated as the forms and the
   API validate it, the preview kept aside), confirm, and the apply (one
   transaction: the items by COPY, their history rows, the audit record) —
   rows/s over the whole;
2. **django-import-export** at its best settings — ``use_bulk``, ``skip_diff``,
   ``batch_size=2000``, ``CachedInstanceLoader`` (one query loads every
   existing instance), ``force_init_instance`` with the draft and division set
   on each new instance (no foreign-key lookup per row), one transaction —
   given the rows already parsed (by the registry's reader, untimed) as a
   ``tablib`` Dataset of model values: no .xlsx parsing, none of the
   catalogue's checks, no history rows, so the most favourable case for the
   library;
3. **the physical limit**: the same file read by the registry's streaming
   reader (``spreadsheets.reading.open_sheet``) and its rows written by one
   psycopg COPY, no checks.

Each runs once, untimed, on a 200-row file before the repeats (a cold process
made the first repeat's registry import, which runs first, 9–23% slower in the runs measured).
Each goal's pair runs side by side in time: registry, reader + COPY, the
library from the .xlsx; before each measurement the database is vacuumed,
analysed and checkpointed, untimed (so no autovacuum of the last import's rows
runs during the next).

    uv run python bench/bench_import_export_baseline.py --postgres postgres://postgres@127.0.0.1:57416/bench \\
        [--rows 20000] [--repeats 5] [--bench-run]

The database ``<name>_catalogue_import`` is recreated on that server.
Goals: registry ≥ 5× the library's rows/s, and ≥ 0.5× reader + COPY.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, create_database, emit, figure, settle, show


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--bench-run", action="store_true", help="figures as JSON for bench/run")
    args = parser.parse_args()
    base, name = args.postgres.rsplit("/", 1)
    url = f"{base}/{name}_catalogue_import"
    create_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-media-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench_catalog_import import OUT, generate
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"catalogue-{args.rows}.xlsx"
    if not path.exists():
        generate(path, args.rows)
    # Every contender once, untimed, on a small file first: the first repeat otherwise pays for
    # the process's cold start (modules imported, caches filled), and the registry runs first.
    warm = OUT / "catalogue-200.xlsx"
    if not warm.exists():
        generate(warm, 200)
    registry_import(warm, -1)
    reader_copy(warm, -1)
    library_xlsx_import(warm, -1)
    library_xlsx_import(warm, -1, preview=True)
    library_import(warm, -1)
    samples: dict[str, list[float]] = {
        "registry": [],
        "library_xlsx": [],
        "library_preview": [],
        "library": [],
        "copy": [],
    }
    for n in range(args.repeats):
        # Each goal's pair side by side in time (the machine's load drifts): the registry, the bare
        # limit, the library from the .xlsx; then the two figures that are only reported.
        settle()
        samples["registry"].append(registry_import(path, n))
        settle()
        samples["copy"].append(reader_copy(path, n))
        settle()
        samples["library_xlsx"].append(library_xlsx_import(path, n))
        settle()
        samples["library_preview"].append(library_xlsx_import(path, n, preview=True))
        settle()
        samples["library"].append(library_import(path, n))
        print(
            f"repeat {n + 1}: registry {samples['registry'][-1]:,.0f} rows/s, "
            f"django-import-export from the .xlsx {samples['library_xlsx'][-1]:,.0f} rows/s, "
            f"with its preview {samples['library_preview'][-1]:,.0f} rows/s, "
            f"given parsed rows {samples['library'][-1]:,.0f} rows/s, "
            f"reader + COPY {samples['copy'][-1]:,.0f} rows/s",
            flush=True,
        )
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    figures = [
        figure(
            f"catalogue .xlsx import, {args.rows:,} rows (check + apply)",
            "rows/s",
            samples["registry"],
            "django-import-export, best settings, the same .xlsx through its XLSX format",
            samples["library_xlsx"],
            at_least=5.0,
        ),
        figure(
            f"catalogue .xlsx import, {args.rows:,} rows (check + apply)",
            "rows/s",
            samples["registry"],
            "django-import-export, best settings, the same .xlsx, with its preview "
            "(dry run, then the file again), as its admin page imports",
            samples["library_preview"],
        ),
        figure(
            f"catalogue .xlsx import, {args.rows:,} rows (check + apply)",
            "rows/s",
            samples["registry"],
            "django-import-export, best settings, rows pre-parsed (its write path alone)",
            samples["library"],
        ),
        figure(
            f"catalogue .xlsx import, {args.rows:,} rows (check + apply)",
            "rows/s",
            samples["registry"],
            "the registry's reader + one COPY of the rows, no checks",
            samples["copy"],
            at_least=0.5,
        ),
    ]
    if args.bench_run:
        emit(figures)
    show(figures)


def _catalogue(label: str):
    from catalogs import services
    from divisions.models import Division, Level
    from organisations.choices import OrgKind, Role
    from organisations.models import Organisation, User

    # One catalogue per division: each import gets a province of its own, on a two-digit prefix
    # no division uses yet (this database holds only the benchmark's: 90 prefixes, five per repeat
    # and five for the warm-up, so at most 17 repeats).
    used = {code[:2] for code in Division.objects.filter(level=Level.PROVINCE).values_list("code", flat=True)}
    free = [f"{p}" for p in range(99, 9, -1) if f"{p}" not in used]
    if not free:
        raise SystemExit("no free province prefix left: run fewer repeats")
    code = f"{free[0]}0000000000"
    province = Division.objects.create(code=code, name=f"基准测试省{label}", level=Level.PROVINCE)
    # The province's own administrator, as in production (scoped by its division, not a superuser).
    office = Organisation.objects.create(
        code=f"bench-{code}", name="基准测试民政厅", kind=OrgKind.PROVINCIAL_DEPARTMENT, division=province
    )
    user = User.objects.create_user(
        f"bench-{code}", password=None, organisation=office, role=Role.PROVINCIAL_ADMIN
    )
    catalogue = services.catalogue_create(division=province, name=f"基准测试指导目录{label}", user=user)
    draft = services.draft_get_or_create(catalogue=catalogue, user=user)
    return catalogue, draft, user, province


def registry_import(path: Path, n: int) -> float:
    from django.core.files import File

    from catalogs import spreadsheets

    catalogue, _draft, user, _ = _catalogue(f"-registry-{n}")
    t = time.perf_counter()
    with path.open("rb") as fh:
        upload = File(fh, name=path.name)
        upload.size = path.stat().st_size
        job = spreadsheets.import_job_create(catalogue=catalogue, upload=upload, user=user, background=False)
    checked = spreadsheets.check(job)
    job.refresh_from_db()
    assert job.status == "checked", (job.status, job.message, job.errors[:3])
    spreadsheets.import_job_confirm(job=job, user=user, background=False)
    applied = spreadsheets.apply(job)
    seconds = time.perf_counter() - t
    assert applied.new == checked.total, (applied.new, checked.total)
    return checked.total / seconds


def _parsed_rows(path: Path, version_id: int, division_id: str) -> tuple[list[str], list[list]]:
    """The file's rows as model values (kind and status keys, not labels), by the registry's reader."""
    from catalogs.models import CatalogueItem
    from catalogs.spreadsheets import CATALOGUE_SCHEMA, KIND_INPUT, STATUS_INPUT, parse_basis_text
    from spreadsheets.reading import open_sheet

    fields = {f.name for f in CatalogueItem._meta.concrete_fields}
    sheet = open_sheet(str(path), "xlsx", CATALOGUE_SCHEMA)
    columns: list[str] = []
    rows = []
    for _n, row in sheet.rows:
        if not columns:
            columns = [k for k in row if k in fields]
        values = {
            k: ("" if row[k] is None and k not in ("effective_from", "effective_to") else row[k])
            for k in columns
        }
        values["kind"] = KIND_INPUT.get(values["kind"], values["kind"])
        values["status"] = STATUS_INPUT.get(values["status"], values["status"]) or "active"
        values["hours_per_year"] = values["hours_per_year"] or None
        values["legal_basis"] = json.dumps(parse_basis_text(values["legal_basis"]), ensure_ascii=False)
        rows.append([*(values[k] for k in columns), version_id, division_id])
    return [*columns, "version", "division"], rows


def _best_resource(columns: list[str], draft, province):
    """A resource for the catalogue's items at the library's best settings, into ``draft``.

    The draft and division are the same for every row: set on each new instance
    (no ForeignKeyWidget lookup per row), not read from the dataset.
    """
    from import_export import resources
    from import_export.instance_loaders import CachedInstanceLoader

    from catalogs.models import CatalogueItem

    class ItemResource(resources.ModelResource):
        class Meta:
            model = CatalogueItem
            fields = columns
            import_id_fields = ("code",)
            use_bulk = True
            skip_diff = True
            batch_size = 2000
            instance_loader_class = CachedInstanceLoader
            force_init_instance = True
            use_transactions = True

        def get_queryset(self):
            return CatalogueItem.objects.filter(version=draft)

        def init_instance(self, row=None):
            return CatalogueItem(version_id=draft.pk, division_id=province.code)

    return ItemResource


def library_import(path: Path, n: int) -> float:
    import tablib

    from catalogs.models import CatalogueItem

    _catalogue_obj, draft, _user, province = _catalogue(f"-library-{n}")
    columns, rows = _parsed_rows(path, draft.pk, province.code)
    columns, rows = columns[:-2], [row[:-2] for row in rows]  # version, division: set per instance

    data = tablib.Dataset(*rows, headers=columns)
    t = time.perf_counter()
    result = _best_resource(columns, draft, province)().import_data(data, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - t
    assert not result.has_errors() and CatalogueItem.objects.filter(version=draft).count() == len(rows)
    return len(rows) / seconds


def library_xlsx_import(path: Path, n: int, preview: bool = False) -> float:
    """The library as its import page runs it: the file through its ``XLSX`` format, then ``import_data``.

    Best settings as in ``library_import``; the resource maps the sheet's Chinese
    headers and the list and status labels to the model's values in its own
    hooks (what a resource for this sheet has to do), and checks nothing else.
    """
    from import_export.formats.base_formats import XLSX

    from catalogs.models import CatalogueItem
    from catalogs.spreadsheets import COLUMNS, KIND_INPUT, STATUS_INPUT, parse_basis_text

    _catalogue_obj, draft, _user, province = _catalogue(f"-library-xlsx-{n}{'-preview' if preview else ''}")
    fields = {f.name for f in CatalogueItem._meta.concrete_fields}
    key_of = {label: key for key, label in COLUMNS}
    keys = [key for key, _label in COLUMNS if key in fields]

    class ItemResource(_best_resource(keys, draft, province)):  # type: ignore[misc]
        def before_import(self, dataset, **kwargs):
            dataset.headers = [key_of.get(h, h) for h in dataset.headers]

        def before_import_row(self, row, **kwargs):
            row["kind"] = KIND_INPUT.get(row["kind"], row["kind"])
            row["status"] = STATUS_INPUT.get(row["status"], row["status"]) or "active"
            row["legal_basis"] = json.dumps(parse_basis_text(row["legal_basis"] or ""), ensure_ascii=False)
            for key in keys:
                if row[key] is None and key not in ("effective_from", "effective_to", "hours_per_year"):
                    row[key] = ""

    t = time.perf_counter()
    if preview:  # as its admin import page does: a dry run shown as the preview, then the file again
        data = XLSX().create_dataset(path.read_bytes())
        ItemResource().import_data(data, dry_run=True, raise_errors=True)
    data = XLSX().create_dataset(path.read_bytes())
    result = ItemResource().import_data(data, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - t
    count = CatalogueItem.objects.filter(version=draft).count()
    assert not result.has_errors() and count == len(data), (count, len(data))
    return count / seconds


def reader_copy(path: Path, n: int) -> float:
    from django.db import connection, transaction

    from catalogs.models import CatalogueItem

    _catalogue_obj, draft, _user, province = _catalogue(f"-copy-{n}")
    fields = [f for f in CatalogueItem._meta.concrete_fields if not f.primary_key]
    t = time.perf_counter()
    columns, rows = _parsed_rows(path, draft.pk, province.code)
    given = {c if c not in ("version", "division") else f"{c}_id": i for i, c in enumerate(columns)}
    defaults = [
        f.get_db_prep_save(f.get_default(), connection) if f.has_default() or f.null else "" for f in fields
    ]
    from django.utils import timezone

    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cur:
        cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with cur.cursor.copy(f"COPY {CatalogueItem._meta.db_table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    [
                        now
                        if f.column in ("created", "updated")
                        else row[given[f.column]]
                        if f.column in given
                        else defaults[i]
                        for i, f in enumerate(fields)
                    ]
                )
    seconds = time.perf_counter() - t
    assert CatalogueItem.objects.filter(version=draft).count() == len(rows)
    return len(rows) / seconds


if __name__ == "__main__":
    main()
