"""The annual forms plan: register (with the fields already collected), merge, approve, assign, unplanned demands."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from formsplan import selectors, services
from formsplan.burden_sources import SOURCES
from formsplan.fieldnames import field_key
from formsplan.models import FormAssignment, FormField, PlanDecision, PlanForm, UnplannedDemand
from institutions.models import Institution

pytestmark = pytest.mark.django_db


def test_equivalent_field_names_share_one_key():
    assert field_key("公民身份号码") == field_key("身份证号") == field_key(" 身份证号码（必填）")
    assert field_key("手机号") == field_key("联系电话") == field_key("联系电话：")
    assert field_key("草场面积") == field_key("草场 面积") != field_key("家庭住址")


def test_registering_shows_the_fields_other_forms_already_collect(world, forms_plan, api):
    response = api.as_user("submitter").post(
        "/api/v1/plan-forms/",
        {
            "plan": forms_plan.pk,
            "name": "自然灾害隐患排查表",
            "fields": [
                {"name": "公民身份号码", "kind": "id_number"},
                {"name": "手机号", "kind": "phone"},
                {"name": "隐患类型"},
            ],
            "frequency": 12,
            "minutes": 20,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    collected = {d["asked"]: [c["form"] for c in d["collected"]] for d in body["already_collected"]}
    assert collected == {"公民身份号码": ["困难群众基本情况摸底表"], "手机号": ["草场承包经营情况统计表"]}
    form = PlanForm.objects.get(pk=body["form"]["id"])
    assert form.owner == world.orgs["emergency"] and form.basis_missing
    counts = {c["key"]: c["forms"] for c in selectors.field_counts(forms_plan)}
    assert (
        counts[field_key("身份证号")] == 2
        and counts[field_key("手机号")] == 2
        and counts[field_key("姓名")] == 1
    )


def test_a_form_with_no_fields_is_refused_in_chinese_and_nothing_is_written(world, forms_plan, api):
    before = PlanForm.objects.count(), FormField.objects.count()
    response = api.as_user("submitter").post(
        "/api/v1/plan-forms/",
        {"plan": forms_plan.pk, "name": "空表", "fields": [], "frequency": 1},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "至少" in " ".join(response.json()["fields"])
    assert (PlanForm.objects.count(), FormField.objects.count()) == before


def test_a_department_registers_only_its_own_forms(world, forms_plan):
    with pytest.raises(PermissionDenied):
        services.form_register(
            user=world.user("submitter"),
            plan=forms_plan,
            name="代报表",
            fields="姓名",
            frequency=1,
            owner=world.orgs["civil"],
        )


def test_the_county_merges_a_duplicate_form_and_the_record_says_into_what(world, forms_plan):
    a, b = PlanForm.objects.filter(plan=forms_plan).order_by("id")
    services.form_merge(user=world.user("reviewer_civil"), form=b, into=a)
    b.refresh_from_db()
    assert b.status == "merged" and b.merged_into == a and b.merged_by == world.user("reviewer_civil")
    assert set(a.fields.values_list("name", flat=True)) == {"姓名", "身份证号", "户主姓名", "联系电话"}
    assert AuditEvent.objects.filter(action="formsplan.form_merge", summary__contains="→").exists()


def test_the_county_merges_a_duplicate_field(world, forms_plan):
    form = services.form_register(
        user=world.user("submitter"),
        plan=forms_plan,
        name="隐患排查表",
        fields="公民身份号码:身份证号",
        frequency=1,
    )
    field = form.fields.get()
    into = FormField.objects.get(name="身份证号")
    services.field_merge(user=world.user("reviewer_org"), field=field, into=into)
    counts = {c["key"]: c["forms"] for c in selectors.field_counts(forms_plan)}
    assert counts[field_key("身份证号")] == 1


def test_approval_needs_a_reason_and_writes_nothing_without_one(world, forms_plan):
    with pytest.raises(ValidationError) as exc:
        services.plan_approve(user=world.user("approver"), plan=forms_plan, reason="  ")
    assert "reason" in exc.value.message_dict
    forms_plan.refresh_from_db()
    assert forms_plan.status == "draft" and not PlanDecision.objects.exists()


def test_only_the_approver_approves(world, forms_plan):
    for name in ("submitter", "reviewer_org", "township"):
        with pytest.raises(PermissionDenied):
            services.plan_approve(user=world.user(name), plan=forms_plan, reason="同意")


def test_an_approved_plan_is_fixed_for_the_year(world, approved_plan):
    decision = PlanDecision.objects.get(plan=approved_plan)
    assert decision.decided_by == world.user("approver") and approved_plan.approved_at == decision.created
    with pytest.raises(ValidationError, match="2027"):
        services.form_register(
            user=world.user("submitter"), plan=approved_plan, name="新表", fields="姓名", frequency=1
        )
    a, b = PlanForm.objects.filter(plan=approved_plan)
    with pytest.raises(ValidationError):
        services.form_merge(user=world.user("reviewer_org"), form=a, into=b)
    with pytest.raises(ValidationError):
        services.plan_approve(user=world.user("approver"), plan=approved_plan, reason="再次")


def test_a_township_assigns_at_the_plans_frequency(world, approved_plan):
    form = PlanForm.objects.get(plan=approved_plan, frequency=4)
    n = services.forms_assign(
        user=world.user("township"), form=form, villages=[world.village_a1, world.village_a2]
    )
    assert n == 2 and set(FormAssignment.objects.values_list("frequency", flat=True)) == {4}
    assert services.forms_assign(user=world.user("township"), form=form, villages=[world.village_a1]) == 0


def test_assigning_another_townships_village_is_refused_and_writes_nothing(world, approved_plan):
    form = PlanForm.objects.filter(plan=approved_plan).first()
    with pytest.raises(ValidationError) as exc:
        services.forms_assign(
            user=world.user("township"), form=form, villages=[world.village_a1, world.village_b1]
        )
    assert "乌兰敖包村" in " ".join(exc.value.message_dict["villages"])
    assert not FormAssignment.objects.exists()


def test_a_draft_plan_cannot_be_assigned(world, forms_plan):
    with pytest.raises(ValidationError):
        services.forms_assign(
            user=world.user("township"), form=PlanForm.objects.first(), villages=[world.village_a1]
        )


def test_an_unplanned_demand_counts_against_its_institution(world):
    from monitoring import services as monitoring

    today = timezone.localdate()
    point = monitoring.point_designate(user=world.user("reviewer_org"), village=world.village_a1)
    monitoring.monitor_assign(
        user=world.user("reviewer_org"), point_id=point.pk, monitor=world.user("monitor")
    )
    for village, name in (
        (world.village_a1, "township"),
        (world.village_a1, "monitor"),
        (world.village_b1, "township_b"),
    ):
        services.unplanned_demand_record(
            user=world.user(name),
            village=village,
            form_name="牲畜存栏日报表",
            institution_name="达茂旗某局",
            demanded_on=today,
        )
    services.unplanned_demand_record(
        user=world.user("township"),
        village=world.village_a2,
        form_name="统计表",
        institution_name="某公司",
        demanded_on=today,
    )
    ranking = selectors.unplanned_demands_by_institution(world.county, today - timedelta(days=1), today)
    top = Institution.objects.get(name="达茂旗某局")
    assert ranking[0] == {"institution_id": top.pk, "name": "达茂旗某局", "count": 3}
    assert [r["count"] for r in ranking] == [3, 1]
    assert selectors.unplanned_demands_by_institution(world.other_county, date(2000, 1, 1), today) == []


@pytest.mark.parametrize("name", ["township_b", "outsider", "submitter", "approver"])
def test_an_unplanned_demand_is_recorded_only_for_ones_own_villages(world, name):
    with pytest.raises(ValidationError) as exc:
        services.unplanned_demand_record(
            user=world.user(name),
            village=world.village_a1,
            form_name="表",
            institution_name="某局",
            demanded_on=timezone.localdate(),
        )
    assert "village" in exc.value.message_dict
    assert not UnplannedDemand.objects.exists() and not Institution.objects.exists()


def test_unplanned_demand_input_errors_are_per_field(world):
    with pytest.raises(ValidationError) as exc:
        services.unplanned_demand_record(
            user=world.user("township"),
            village=world.village_a1,
            form_name=" ",
            institution_name="某局",
            demanded_on=timezone.localdate() + timedelta(days=1),
        )
    assert set(exc.value.message_dict) == {"form_name", "demanded_on"}


def test_burden_sources_count_hours_per_assigned_village(world, approved_plan):
    from divisions.models import Division

    with_minutes = PlanForm.objects.get(plan=approved_plan, frequency=4)  # 30 min × 4
    without = PlanForm.objects.get(plan=approved_plan, frequency=2)  # default 15 min × 2
    services.forms_assign(user=world.user("township"), form=with_minutes, villages=[world.village_a1])
    services.forms_assign(
        user=world.user("township"), form=without, villages=[world.village_a1, world.village_a2]
    )
    planned, unplanned = SOURCES
    villages = Division.objects.filter(level=5, code__startswith="150223")
    on = date(2027, 3, 1)
    figures = planned.per_village(villages, on)
    assert figures == {world.village_a1.pk: (2, 2.5, True), world.village_a2.pk: (1, 0.5, True)}
    assert planned.per_village(villages, date(2026, 12, 31)) == {}  # before the plan's year
    assert planned.per_village(Division.objects.filter(level=5, code__startswith="150222"), on) is None
    assert unplanned.per_village(villages, on) is None
    rows = planned.rows(villages, on)
    assert {r["basis"] for r in rows} == {"30 min × 4 / year", "15 min × 2 / year"}


def _upload(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("forms.csv", ("\ufeff" + text).encode(), content_type="text/csv")


def test_a_bad_spreadsheet_row_is_reported_in_chinese_and_nothing_is_written(
    world, forms_plan, django_capture_on_commit_callbacks
):
    from formsplan import spreadsheets
    from formsplan.models import FormsImportJob

    text = (
        "表格名称,字段,每年填报次数,每次填报用时（分钟）\n"
        "隐患排查表,公民身份号码:身份证号、手机号:电话,12,20\n"
        "空表,,1,\n"
        "月报表,姓名:签名,十二,\n"
    )
    before = PlanForm.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.import_job_create(
            plan=forms_plan, upload=_upload(text), user=world.user("submitter")
        )
    job = FormsImportJob.objects.get(pk=job.pk)
    assert job.status == "invalid" and job.error_count == 3, job.errors
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "至少要有一个字段" in messages[(3, "字段")]
    assert "不是字段类型" in messages[(4, "字段")] and "整数" in messages[(4, "每年填报次数")]
    assert PlanForm.objects.count() == before
    with pytest.raises(spreadsheets.SpreadsheetError):
        spreadsheets.import_job_confirm(job=job, user=world.user("submitter"))


def test_a_number_typed_in_the_fields_cell_of_an_xlsx_is_read_as_its_text(
    world, forms_plan, django_capture_on_commit_callbacks
):
    """Excel stores 12 typed into 字段 as a number; the check reads it as the field "12", as a CSV would."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from formsplan import spreadsheets
    from formsplan.models import FormsImportJob
    from spreadsheets.writing import write_xlsx

    buf = io.BytesIO()
    write_xlsx(
        ["表格名称", "字段", "每年填报次数", "每次填报用时（分钟）"],
        [["隐患排查表", 12, 12, 20], ["空表", None, 1, None]],
        buf,
    )
    upload = SimpleUploadedFile(
        "forms.xlsx",
        buf.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.import_job_create(plan=forms_plan, upload=upload, user=world.user("submitter"))
    job = FormsImportJob.objects.get(pk=job.pk)
    # The check ran to its end: the numeric cell is a field, the empty one is the usual Chinese error.
    assert job.status == "invalid" and job.error_count == 1, job.errors
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "字段")]
    assert "至少要有一个字段" in job.errors[0]["message"]
    assert job.new_count == 1


def test_an_exported_plan_reimports_unchanged_for_its_owner(
    world, forms_plan, login, django_capture_on_commit_callbacks
):
    from formsplan import spreadsheets
    from formsplan.models import FormsImportJob

    services.form_register(
        user=world.user("submitter"),
        plan=forms_plan,
        name="隐患排查表",
        fields="姓名、手机号:电话",
        frequency=12,
    )
    exported = login("submitter").get(f"/forms/plans/{forms_plan.pk}/export.csv")
    text = b"".join(exported.streaming_content).decode("utf-8-sig")
    assert "隐患排查表,姓名、手机号:电话,12" in text
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.import_job_create(
            plan=forms_plan, upload=_upload(text), user=world.user("submitter")
        )
    job = FormsImportJob.objects.get(pk=job.pk)
    # The submitter's own form is unchanged; the other departments' rows are not theirs to register.
    assert (job.unchanged_count, job.error_count) == (1, 2), job.errors
    assert {e["column"] for e in job.errors} == {"填报部门"}


@pytest.mark.parametrize("bad", ["abc", "-1", "99999999999999999999", "１"])
def test_a_tampered_id_in_a_merge_finds_nothing_instead_of_failing(world, forms_plan, login, bad):
    _, b = PlanForm.objects.filter(plan=forms_plan).order_by("id")
    civil = login("reviewer_civil")
    merged = civil.post(f"/forms/forms/{b.pk}/merge/", {"into": bad}, follow=True)
    assert merged.status_code == 200 and "请选择同一计划中的另一张表格" in merged.content.decode()
    field = b.fields.first()
    assert (
        civil.post(f"/forms/forms/{b.pk}/merge-field/", {"field": field.pk, "into": bad}).status_code == 404
    )
    assert (
        civil.post(f"/forms/forms/{b.pk}/merge-field/", {"field": bad, "into": field.pk}).status_code == 404
    )
    b.refresh_from_db()
    assert b.status != "merged"
