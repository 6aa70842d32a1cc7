"""The admin's bulk import and export of organisations and accounts (django-import-export):
every row goes through the organisations services, so no import goes around a rule."""

from __future__ import annotations

import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from audit.models import AuditEvent
from divisions.models import Level
from organisations.choices import OrgKind, Role
from organisations.models import Organisation, User
from organisations.resources import OrganisationResource, UserResource

from . import factories as f
from .spreadsheet_files import excel_xlsx, sheet_xml, xlsx_parts

USER_HEADERS = ["用户名", "姓名", "机构编码", "角色", "电子邮件", "启用"]


def label(role) -> str:
    with translation.override("zh-hans"):
        return str(role.label)


def users(*rows, headers=USER_HEADERS):
    return tablib.Dataset(*rows, headers=headers)


def run(resource_class, actor, dataset, dry_run=False):
    result = resource_class(actor=actor).import_data(dataset, dry_run=dry_run, use_transactions=True)
    errors = {r.number: r.error_dict for r in result.invalid_rows}
    return result, errors


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.org", None)


def test_a_county_creates_its_staff_accounts_from_a_spreadsheet(world):
    actor = world.user("provadmin")
    dataset = users(
        ["bl-zhang", "张三", "t-township_a", label(Role.TOWNSHIP_STAFF), "zhang@example.cn", "是"],
        ["bl-li", "李四", "t-township_a", "township_staff", "", ""],
        ["dm-wang", "王五", "t-civil", label(Role.CATALOGUE_KEEPER), "", "否"],
        headers=[*USER_HEADERS],
    )
    dataset.append_col(["Secret-2026-pass"] * 3, header="密码")  # a password column is never read
    result, errors = run(UserResource, actor, dataset)
    assert not errors and not result.has_errors()
    created = {u.username: u for u in User.objects.filter(username__in=["bl-zhang", "bl-li", "dm-wang"])}
    assert set(created) == {"bl-zhang", "bl-li", "dm-wang"}
    assert all(not u.has_usable_password() for u in created.values())
    assert created["dm-wang"].role == Role.CATALOGUE_KEEPER and not created["dm-wang"].is_active
    assert created["bl-zhang"].organisation == world.orgs["township_a"]
    assert AuditEvent.objects.filter(action="user.create", actor=actor).count() == 3


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (["x1", "错配", "t-civil", "township_staff", "", ""], "__all__"),  # the role does not fit the bureau
        (["x2", "门户", "t-portal", "portal_client", "", ""], "role"),  # portal clients have their own path
        (["x3", "外省", "hb-civil", "provincial_admin", "", ""], "organisation"),  # outside the jurisdiction
        (["x4", "无此机构", "no-such-org", "township_staff", "", ""], "organisation"),
        (["x5", "无此角色", "t-township_a", "镇长", "", ""], "role"),
        (["x6", "邮箱", "t-township_a", "township_staff", "not-an-address", ""], "email"),
        (
            ["township", "重名", "t-township_b", "township_staff", "", ""],
            None,
        ),  # changes an existing account: allowed
    ],
)
def test_each_rule_holds_for_a_row(world, row, field):
    hebei = f.division("13", "河北省", Level.PROVINCE)
    f.OrganisationFactory(
        code="hb-civil", name="河北省民政厅", kind=OrgKind.PROVINCIAL_DEPARTMENT, division=hebei
    )
    before = User.objects.count()
    _result, errors = run(UserResource, world.user("provadmin"), users(row), dry_run=True)
    if field is None:
        assert not errors
        return
    assert field in errors[1], errors
    message = " ".join(errors[1][field])
    assert "Error" not in message and "DoesNotExist" not in message
    assert User.objects.count() == before


def test_only_provincial_admins_import_accounts(world):
    _result, errors = run(
        UserResource,
        world.user("keeper"),
        users(["k1", "某人", "t-civil", "catalogue_keeper", "", ""]),
        dry_run=True,
    )
    assert errors and not User.objects.filter(username="k1").exists()


def test_an_administrator_account_is_not_changed_from_a_file(world, root):
    _result, errors = run(
        UserResource, root, users(["root", "改名", "t-township_a", "township_staff", "", ""])
    )
    assert errors
    root.refresh_from_db()
    assert root.is_superuser and root.display_name == ""


def test_an_exported_masked_address_leaves_the_stored_one(world):
    actor = world.user("provadmin")
    township = world.user("township")
    township.email = "township.staff@example.cn"
    township.phone = "13800138000"
    township.display_name = '=HYPERLINK("http://x")'
    township.save()
    exported = UserResource(actor=actor).export(User.objects.filter(pk=township.pk))
    assert exported.headers == USER_HEADERS  # no phone, no password, no flags
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["电子邮件"] == "t***@example.cn" and row["姓名"].startswith("'=")
    assert "13800138000" not in exported.csv
    row["姓名"] = "百灵庙镇 张三"
    _result, errors = run(UserResource, actor, users([row[h] for h in USER_HEADERS]))
    assert not errors
    township.refresh_from_db()
    assert township.email == "township.staff@example.cn" and township.display_name == "百灵庙镇 张三"
    assert township.has_usable_password()  # an update never touches the password


def test_organisations_import_inside_the_jurisdiction_only(world):
    hebei = f.division("13", "河北省", Level.PROVINCE)
    dataset = tablib.Dataset(
        ["dm-tongji", "达茂旗统计局", "其他旗县部门或群团组织", "150223", ""],
        ["hb-tongji", "河北省统计局", "provincial_department", hebei.code, ""],
        headers=["机构编码", "机构名称", "机构类型", "区划代码", "电子邮件"],
    )
    with translation.override("zh-hans"):
        dataset[0] = ("dm-tongji", "达茂旗统计局", str(OrgKind.COUNTY_DEPARTMENT.label), "150223", "")
        _result, errors = run(OrganisationResource, world.user("provadmin"), dataset, dry_run=True)
    assert list(errors) == [2] and "division" in errors[2]
    _result, errors = run(
        OrganisationResource, world.user("provadmin"), tablib.Dataset(dataset[0], headers=dataset.headers)
    )
    assert not errors
    assert Organisation.objects.get(code="dm-tongji").division_id == "150223000000"
    assert AuditEvent.objects.filter(action="organisation.create").count() == 1


def _admin_import(client, model, content, name):
    page = client.post(
        f"/admin/organisations/{model}/import/",
        {
            "resource": "0",
            "format": "0" if name.endswith(".xlsx") else "1",
            "import_file": SimpleUploadedFile(name, content),
        },
    )
    assert page.status_code == 200
    return page


def test_the_admin_imports_an_excel_file_after_a_preview(client, world, root):
    client.force_login(root)
    content = excel_xlsx([USER_HEADERS, ["bl-zhao", "赵六", "t-township_a", "township_staff", "", "是"]])
    page = _admin_import(client, "user", content, "账号.xlsx")
    assert not User.objects.filter(username="bl-zhao").exists()  # a preview writes nothing
    form = page.context["confirm_form"]
    done = client.post("/admin/organisations/user/process_import/", {**form.initial, "resource": "0"})
    assert done.status_code == 302
    assert not User.objects.get(username="bl-zhao").has_usable_password()


def test_the_admin_refuses_a_hostile_file_in_chinese(client, world, root):
    client.force_login(root)
    header = "".join(
        f'<c r="{c}1" t="inlineStr"><is><t>{t}</t></is></c>'
        for c, t in zip("ABC", USER_HEADERS, strict=False)
    )
    content = xlsx_parts(
        {
            "xl/worksheets/sheet1.xml": sheet_xml(
                f'<row r="1">{header}</row><row r="2"><c r="AAAAAAA2"><v>1</v></c></row>'
            )
        }
    )
    with translation.override("zh-hans"):
        page = _admin_import(client, "user", content, "x.xlsx")
    errors = " ".join(page.context["form"].errors["import_file"])
    assert "AAAAAAA" in errors and "Error" not in errors and "第 2 行" in errors


def test_the_admin_exports_accounts_masked(client, world, root):
    client.force_login(root)
    township = world.user("township")
    township.email, township.phone = "staff@example.cn", "13800138000"
    township.save()
    page = client.post(
        "/admin/organisations/user/export/",
        {
            "format": "0",
            "resource": "0",
            **{
                f"userresource_{k}": "on"
                for k in ["username", "display_name", "organisation", "role", "email", "is_active"]
            },
        },
    )
    assert page.status_code == 200, page.content[:500]
    ws = load_workbook(io.BytesIO(page.content)).active
    values = [[c.value for c in r] for r in ws.iter_rows()]
    assert values[0][0] == "用户名"
    flat = str(values)
    assert "s***@example.cn" in flat and "staff@example.cn" not in flat and "13800138000" not in flat


def test_staff_without_the_role_cannot_open_the_import(client, world):
    keeper = world.user("keeper")
    keeper.is_staff = True
    keeper.save()
    client.force_login(keeper)
    assert client.get("/admin/organisations/user/import/").status_code == 403
