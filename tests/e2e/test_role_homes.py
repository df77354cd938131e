"""Every demo role signs in through the real login form and lands on its own home page.

One test walks through all ten roles so the demo district is seeded once (seeding takes seconds);
each role uses a fresh browser context, and every mismatch is reported together.
"""

from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# username → (path of the home page, text in its <h1>, text only that role's home shows)
ROLE_HOMES = {
    "citizen": ("/my/", "我的", "我的办件"),
    "company": ("/my/", "我的", "所属企业"),
    "clerk": ("/workbench/", "您好", "综合窗口人员"),
    "reviewer": ("/workbench/", "您好", "我的待办"),
    "head": ("/workbench/", "您好", "待审批"),
    "editor": ("/workbench/", "您好", "部门事项编辑"),
    "manager": ("/workbench/", "您好", "大厅管理员"),
    "admin": ("/workbench/", "您好", "平台管理"),
    "supervisor": ("/workbench/", "您好", "效能监督员"),
    "hotline": ("/workbench/", "您好", "热线坐席"),
}


def test_each_demo_role_lands_on_its_home(browser, live_server, demo_data, sign_in):
    problems = []
    for username, (path, heading, marker) in ROLE_HOMES.items():
        context = browser.new_context(locale="zh-CN")
        page = sign_in(context.new_page(), username)
        landed = urlparse(page.url).path
        h1 = page.locator("h1").first.inner_text()
        main = page.locator("main").inner_text()
        if landed != path:
            problems.append(f"{username}: landed on {landed}, expected {path}")
        elif heading not in h1:
            problems.append(f"{username}: <h1> is {h1!r}, expected it to contain {heading!r}")
        elif marker not in main:
            problems.append(f"{username}: {marker!r} not on the page")
        context.close()
    assert problems == []


def test_citizen_is_refused_the_workbench(page, live_server, sign_in):
    sign_in(page, "citizen")
    response = page.goto(f"{live_server.url}/workbench/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "无权访问此页面"
