"""Importing the statistical division codes: validation, idempotency, subsets."""

import gzip
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from divisions.models import Division, Level, SettlementKind

DEMO = Path(settings.BASE_DIR) / "fixtures" / "divisions-150223"


def write(folder: Path, name: str, text: str) -> None:
    with gzip.open(folder / name, "wt", encoding="utf-8") as fh:
        fh.write(text)


@pytest.fixture
def bad_folder(tmp_path):
    for f in DEMO.glob("*.csv.gz"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_divisions", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_builds_the_tree_and_a_rerun_changes_nothing():
    first = run(str(DEMO))
    assert "100 created" in first.replace(",", "")
    county = Division.objects.get(code="150223000000")
    assert county.level == Level.COUNTY and county.name == "达尔罕茂明安联合旗"
    assert county.parent.parent_id == "150000000000"
    assert county.subtree().filter(level=Level.VILLAGE).count() == 85
    gacha = Division.objects.get(code="150223102200")
    assert gacha.parent_id == "150223102000" and gacha.area_type == "pastoral"

    second = run(str(DEMO))
    assert "0 created, 0 updated, 100 unchanged" in second
    assert "Nothing changed" in second
    assert AuditEvent.objects.filter(action="divisions.import").count() == 2


@pytest.mark.django_db
def test_reimport_keeps_local_corrections_and_applies_renames(bad_folder):
    run(str(DEMO))
    village = Division.objects.get(code="150223102200")
    village.households = 120
    village.save()
    text = gzip.open(bad_folder / "villages.csv.gz", "rt", encoding="utf-8").read()
    write(bad_folder, "villages.csv.gz", text.replace("巴音哈拉嘎查村", "巴音哈拉嘎查"))
    out = run(str(bad_folder))
    assert "1 updated" in out
    village.refresh_from_db()
    assert village.name == "巴音哈拉嘎查" and village.households == 120
    event = AuditEvent.objects.filter(action="divisions.import").first()
    assert event.before == {"150223102200": ["巴音哈拉嘎查村", "150223102000"]}
    assert event.after == {"150223102200": ["巴音哈拉嘎查", "150223102000"]}


@pytest.mark.django_db
def test_prefix_imports_one_subtree_with_its_ancestors():
    run(str(DEMO), "--prefix", "150223104")
    assert Division.objects.filter(level=Level.VILLAGE).exclude(code__startswith="150223104").count() == 0
    assert Division.objects.filter(code="150000000000").exists()
    assert Division.objects.filter(level=Level.TOWNSHIP).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('150223999888,"错村",150223102,15,1502,150223', "does not extend its parent"),
        ('15022310220,"短码村",150223102,15,1502,150223', "should have 12 digits"),
        ('150223900200,"孤村",150223900,15,1502,150223', "is not a known division"),
        ('150223102299,"",150223102,15,1502,150223', "has no name"),
    ],
)
def test_bad_rows_are_refused_with_file_and_line(bad_folder, line, message):
    text = gzip.open(bad_folder / "villages.csv.gz", "rt", encoding="utf-8").read()
    write(bad_folder, "villages.csv.gz", text + line + "\n")
    with pytest.raises(CommandError, match=message) as exc:
        run(str(bad_folder))
    assert "villages.csv.gz:87" in str(exc.value)


@pytest.mark.django_db
def test_missing_folder_and_bad_prefix_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="not a folder"):
        run(str(tmp_path / "nope"))
    with pytest.raises(CommandError, match="prefix must be digits"):
        run(str(DEMO), "--prefix", "15x")


@pytest.mark.django_db
def test_residents_committees_are_urban_communities(bad_folder):
    text = gzip.open(bad_folder / "villages.csv.gz", "rt", encoding="utf-8").read()
    write(bad_folder, "villages.csv.gz", text + '150223102300,"百灵社区居委会",150223102,15,1502,150223\n')
    run(str(bad_folder))
    assert Division.objects.get(code="150223102300").settlement_kind == SettlementKind.COMMUNITY


@pytest.mark.django_db
def test_placeholder_levels_fold_into_their_parent(bad_folder):
    """东莞市 has no county level: the data repeats it as a county (441900). Same 12-digit code."""
    streets = gzip.open(bad_folder / "streets.csv.gz", "rt", encoding="utf-8").read()
    villages = gzip.open(bad_folder / "villages.csv.gz", "rt", encoding="utf-8").read()
    write(bad_folder, "streets.csv.gz", streets + '150223000,"达尔罕茂明安联合旗",150223,15,1502\n')
    write(bad_folder, "villages.csv.gz", villages + '150223000200,"旗直属村",150223000,15,1502,150223\n')
    out = run(str(bad_folder))
    assert "1 placeholder rows" in out
    village = Division.objects.get(code="150223000200")
    assert village.parent_id == "150223000000" and village.parent.level == Level.COUNTY
    assert "0 created, 0 updated" in run(str(bad_folder))
