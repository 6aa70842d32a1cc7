"""`seed_demo`, what every new user runs first: it loads, re-running creates nothing, the logins work."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from organisations.demo import DEMO_PASSWORD, LOGINS


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.fixture
def seeded(transactional_db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first = io.StringIO()
    call_command("seed_demo", stdout=first)
    return first.getvalue()


def test_seed_demo_twice_creates_nothing_the_second_time(seeded):
    before = row_counts()
    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    after = row_counts()
    changed = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
    assert changed == {}, changed
    assert "0 created" in again.getvalue()


def test_every_demo_login_printed_works(seeded, client):
    for username in [*(login.username for login in LOGINS), "admin"]:
        assert username in seeded
        response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/", username
        client.post("/accounts/logout/")
    # The portal secret is never printed: only the file that holds it is named.
    assert DEMO_PASSWORD in seeded and "demo-portal-client.txt" in seeded and "client_secret=" not in seeded


def test_the_demo_flow_is_there(seeded):
    from catalogs.models import CatalogueVersion
    from gate.choices import RequestStatus
    from gate.models import AccessRequest, Decision, ReviewOpinion, VillageTask

    statuses = set(AccessRequest.objects.values_list("status", flat=True))
    assert {s.value for s in RequestStatus} <= statuses  # one request in each state, as the README says
    assert AccessRequest.objects.filter(status=RequestStatus.BLOCKED, verdict="block").exists()
    assert ReviewOpinion.objects.count() >= 3 and Decision.objects.exists()
    tasks = VillageTask.objects.filter(village__code__startswith="150223104")
    assert tasks.exists() and tasks.exclude(progress=0).exists()
    assert not VillageTask.objects.filter(
        village__code__startswith="150223107", access_request__title="应急广播终端日常维护"
    ).exists()
    assert CatalogueVersion.objects.filter(status="published", catalogue__division_id="150223000000").exists()


def test_demo_logins_with_a_second_factor_can_get_their_code(seeded, tmp_path):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    keys = tmp_path / "demo-two-factor.txt"
    assert keys.stat().st_mode & 0o077 == 0  # readable by this user only
    listed = {line.split("\t")[0] for line in keys.read_text().splitlines() if not line.startswith("#")}
    assert listed == {"admin", "approver", "auditor", "provadmin", "secadmin", "sysadmin"}
    assert "two_factor_code approver" in seeded
    out = io.StringIO()
    call_command("two_factor_code", "approver", stdout=out)
    device = TOTPDevice.objects.get(user__username="approver")
    assert device.verify_token(out.getvalue().strip())


def test_the_demo_s_monitoring_points_export_re_imports_unchanged(
    seeded, client, django_capture_on_commit_callbacks
):
    """As the README says of the export: the demo's own points, downloaded and uploaded again, change nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from monitoring import spreadsheets
    from monitoring.models import MonitoringImportJob
    from organisations.models import User

    officer = User.objects.get(username="reviewer_org")
    client.force_login(officer)
    response = client.get("/monitoring/points/export/")
    exported = b"".join(response.streaming_content)
    upload = SimpleUploadedFile("监测点.csv", exported, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.import_job_create(upload=upload, user=officer)
    job = MonitoringImportJob.objects.get(pk=job.pk)
    assert (job.status, job.new_count, job.changed_count, job.error_count) == ("checked", 0, 0, 0), job.errors
    assert job.unchanged_count > 0
