"""Catalog import/export: whole-file validation, per-row report, one transaction, never half a row, round trip."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from bianmin.audit.models import AuditEntry
from bianmin.catalog import importexport, selectors, services
from bianmin.catalog.exceptions import PublicationRefused
from bianmin.catalog.importexport import ITEM_COLUMNS, MATERIAL_COLUMNS, ImportFileError, ImportRefused
from bianmin.catalog.models import ItemVersion, ServiceItem
from tests.catalog.helpers import admin_user, editor_for, make_certificate, make_published_item
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def workbook(items: list[dict], materials: list[dict] = (), *, item_headers=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "事项"
    headers = item_headers or [h for h, _k in ITEM_COLUMNS]
    ws.append(headers)
    for row in items:
        ws.append([row.get(h, "") for h in headers])
    ms = wb.create_sheet("材料")
    mheaders = [h for h, _k in MATERIAL_COLUMNS]
    ms.append(mheaders)
    for row in materials:
        ms.append([row.get(h, "") for h in mheaders])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def dept():
    return DepartmentFactory(name="汕头市龙湖区市场监督管理局")


@pytest.fixture
def admin():
    return admin_user()


def row(dept, n: int, **overrides) -> dict:
    code = f"0103{n:05d}000"
    data = {
        "基本编码": code,
        "实施编码": f"{dept.uscc}4{code}",
        "事项名称": f"导入事项{n}",
        "别名": "简称甲、简称乙",
        "事项类型": "行政许可",
        "实施主体": dept.name,
        "行使层级": "4",
        "服务对象": "自然人、企业法人",
        "受理条件": "符合条件。",
        "办理流程": "申请\n受理\n决定",
        "设定依据": "《中华人民共和国食品安全法》第三十五条",
        "法定办结时限": 20,
        "法定办结时限单位": "工作日",
        "承诺办结时限": 10,
        "承诺办结时限单位": "工作日",
        "承诺办结时限说明": "10个工作日内办结",
        "办件类型": "承诺件",
        "办理形式": "1,2",
        "到现场次数": 1,
        "网办深度": "1,2,3,4",
        "通办范围": "4",
        "是否收费": "否",
        "是否投资项目审批": "否",
        "审批结果类型": "证照",
    }
    data.update(overrides)
    return data


def test_malformed_files_give_a_clear_message_and_write_nothing(dept, admin):
    with pytest.raises(ImportFileError, match="不是 .xlsx"):
        importexport.validate_workbook(b"name,code\n1,2\n")
    with pytest.raises(ImportFileError, match="空"):
        importexport.validate_workbook(b"")
    wb = Workbook()
    wb.active.title = "Sheet1"
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(ImportFileError, match="找不到工作表“事项”"):
        importexport.validate_workbook(buffer.getvalue())
    with pytest.raises(ImportFileError, match="缺少列"):
        importexport.validate_workbook(workbook([row(dept, 1)], item_headers=["事项名称", "实施编码"]))
    assert not ServiceItem.objects.exists()


def test_per_row_report(dept, admin):
    make_certificate(department=dept, admin=admin)
    content = workbook(
        [
            row(dept, 1),
            row(dept, 2, **{"承诺办结时限": 15, "承诺办结时限说明": "20个工作日内办结"}),
            row(dept, 3, **{"实施编码": "LS-TEMP-0003", "基本编码": "TEMP0003"}),
            row(dept, 4, **{"承诺办结时限": 30}),
            row(dept, 5, **{"事项类型": "行政处罚"}),
            row(dept, 6, **{"实施主体": "不存在的局"}),
            row(dept, 1, **{"事项名称": "重复行"}),
        ],
        [
            {"实施编码": row(dept, 1)["实施编码"], "材料名称": "申请书", "材料必要性": "必要", "原件份数": 1},
            {
                "实施编码": row(dept, 1)["实施编码"],
                "材料名称": "无犯罪记录证明",
                "证明事项": "无犯罪记录证明",
            },
            {"实施编码": row(dept, 2)["实施编码"], "材料名称": "居委会证明", "证明事项": "居住证明"},
        ],
    )
    report = importexport.validate_workbook(content)
    status = {r.row: r.status for r in report.rows}
    assert status == {2: "ok", 3: "warning", 4: "flagged", 5: "error", 6: "error", 7: "error", 8: "error"}
    by_row = {r.row: r for r in report.rows}
    assert any("20个工作日" in w for w in by_row[3].warnings)
    assert any("不在已公布的证明事项清单" in w for w in by_row[3].warnings)
    assert any("31位" in p for p in by_row[4].code_problems)
    assert any("不能超过法定" in e for e in by_row[5].errors)
    assert any("不属于依申请事项" in e for e in by_row[6].errors)
    assert any("实施主体" in e for e in by_row[7].errors)
    assert any("重复" in e for e in by_row[8].errors)
    assert report.summary() == {"total": 7, "ok": 1, "warning": 1, "flagged": 1, "error": 4}
    assert len(by_row[2].data["materials"]) == 2
    assert not ServiceItem.objects.exists()  # validation writes nothing


def test_a_handle_item_code_that_breaks_urls_is_a_row_error(dept, admin):
    content = workbook(
        [row(dept, 1, **{"业务办理项编码": "01/02"}), row(dept, 2, **{"业务办理项编码": "01"})]
    )
    report = importexport.validate_workbook(content)
    by_row = {r.row: r for r in report.rows}
    assert by_row[2].status == "error" and any("业务办理项编码" in e for e in by_row[2].errors)
    assert by_row[3].status == "ok"


def test_all_rows_mode_refuses_a_file_with_errors(dept, admin):
    report = importexport.validate_workbook(workbook([row(dept, 1), row(dept, 2, **{"事项类型": "x"})]))
    with pytest.raises(ImportRefused):
        importexport.write_import(report, acting_user=admin)
    assert not ServiceItem.objects.exists()


def test_valid_only_mode_writes_valid_rows_and_flags_bad_codes(dept, admin):
    content = workbook(
        [
            row(dept, 1),
            row(dept, 2, **{"实施编码": "LS-TEMP-0002", "基本编码": "TEMP0002"}),
            row(dept, 3, **{"事项类型": "x"}),
        ],
        [{"实施编码": row(dept, 1)["实施编码"], "材料名称": "申请书"}],
    )
    report = importexport.validate_workbook(content)
    result = importexport.write_import(report, acting_user=admin, valid_only=True, publish=True)
    assert (result.created, result.skipped, result.flagged, result.published) == (2, 1, 1, 1)
    good = ServiceItem.objects.get(code=row(dept, 1)["实施编码"])
    assert good.current_version.name == "导入事项1"
    assert good.current_version.aliases == ["简称甲", "简称乙"]
    assert [m.name for m in good.current_version.materials.all()] == ["申请书"]
    flagged = ServiceItem.objects.get(code="LS-TEMP-0002")
    draft = flagged.versions.get()
    assert (flagged.codes_valid, draft.needs_correction, draft.state) == (False, True, "draft")
    with pytest.raises(PublicationRefused):
        services.version_submit_for_review(version=draft, acting_user=admin)
    assert AuditEntry.objects.filter(action="catalog.item_create").count() == 2


def test_never_half_a_row(dept, admin, monkeypatch):
    content = workbook(
        [row(dept, 1), row(dept, 2)],
        [
            {"实施编码": row(dept, 2)["实施编码"], "材料名称": "申请书"},
            {"实施编码": row(dept, 2)["实施编码"], "材料名称": "身份证"},
        ],
    )
    original = services._write_form_fields

    def failing(version, rows):  # the item and its materials are already written when this fails
        if version.name == "导入事项2":
            raise services.CatalogValidationError("模拟写入失败")
        return original(version, rows)

    monkeypatch.setattr(services, "_write_form_fields", failing)
    with pytest.raises(ImportRefused, match="第3行"):
        importexport.write_import(importexport.validate_workbook(content), acting_user=admin)
    assert not ServiceItem.objects.exists()
    result = importexport.write_import(
        importexport.validate_workbook(content), acting_user=admin, valid_only=True
    )
    assert result.created == 1 and result.failed == [(3, "模拟写入失败")]
    assert list(ServiceItem.objects.values_list("code", flat=True)) == [row(dept, 1)["实施编码"]]
    assert not ItemVersion.objects.filter(name="导入事项2").exists()


def test_only_platform_admins_import(dept):
    report = importexport.validate_workbook(workbook([row(dept, 1)]))
    with pytest.raises(services.CatalogPermissionDenied):
        importexport.write_import(report, acting_user=editor_for(dept))


def test_export_reimports_as_an_identical_new_version(dept, admin):
    editor = editor_for(dept)
    certificate = make_certificate(department=dept, admin=admin)
    partner = DepartmentFactory(name="汕头市龙湖区人民防空办公室")
    item = make_published_item(
        department=dept,
        editor=editor,
        materials=[
            {"name": "申请书", "necessity": "1", "original_count": 1, "copy_count": 0, "notes": "签字"},
            {"name": "无犯罪记录证明", "necessity": "3", "certificate": certificate.pk, "source": "20"},
        ],
        fees=[{"name": "工本费", "standard": "10元/本", "basis": "《某收费标准》"}],
        is_free=False,
        special_steps=[{"name": "现场核查", "duration": 5, "unit": "working_day", "counted": False}],
        themes=["operating_permits"],
        partner_departments=[partner],
    )
    content = importexport.export_xlsx()
    sheets = load_workbook(io.BytesIO(content)).sheetnames
    assert sheets == ["事项", "材料", "表单"]
    report = importexport.validate_workbook(content)
    assert report.summary()["error"] == 0, report.as_dict()
    result = importexport.write_import(report, acting_user=admin)
    assert result.new_versions == 1
    draft = item.versions.get(state="draft")
    assert selectors.version_diff(item.current_version, draft) == []


def test_json_export(dept):
    editor = editor_for(dept)
    item = make_published_item(department=dept, editor=editor)
    data = json.loads(importexport.export_json())
    assert data["count"] == 1
    entry = data["items"][0]
    assert entry["事项编码"] == item.code
    assert entry["事项名称"] == item.current_version.name
    assert [m["材料名称"] for m in entry["材料"]] == ["申请材料1", "申请材料2"]


def test_commands_round_trip(dept, admin, tmp_path):
    make_published_item(department=dept, editor=editor_for(dept))
    target = tmp_path / "catalog.xlsx"
    call_command("export_catalog", str(target), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_catalog", str(target), "--dry-run", stdout=out)
    assert "'error': 0" in out.getvalue()
    call_command("import_catalog", str(target), "--as", admin.username, stdout=out)
    assert ItemVersion.objects.filter(state="draft").count() == 1


# --- the admin page ------------------------------------------------------------------------------


def test_import_page_is_for_platform_admins_only(client, dept):
    url = reverse("catalog:import")
    assert client.get(url).status_code == 302
    client.force_login(editor_for(dept))
    assert client.get(url).status_code == 404


def test_upload_report_confirm_progress(client, dept, admin):
    client.force_login(admin)
    bad = client.post(reverse("catalog:import"), {"file": io.BytesIO(b"not a workbook")})
    assert bad.status_code == 400 and "不是 .xlsx" in bad.content.decode()
    upload = io.BytesIO(workbook([row(dept, 1), row(dept, 2, **{"事项类型": "x"})]))
    upload.name = "catalog.xlsx"
    response = client.post(reverse("catalog:import"), {"file": upload})
    assert response.status_code == 302
    report_url = response["Location"]
    page = client.get(report_url).content.decode()
    assert "导入校验报告" in page and "有错误" in page
    refused = client.post(report_url, {"mode": "all"})
    assert refused.status_code == 400
    assert not ServiceItem.objects.exists()
    done = client.post(report_url, {"mode": "valid_only"}, follow=True)  # huey runs immediately in tests
    assert "导入完成" in done.content.decode()
    assert ServiceItem.objects.count() == 1
    token = report_url.rstrip("/").rsplit("/", 1)[-1]
    fragment = client.get(reverse("catalog:import-progress", args=[token])).content.decode()
    assert 'value="100"' in fragment and "hx-trigger" not in fragment
    client.force_login(admin_user())  # another administrator cannot see this job
    assert client.get(report_url).status_code == 404


def test_export_downloads(client, dept, admin):
    make_published_item(department=dept, editor=editor_for(dept))
    client.force_login(admin)
    xlsx = client.get(reverse("catalog:export", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert json.loads(client.get(reverse("catalog:export", args=["json"])).content)["count"] == 1
    assert client.get(reverse("catalog:export", args=["csv"])).status_code == 404
