"""The browser pages: keepers edit and publish, the public reads, everything scoped."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogs import services
from catalogs.choices import ImportStatus
from catalogs.models import Catalogue, ImportJob

from .test_catalogs_spreadsheets import row, xlsx


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_public_county_page_needs_no_login_and_shows_lists_by_date(client, world, county_catalogue):
    response = client.get(f"/catalogs/public/{world.county.code}/?as_of=2026-03-01")
    assert response.status_code == 200
    html = response.content.decode()
    assert "拆迁拆违" in html and "协助草原防火" in html
    assert "负面清单" in html  # Chinese by default
    before = client.get(f"/catalogs/public/{world.county.code}/?as_of=2026-01-15").content.decode()
    assert "协助草原防火" not in before
    found = client.get(f"/catalogs/public/{world.county.code}/?q=违建&as_of=2026-03-01").content.decode()
    assert "拆迁拆违" in found and "协助草原防火" not in found
    assert client.get(f"/catalogs/public/{world.county.code}/export/?as_of=2026-03-01").status_code == 200
    assert "达茂旗清单" in client.get("/catalogs/public/").content.decode()


def test_public_page_does_not_show_drafts_or_unpublished_catalogues(client, world, county_catalogue):
    Catalogue.objects.create(division=world.other_county, name="固阳县清单")
    assert client.get(f"/catalogs/public/{world.other_county.code}/").status_code == 404
    keeper = world.user("keeper")
    draft = services.draft_get_or_create(catalogue=county_catalogue, user=keeper)
    services.item_update(item=draft.items.get(code="XZ-50"), data={"name": "草稿里的新名字"}, user=keeper)
    assert "草稿里的新名字" not in client.get(f"/catalogs/public/{world.county.code}/").content.decode()


def test_keeper_pages(login, world, county_catalogue):
    client = login("keeper")
    assert client.get("/catalogs/").status_code == 200
    page = client.get(f"/catalogs/{county_catalogue.pk}/")
    assert page.status_code == 200 and "协助草原防火" in page.content.decode()
    assert client.post(f"/catalogs/{county_catalogue.pk}/draft/").status_code == 302
    draft = county_catalogue.versions.get(status="draft")
    item = draft.items.get(code="XZ-50")
    response = client.post(
        f"/catalogs/items/{item.pk}/edit/",
        {"name": "协助草原防火宣传", "hours_per_year": "12", "responsible_department": "林草局"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.name == "协助草原防火宣传"
    bad = client.post(f"/catalogs/items/{item.pk}/edit/", {"name": "x", "responsible_department": ""})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    detail = client.get(f"/catalogs/items/{item.pk}/").content.decode()
    assert "历史" in detail or "History" in detail
    inherited = draft.items.get(code="XZ-01")
    client.post(f"/catalogs/items/{inherited.pk}/not-applicable/", {"reason": "本旗无此业务"})
    inherited.refresh_from_db()
    assert inherited.status == "not_applicable"
    assert client.get(f"/catalogs/{county_catalogue.pk}/compare/").status_code == 200
    response = client.post(f"/catalogs/{county_catalogue.pk}/publish/", {"effective_from": "2026-07-01"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    export = client.get(f"/catalogs/{county_catalogue.pk}/export/?v={draft.number}")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_published_items_cannot_be_edited_in_the_browser(login, world, county_catalogue):
    client = login("keeper")
    item = county_catalogue.versions.get().items.first()
    assert client.post(f"/catalogs/items/{item.pk}/edit/", {"name": "x"}).status_code == 403


def test_pages_are_scoped(login, world, county_catalogue):
    keeper_draft = services.draft_get_or_create(catalogue=county_catalogue, user=world.user("keeper"))
    item = keeper_draft.items.first()
    outsider = login("outsider")
    assert outsider.get(f"/catalogs/items/{item.pk}/").status_code == 404
    assert outsider.get(f"/catalogs/items/{item.pk}/edit/").status_code == 404
    assert outsider.post(f"/catalogs/{county_catalogue.pk}/draft/").status_code == 404
    township = login("township")
    assert township.get(f"/catalogs/items/{item.pk}/edit/").status_code == 404
    assert township.get(f"/catalogs/{county_catalogue.pk}/").status_code == 200  # the published lists


def test_import_through_the_browser_with_progress(login, world, django_capture_on_commit_callbacks):
    client = login("provadmin")
    client.post("/catalogs/", {"name": "内蒙古指导目录"})
    catalogue = Catalogue.objects.get(division=world.province)
    content = xlsx([row(code="FM-01", kind="负面", name="招商引资", negative_matter="招商引资责任主体")])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/catalogs/{catalogue.pk}/import/", {"file": SimpleUploadedFile("指导目录.xlsx", content)}
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHECKED  # Celery runs in-process without a broker
    progress = client.get(f"/catalogs/imports/{job.pk}/", HTTP_HX_REQUEST="true")
    assert "100%" in progress.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/catalogs/imports/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    client.post(f"/catalogs/{catalogue.pk}/publish/", {"effective_from": date.today().isoformat()})
    assert catalogue.versions.get().status == "published"
    bad = client.post(f"/catalogs/{catalogue.pk}/import/", {"file": SimpleUploadedFile("x.txt", b"abc")})
    assert bad.status_code == 200 and ".xlsx" in bad.content.decode()


def test_proposal_pages(login, world, county_catalogue):
    client = login("submitter")
    response = client.post(
        f"/catalogs/{county_catalogue.pk}/proposals/",
        {
            "action": "add",
            "kind": "assist",
            "name": "协助开展禁毒宣传",
            "responsible_department": "公安局",
            "reason": "经准入审批",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    proposal = county_catalogue.proposals.get()
    keeper = login("keeper")
    keeper.post(f"/catalogs/proposals/{proposal.pk}/", {"step": "consult", "opinion": "已协商"})
    proposal.refresh_from_db()
    assert proposal.status == "consulted"
    page = keeper.get(f"/catalogs/proposals/{proposal.pk}/").content.decode()
    assert "已协商" in page


def test_workbench_panels(login, world, county_catalogue, guidance):
    keeper_home = login("keeper").get("/").content.decode()
    assert "达茂旗清单" in keeper_home and 'data-testid="catalogue-panel"' in keeper_home
    admin_home = login("provadmin").get("/").content.decode()
    assert "内蒙古指导目录" in admin_home and "达茂旗清单" in admin_home


def _visible_english(html: str) -> set[str]:
    import re

    body = re.search(r"<main[^>]*>(.*)</main>", html, flags=re.S).group(1)
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    words = set(re.findall(r"[A-Za-z]{4,}", body))
    return words - {"xlsx", "keeper", "provadmin", "submitter"}  # file type, the test cast's names


def test_pages_are_in_chinese(login, world, county_catalogue, client):
    keeper = login("keeper")
    draft = services.draft_get_or_create(catalogue=county_catalogue, user=world.user("keeper"))
    item = draft.items.get(code="XZ-01")
    urls = [
        "/catalogs/",
        f"/catalogs/{county_catalogue.pk}/",
        f"/catalogs/{county_catalogue.pk}/compare/",
        f"/catalogs/{county_catalogue.pk}/adopt/",
        f"/catalogs/{county_catalogue.pk}/proposals/",
        f"/catalogs/{county_catalogue.pk}/import/",
        f"/catalogs/{county_catalogue.pk}/items/new/",
        f"/catalogs/items/{item.pk}/",
        f"/catalogs/items/{item.pk}/edit/",
        "/",
    ]
    for url in urls:
        response = keeper.get(url)
        assert response.status_code == 200, url
        assert not _visible_english(response.content.decode()), (
            url,
            _visible_english(response.content.decode()),
        )
    client.logout()
    for url in ["/catalogs/public/", f"/catalogs/public/{world.county.code}/?as_of=2026-03-01"]:
        html = client.get(url).content.decode()
        assert not _visible_english(html), (url, _visible_english(html))


def test_county_adopts_the_provinces_change_in_the_browser(login, world, guidance, county_catalogue):
    admin = world.user("provadmin")
    draft = services.draft_get_or_create(catalogue=guidance, user=admin)
    services.item_update(item=draft.items.get(code="ZZ-01"), data={"hours_per_year": "80"}, user=admin)
    services.version_publish(version=draft, effective_from=date(2026, 3, 1), user=admin)
    keeper = login("keeper")
    page = keeper.get(f"/catalogs/{county_catalogue.pk}/").content.decode()
    assert 'data-testid="pending-guidance"' in page
    review = keeper.get(f"/catalogs/{county_catalogue.pk}/adopt/").content.decode()
    assert "ZZ-01" in review and "每村每年估计工时" in review
    assert keeper.post(f"/catalogs/{county_catalogue.pk}/adopt/", {"code": ["ZZ-01"]}).status_code == 302
    county_draft = county_catalogue.versions.get(status="draft")
    assert county_draft.items.get(code="ZZ-01").hours_per_year == 80
    assert (
        'data-testid="pending-guidance"'
        not in keeper.get(f"/catalogs/{county_catalogue.pk}/").content.decode()
    )


def test_versions_and_audit_summaries_are_words_not_internals(login, world, guidance):
    """Keepers read "第 2 版", not "v2"; the auditor reads the publication's summary in Chinese."""
    from audit.models import AuditEvent

    admin = world.user("provadmin")
    draft = services.draft_get_or_create(catalogue=guidance, user=admin)
    services.version_publish(version=draft, effective_from=date(2026, 3, 1), user=admin)
    page = login("provadmin").get(f"/catalogs/{guidance.pk}/").content.decode()
    assert f"第 {draft.number} 版" in page and f">v{draft.number} ·" not in page
    published = AuditEvent.objects.filter(action="catalogs.publish").latest("id")
    assert published.summary.startswith(f"第 {draft.number} 版") and "effective" not in published.summary
    copied = AuditEvent.objects.filter(action="catalogs.draft_create").latest("id")
    assert "items copied" not in copied.summary and "复制" in copied.summary
