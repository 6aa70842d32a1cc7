"""The county's admin edits the seal-use scope list's draft (add, edit, remove, publish), scoped; and the list
goes through the shared checked import (per-row Chinese errors, nothing written; an export re-imports unchanged)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from seals import spreadsheets
from seals.models import SealImportJob, SealUseItem

from .fixtures_seals import MAY, MAY_NOT

pytestmark = pytest.mark.django_db

URL = "/seals/lists/150223/manage/"


def _item(data, **extra):
    data = {"status": "active", **data, **extra}
    return {f"item-{k}": v for k, v in data.items() if v not in (None, False)} | (
        {"item-basis_missing": "on"} if data.get("basis_missing") else {}
    )


def test_the_keeper_adds_edits_removes_and_publishes(login, world, seal_list):
    keeper = login("keeper")
    assert keeper.get(URL).status_code == 200
    keeper.post("/seals/lists/150223/manage/draft/")
    draft = seal_list.versions.get(status="draft")
    bad = keeper.post(URL, _item({**MAY_NOT, "code": "JY-09", "reason": "", "source": ""}))
    page = bad.content.decode()
    assert bad.status_code == 200 and "请说明为什么不得用印" in page, page[:3000]
    assert not draft.items.filter(code="JY-09").exists()
    assert keeper.post(URL, _item({**MAY_NOT, "code": "JY-09"})).status_code == 302
    assert (
        keeper.post(
            URL, _item({**MAY_NOT, "code": "JY-09", "name": "以社区名义出具的拆迁责任书"})
        ).status_code
        == 302
    )
    assert draft.items.get(code="JY-09").name == "以社区名义出具的拆迁责任书"
    item = draft.items.get(code="JY-09")
    assert keeper.post(f"/seals/lists/150223/manage/items/{item.pk}/delete/").status_code == 302
    assert not SealUseItem.objects.filter(pk=item.pk).exists()
    no_date = keeper.post(URL, {"pub-effective_from": ""})
    assert no_date.status_code == 200 and draft.status == "draft"
    done = keeper.post(URL, {"pub-effective_from": date.today().isoformat()})
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"


@pytest.mark.parametrize("name", ["township", "approver", "outsider", "provadmin"])
def test_only_the_countys_keeper_edits(login, world, seal_list, name):
    client = login(name)
    assert client.get(URL).status_code == 404
    assert client.post(URL, _item({**MAY, "code": "YY-09"})).status_code == 404
    assert client.get("/seals/lists/150223/import/").status_code == 404
    assert not SealUseItem.objects.filter(code="YY-09").exists()


def test_export_reimports_unchanged_and_a_bad_row_writes_nothing(
    world, seal_list, client, django_capture_on_commit_callbacks
):
    keeper = world.user("keeper")
    owner = seal_list
    exported = client.get("/seals/lists/150223/export.csv").content
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.IMPORT.job_create(
            owner=owner, upload=SimpleUploadedFile("e.csv", exported, content_type="text/csv"), user=keeper
        )
    job = SealImportJob.objects.get(pk=job.pk)
    assert job.status == "checked" and job.new_count == job.changed_count == 0 and job.unchanged_count > 0
    before = SealUseItem.objects.count()
    text = "\ufeff编号,清单,用途,理由,依据,来源\nJY-20,不得使用,以社区名义招商引资的责任状,,,\n"
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.IMPORT.job_create(
            owner=owner,
            upload=SimpleUploadedFile("b.csv", text.encode(), content_type="text/csv"),
            user=keeper,
        )
    job = SealImportJob.objects.get(pk=job.pk)
    assert job.status == "invalid"
    columns = {e["column"] for e in job.errors}
    assert {"理由", "依据", "来源"} <= columns
    assert SealUseItem.objects.count() == before
