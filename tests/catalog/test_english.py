"""English mode of the catalog pages and messages: no Chinese punctuation or separators around translated text.

Catalog data (names, aliases, legal texts) stays Chinese; what the interface adds around it follows the language.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from bianmin.catalog import importexport, services
from tests.catalog.helpers import (
    admin_user,
    catalog_code,
    editor_for,
    make_certificate,
    make_item,
    make_published_item,
    version_data,
)
from tests.factories import DepartmentFactory
from tests.web.i18n_helpers import pending_english

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept():
    return DepartmentFactory(name="汕头市龙湖区市场监督管理局", short_name="区市监局")


@pytest.fixture
def editor(dept):
    return editor_for(dept)


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


GUIDE = {
    "special_steps": [{"name": "专家评审", "duration": 5, "unit": "working_day", "counted": False}],
    "is_free": False,
    "fees": [{"name": "工本费", "standard": "10元/证", "basis": "粤价〔2000〕1号"}],
}


def _guide_html(client, dept, editor):
    item = make_published_item(department=dept, editor=editor, **GUIDE)
    return client.get(reverse("catalog:item", args=[item.code])).content.decode()


def test_item_cards_show_aliases_with_the_languages_punctuation(client, dept, editor):
    make_published_item(department=dept, editor=editor)
    assert "又称：食品许可证、食品店许可" in client.get("/items/").content.decode()
    html = _english(client).get("/items/").content.decode()
    assert "Also known as: 食品许可证, 食品店许可" in html
    assert "：" not in html.split('class="hide-elderly"> · Also known as', 1)[1].split("</span>", 1)[0]


def test_certificate_list_alternative_in_english(client, dept):
    make_certificate(department=dept)
    assert "替代方式：部门核验" in client.get("/certificates/").content.decode()
    html = _english(client).get("/certificates/").content.decode()
    assert "Alternative: 部门核验" in html and "Alternative：" not in html


def test_guide_in_chinese_keeps_its_punctuation(client, dept, editor):
    html = _guide_html(client, dept, editor)
    assert "专家评审：5工作日（不计入办理时限）" in html
    assert "工本费：10元/证" in html and "收费依据：粤价〔2000〕1号" in html
    assert "食品经营许可证（证照）" in html
    assert '<span class="small muted">（从事食品销售应当取得许可。）</span>' in html
    assert "来源：龙湖区政务服务网，本指南发布于" in html


def test_guide_in_english_has_no_chinese_punctuation_around_translated_text(client, dept, editor):
    with pending_english():
        html = _guide_html(_english(client), dept, editor)
    assert "专家评审: 5 working days (Not counted in the time limit)" in html
    assert "工本费: 10元/证" in html and "Fee basis: 粤价〔2000〕1号" in html
    assert "食品经营许可证 (Licence)" in html
    assert '<span class="small muted">(从事食品销售应当取得许可。)</span>' in html
    # The print-only source line names the site in English (the guide is cached without the context processors).
    assert "Longhu District Government Services" in html.split('class="small muted print-only"', 1)[1]
    assert "龙湖区政务服务网" not in html


def test_theme_filter_options_are_translated(client, dept, editor):
    make_published_item(department=dept, editor=editor)
    assert ">生育收养</option>" in client.get("/items/").content.decode()
    with pending_english():
        html = _english(client).get("/items/").content.decode()
    assert ">Birth and adoption</option>" in html and ">Social assistance</option>" in html
    assert ">生育收养</option>" not in html


def test_workbench_version_page_brackets_in_english(client, dept, editor):
    item = make_item(department=dept, editor=editor, special_steps=GUIDE["special_steps"])
    version = item.versions.get()
    client.force_login(editor)
    url = reverse("catalog:wb-version", args=[version.pk])
    zh = client.get(url).content.decode()
    assert "专家评审 5工作日 （不计入时限）" in zh and "食品经营许可证（证照）" in zh
    assert "<dd>10工作日 " in zh  # promised time limit
    en = _english(client).get(url).content.decode()
    assert "专家评审 5 working days (Not counted in time limit)" in en
    assert "<dd>10 working days " in en and "<dd>20 working days " in en
    assert "食品经营许可证 (Licence)" in en
    assert "（从事食品销售应当取得许可。）" not in en and "(从事食品销售应当取得许可。)" in en


def _sheet(headers):
    wb = Workbook()
    ws = wb.active
    ws.title = "事项"
    ws.append(headers)
    return ws


def test_missing_columns_are_listed_with_the_languages_separator():
    required = ["基本编码", "实施编码", "事项名称"]
    with translation.override("zh-hans"):
        _rows, errors = importexport._sheet_rows(_sheet(["事项名称"]), [], required)
    assert errors == ["工作表“事项”缺少列：基本编码、实施编码。"]
    with translation.override("en"):
        _rows, errors = importexport._sheet_rows(_sheet(["事项名称"]), [], required)
    assert errors == ['Sheet "事项" is missing columns: 基本编码, 实施编码.']


def test_invalid_code_values_are_listed_with_the_languages_separator(dept):
    from tests.catalog.test_import_export import row, workbook

    content = workbook([row(dept, 1, **{"服务对象": "外星人、机器人"})])
    with translation.override("en"):
        report = importexport.validate_workbook(io.BytesIO(content).getvalue())
    errors = report.rows[0].errors
    assert any("contains invalid values: 外星人, 机器人." in e for e in errors), errors


def test_codes_warning_in_english_joins_the_problems_in_english(client):
    department = DepartmentFactory()
    editor = editor_for(department)
    code = catalog_code()
    item = services.item_create(
        acting_user=editor,
        department=department,
        implementation_code=f"TEMP{code}",
        catalog_code=code,
        version_data=version_data(),
        allow_invalid_codes=True,
    )
    client.force_login(editor)
    with pending_english():
        response = _english(client).post(
            f"/workbench/catalog/items/{item.pk}/codes/",
            {"catalog_code": code, "implementation_code": f"{department.uscc}5{code}"},
        )
    html = response.content.decode()
    assert "Saved, but the codes still do not follow the national rules: " in html
    warning = html.split("Saved, but the codes still do not follow the national rules: ", 1)[1].split("<", 1)[
        0
    ]
    assert "；" not in warning and "实施编码" not in warning  # problems shown in English too


def test_review_comments_are_separated_from_their_label_in_english(client, dept, editor):
    item = make_item(department=dept, editor=editor)
    version = item.versions.get()
    services.version_submit_for_review(version=version, acting_user=editor)
    services.version_return_to_draft(version=version, acting_user=admin_user(), comments="请补充收费依据")
    client.force_login(editor)
    for url in (
        reverse("catalog:wb-version", args=[version.pk]),
        reverse("catalog:wb-version-edit", args=[version.pk]),
    ):
        assert "审核意见：</strong> 请补充收费依据" in client.get(url).content.decode()
        assert "Review comments:</strong> 请补充收费依据" in _english(client).get(url).content.decode()
        client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
