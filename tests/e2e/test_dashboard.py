"""The supervisor opens the efficiency dashboard, sees the charts drawn, drills down to a department and
exports it; the public figures page shows the district's figures. Screenshots go to docs/screenshots/."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_supervisor_dashboard_drill_down_and_export(browser, live_server, sign_in, tmp_path):
    context = browser.new_context(
        locale="zh-CN", accept_downloads=True, viewport={"width": 1366, "height": 900}
    )
    page = sign_in(context.new_page(), "supervisor")
    page.goto(f"{live_server.url}/workbench/kpi/")
    page.wait_for_selector("#kpi-chart-overview[data-rendered='1'] canvas")
    assert page.locator("#kpi-table tbody tr").count() >= 14
    # which figures are live and which come from the daily case summary, and as of when
    assert page.locator("#kpi-table [data-source='summary']").count() == 4
    assert page.locator("#kpi-table [data-source='live']").count() == 10
    assert "截至" in page.locator("#kpi-as-of").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "kpi-dashboard.png"), full_page=True)

    page.locator("#kpi-table").get_by_role("link", name="网上可办率").click()
    page.wait_for_selector("#kpi-chart-trend[data-rendered='1'] canvas")
    first = page.locator("#kpi-breakdown a[data-drill='department']").first
    department = first.inner_text()
    first.click()
    page.wait_for_selector("#kpi-chart-trend[data-rendered='1'] canvas")
    assert department in page.locator("h1").inner_text()
    page.screenshot(path=str(SHOTS / "kpi-department.png"), full_page=True)

    with page.expect_download() as info:
        page.locator("a[data-export='xlsx']").click()
    path = tmp_path / "export.xlsx"
    info.value.save_as(path)
    wb = load_workbook(io.BytesIO(path.read_bytes()))
    summary = list(wb.worksheets[0].iter_rows(values_only=True))
    assert summary[1][0] == department
    assert wb.sheetnames[-1] == "明细"
    context.close()

    public = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    public.goto(f"{live_server.url}/figures/")
    public.wait_for_selector("#kpi-chart-public[data-rendered='1'] canvas")
    assert "网上可办率" in public.locator("#public-figures").inner_text()
    public.screenshot(path=str(SHOTS / "public-figures.png"), full_page=True)
