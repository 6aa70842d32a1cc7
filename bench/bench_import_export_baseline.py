"""Baseline: django-import-export importing catalogue rows, for comparison.

Why the catalogue import does not use django-import-export: even at its best
settings — ``use_bulk``, ``skip_diff``, the cached instance loader and
``force_init_instance`` — and with an in-memory dataset (no .xlsx parsing, none
of the catalogue's validation), it stays well below the 2,000 rows/s the
100,000-row import needs. ``bench_catalog_import.py`` measures the registry's
own importer (parsing, full validation, preview and apply) on the same scale.

    uv run python bench/bench_import_export_baseline.py postgres://postgres@127.0.0.1:5433/vb_iebench [rows]
"""

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = sys.argv[1] if len(sys.argv) > 1 else "sqlite:////tmp/vb_iebench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")
os.environ["DEBUG"] = "false"

ROWS = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
COLUMNS = ["code", "kind", "name", "category", "content", "hours_per_year", "keywords", "version", "division"]


def main() -> None:
    import django

    django.setup()
    import tablib
    from django.core.management import call_command
    from import_export import resources
    from import_export.instance_loaders import CachedInstanceLoader

    from catalogs.models import Catalogue, CatalogueItem, CatalogueVersion
    from divisions.models import Division, Level

    call_command("migrate", verbosity=0)
    province, _ = Division.objects.get_or_create(
        code="990000000000", defaults={"name": "基准测试省", "level": Level.PROVINCE}
    )
    catalogue, _ = Catalogue.objects.get_or_create(division=province, defaults={"name": "基准测试目录"})
    CatalogueItem.objects.filter(version__catalogue=catalogue).delete()
    CatalogueVersion.objects.filter(catalogue=catalogue).delete()
    draft = CatalogueVersion.objects.create(catalogue=catalogue, number=1, status="draft")

    class ItemResource(resources.ModelResource):
        class Meta:
            model = CatalogueItem
            fields = COLUMNS
            import_id_fields = ("code",)
            # The library at its best settings: bulk writes, no diff, one query
            # to load every existing instance (the cached loader), and no
            # lookup at all for rows that are new (force_init_instance).
            use_bulk = True
            skip_diff = True
            batch_size = 2000
            instance_loader_class = CachedInstanceLoader
            force_init_instance = True
            use_transactions = True

        def get_queryset(self):
            return CatalogueItem.objects.filter(version=draft)

    data = tablib.Dataset(headers=COLUMNS)
    for i in range(ROWS):
        data.append(
            [
                f"XZ-{i:06d}",
                "assist",
                f"协助事项{i}",
                "社会保障",
                "协助乡镇开展入户调查和公示" * 3,
                "4.0",
                "低保 特困",
                draft.pk,
                province.code,
            ]
        )
    started = time.perf_counter()
    ItemResource().import_data(data, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(
        f"django-import-export: {ROWS:,} rows in {seconds:.1f} s = {ROWS / seconds:,.0f} rows/s, peak {peak} MB"
    )


if __name__ == "__main__":
    main()
