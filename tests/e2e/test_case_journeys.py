"""The two main journeys of a case in Chromium, through the pages only (demo accounts, password bianmin-demo).

(a) a citizen applies online, is asked once to correct one material, resubmits, the department reviews and
    approves (reviewer + head), and receives the result electronically;
(b) a window clerk takes an enterprise's construction application with 容缺, the enterprise supplements it
    later, two departments review in parallel, and the result is picked up at the window.
Screenshots of the apply stepper, 我的办件, the work queue and the staff case page go to docs/screenshots/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine

from bianmin.cases import notices
from bianmin.cases.models import Case, CaseNotice
from bianmin.catalog.constants import FormFieldKind, Necessity
from bianmin.catalog.models import ServiceItem

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
BEIJING = dt.timezone(dt.timedelta(hours=8))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def monday():
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, 0, tzinfo=BEIJING), tick=True) as traveller:
        yield traveller


def _value(field) -> str:
    return {
        FormFieldKind.NUMBER: "100",
        FormFieldKind.DATE: "2026-12-01",
        FormFieldKind.ID_CARD: "44050719900307123X",
        FormFieldKind.USCC: "91440507MA4W0D0E1H",
        FormFieldKind.MOBILE: "13800138000",
        FormFieldKind.ADDRESS: "汕头市龙湖区长平路1号",
    }.get(field.kind, "测试内容")


def _fill_form(page, version) -> None:
    for field in version.form_fields.all():
        if field.kind == FormFieldKind.CHOICE and field.choices:
            page.select_option(f"[name={field.key}]", str(field.choices[0]))
        else:
            page.fill(f"[name={field.key}]", _value(field))


def _upload_in_row(page, index: int, name: str) -> None:
    row = page.locator("ol > li.card").nth(index)
    row.locator("summary").click()
    row.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": PDF}
    )
    with page.expect_navigation():
        row.locator("button[type=submit]").click()


def _item(key_name: str) -> ServiceItem:
    return ServiceItem.objects.select_related("current_version").get(
        current_version__name=key_name, sub_items__isnull=True
    )


def _accept_dialogs(page):
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def _new_page(browser, width: int = 1366, height: int = 900):
    """A page in its own context as a user in the district has it: Chinese, Beijing time, dialogs accepted
    (browser.new_page does not take the session's browser_context_args)."""
    page = browser.new_page(
        viewport={"width": width, "height": height}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    return _accept_dialogs(page)


# WCAG contrast ratio of an element's text colour against its own background colour
CONTRAST = """e => {
  const lum = c => {
    const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(v => {
      v = v / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const style = getComputedStyle(e);
  const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def test_online_application_with_one_correction_approved_and_received_electronically(
    monday, browser, live_server, sign_in
):
    item = _item("个体工商户设立登记")
    version = item.current_version
    materials = list(version.materials.all())
    base = live_server.url

    citizen = _new_page(browser, 1280)
    sign_in(citizen, "citizen")
    citizen.goto(f"{base}/items/{item.code}/")
    with citizen.expect_navigation():
        citizen.locator("a", has_text="在线申请").first.click()
    assert "/apply/" in citizen.url
    _fill_form(citizen, version)
    citizen.screenshot(path=str(SHOTS / "cases-apply-stepper.png"), full_page=True)
    with citizen.expect_navigation():
        citizen.locator("button", has_text="保存并下一步").click()
    assert "/materials/" in citizen.url
    for index, material in enumerate(materials):
        if material.necessity != Necessity.OPTIONAL:
            _upload_in_row(citizen, index, f"m{index}.pdf")
    citizen.screenshot(path=str(SHOTS / "cases-apply-materials.png"), full_page=True)
    with citizen.expect_navigation():
        citizen.locator("a", has_text="下一步：确认提交").click()
    citizen.check("input[name=delivery_channel][value=electronic]")
    with citizen.expect_navigation():
        citizen.locator("button", has_text="确认提交").click()
    case = Case.objects.get(created_by__username="citizen", item=item)
    assert case.number and f"/my/cases/{case.number}/" in citizen.url

    # the front desk asks once for one corrected material
    clerk = _new_page(browser)
    sign_in(clerk, "clerk")
    clerk.goto(f"{base}/workbench/cases/{case.number}/")
    clerk.locator("summary", has_text="一次性告知补正").click()
    clerk.fill(f"#pn-{materials[0].pk}", "身份证明扫描件不清晰，请重新上传")
    with clerk.expect_navigation():
        clerk.locator("button", has_text="发出补正通知").click()
    case.refresh_from_db()
    assert case.state == "awaiting_correction"

    citizen.goto(f"{base}/my/cases/{case.number}/")
    assert citizen.get_by_text("身份证明扫描件不清晰").is_visible()
    section = citizen.locator("section", has_text="补正材料通知")
    first = section.locator("details").first
    first.locator("summary").click()
    first.locator("input[type=file]").set_input_files(
        {"name": "clear.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    with citizen.expect_navigation():
        first.locator("button[type=submit]").click()
    with citizen.expect_navigation():
        citizen.locator("button", has_text="补正完毕，重新提交").click()
    case.refresh_from_db()
    assert case.state == "submitted"

    clerk.goto(f"{base}/workbench/cases/{case.number}/")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="受理", exact=True).click()
    case.refresh_from_db()
    assert case.state == "accepted", clerk.locator(".alert-error").all_inner_texts()

    reviewer = _new_page(browser)
    sign_in(reviewer, "reviewer")
    reviewer.goto(f"{base}/workbench/cases/")
    assert reviewer.get_by_text(case.number).is_visible()
    reviewer.screenshot(path=str(SHOTS / "cases-work-queue.png"), full_page=True)
    reviewer.goto(f"{base}/workbench/cases/{case.number}/")
    with reviewer.expect_navigation():
        reviewer.locator("button", has_text="开始审查").click()
    reviewer.fill("textarea[name=opinion]", "材料齐全，符合登记条件。")
    with reviewer.expect_navigation():
        reviewer.locator("button", has_text="提交审查意见").click()
    reviewer.screenshot(path=str(SHOTS / "cases-staff-case.png"), full_page=True)

    head = _new_page(browser)
    sign_in(head, "head")
    head.goto(f"{base}/workbench/cases/{case.number}/")
    head.fill("#c-reasons", "符合《市场主体登记管理条例》规定的条件。")
    with head.expect_navigation():
        head.get_by_role("button", name="办结", exact=True).click()
    case.refresh_from_db()
    assert case.state == "concluded", head.locator(".alert-error").all_inner_texts()

    citizen.goto(f"{base}/my/cases/{case.number}/")
    with citizen.expect_navigation():
        citizen.locator("button", has_text="电子送达：接收结果").click()
    case.refresh_from_db()
    assert case.state == "delivered" and case.delivery_channel == "electronic"
    decision_link = citizen.locator("a", has_text="行政许可决定书")
    assert decision_link.is_visible()
    # the decision is sealed with the department's approval seal and verifiable on the public page
    pdf = citizen.request.get(base + decision_link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-")
    notice = CaseNotice.objects.get(case=case, kind="decision")
    assert notices.notice_for_pdf(pdf.body()) == notice and notices.notice_verify(notice)
    citizen.goto(f"{base}/cases/notices/verify/{notice.pk}/")
    assert "核验通过" in citizen.locator("main").inner_text()
    citizen.goto(f"{base}/my/cases/")
    citizen.screenshot(path=str(SHOTS / "cases-my-cases.png"), full_page=True)
    assert citizen.get_by_text("已送达").first.is_visible()


def test_window_application_with_tolerance_parallel_review_and_pickup(monday, browser, live_server, sign_in):
    item = _item("建筑工程施工许可证核发")
    version = item.current_version
    assert version.partner_departments.count() == 1  # 区人防办; the demo seed gives it rf_reviewer
    materials = list(version.materials.all())
    base = live_server.url

    clerk = _new_page(browser)
    sign_in(clerk, "clerk")
    clerk.goto(f"{base}/workbench/intake/?item={item.code}")
    find = clerk.locator("form.search-box button")  # 查找 once had dark blue text on its dark blue background
    assert find.evaluate(CONTRAST) >= 4.5
    clerk.select_option("[name=kind]", "enterprise")
    clerk.fill("[name=name]", "汕头市龙湖区便民示范科技有限公司")
    clerk.fill("[name=id_no]", "91440507MA4W0D0E1H")
    clerk.fill("[name=agent_name]", "林小红")
    clerk.fill("[name=agent_id_no]", "44050719900307123X")
    with clerk.expect_navigation():
        clerk.locator("button", has_text="登记并上传材料").click()
    _fill_form(clerk, version)
    with clerk.expect_navigation():
        clerk.locator("button", has_text="保存并下一步").click()
    assert "/materials/" in clerk.url
    tolerated = [m for m in materials if m.necessity == Necessity.TOLERATED]
    for index, material in enumerate(materials):
        if material.necessity == Necessity.REQUIRED:
            _upload_in_row(clerk, index, f"scan{index}.pdf")
    # 代办: the agent's power of attorney, scanned as an extra material (the name is filled in)
    extra = clerk.locator("details.card").filter(has_text="授权委托书")
    extra.locator("summary").click()
    assert extra.locator("#extra-name").input_value() == "授权委托书"
    extra.locator("#extra-file").set_input_files(
        {"name": "poa.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    with clerk.expect_navigation():
        extra.locator("button[type=submit]").click()
    with clerk.expect_navigation():
        clerk.locator("a", has_text="下一步：确认提交").click()
    clerk.check("input[name=delivery_channel][value=pickup]")
    with clerk.expect_navigation():
        clerk.locator("button", has_text="确认提交").click()
    case = Case.objects.get(item=item, channel="window")
    assert case.number, (
        clerk.locator(".alert-error").all_inner_texts() and f"/workbench/cases/{case.number}/" in clerk.url
    )
    if tolerated:
        clerk.check("input[name=mode][value=tolerant]")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="受理", exact=True).click()
    case.refresh_from_db()
    assert case.state == "accepted", clerk.locator(".alert-error").all_inner_texts()

    if tolerated:
        company = _new_page(browser, 1280, 800)
        sign_in(company, "company")
        company.goto(f"{base}/my/cases/{case.number}/")
        form = company.locator("form[action$='/act/supplement/']").first
        form.locator("input[type=file]").set_input_files(
            {"name": "later.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        with company.expect_navigation():
            form.locator("button[type=submit]").click()
        assert not case.materials.filter(
            is_current=True, kind="missing", supplied_at__isnull=True
        ).exists() or (
            case.materials.filter(
                is_current=True, kind="upload", material__necessity=Necessity.TOLERATED
            ).exists()
        )

    reviewer = _new_page(browser)
    sign_in(reviewer, "zj_reviewer")
    reviewer.goto(f"{base}/workbench/cases/{case.number}/")
    with reviewer.expect_navigation():
        reviewer.locator("button", has_text="开始审查").click()
    reviewer.fill("textarea[name=opinion]", "施工许可条件具备。")
    with reviewer.expect_navigation():
        reviewer.locator("button", has_text="提交审查意见").click()

    civil = _new_page(browser)
    sign_in(civil, "rf_reviewer")
    civil.goto(f"{base}/workbench/cases/{case.number}/")
    assert civil.get_by_role("button", name="办结", exact=True).count() == 0
    civil.fill("textarea[name=opinion]", "人防设计符合要求。")
    with civil.expect_navigation():
        civil.locator("button", has_text="提交审查意见").click()
    assert case.tasks.filter(state="done").count() == 2

    head = _new_page(browser)
    sign_in(head, "zj_head")
    head.goto(f"{base}/workbench/cases/{case.number}/")
    with head.expect_navigation():
        head.get_by_role("button", name="办结", exact=True).click()
    case.refresh_from_db()
    assert case.state == "concluded", head.locator(".alert-error").all_inner_texts()

    clerk.goto(f"{base}/workbench/cases/{case.number}/")
    clerk.fill("#d-recipient", "林小红")
    with clerk.expect_navigation():
        clerk.locator("button", has_text="窗口出件").click()
    case.refresh_from_db()
    assert case.state == "delivered" and case.delivery_recipient == "林小红"
