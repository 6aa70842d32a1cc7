"""The interface is Chinese by default: every string has a Chinese translation, compiled."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {po_path}: {fuzzy[:10]}"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run compilemessages"
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(mo_path))}
    for entry in po.translated_entries():
        got = compiled.get((entry.msgctxt, entry.msgid))
        want = entry.msgstr or entry.msgstr_plural
        assert got is not None and (got == want or got == {int(k): v for k, v in want.items()}), (
            f"{mo_path} is stale for {entry.msgid!r}: run compilemessages"
        )


def test_there_is_a_foundation_catalogue():
    assert ROOT / "locale/zh_Hans/LC_MESSAGES/django.po" in CATALOGUES


def test_workbench_is_chinese(login, world):
    page = login("approver").get("/").content.decode()
    assert "工作台" in page and "待审批" in page and "退出登录" in page
    assert "Workbench" not in page and "Log out" not in page
