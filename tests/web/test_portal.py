import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def test_home_renders_for_anonymous_with_the_search_box(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form class="search-box" action="/items/" method="get"' in html
    assert 'name="q"' in html
    assert "请输入您要办理的事项，如：开饭店、低保、社保卡" in html
    assert "个人办事" in html and "法人办事" in html
    assert 'href="/items/?theme=' in html
    # Header and footer come from settings.
    assert "龙湖区政务服务网" in html
    assert "12345" in html and "粤ICP备" in html and "网站标识码" in html


def test_home_lists_active_halls_and_an_empty_state_without_figures(client, halls):
    halls[2].is_active = False
    halls[2].save(update_fields=["is_active"])
    html = client.get("/").content.decode()
    assert "测试大厅0" in html and "测试大厅1" in html
    assert "测试大厅2" not in html
    assert "统计数据尚未发布" in html  # no kpi app yet: a clear empty state


def test_home_query_count_is_constant(client, halls, django_assert_max_num_queries):
    # themes, halls, hot items, waiting counts, and the kpi app's four 办 figures (a fixed 8)
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


def test_html_lang_follows_the_active_language(client):
    assert '<html lang="zh-CN">' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


def test_language_switch_to_english_shows_english_navigation(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/lookup/"})
    assert response.status_code == 302
    assert response["Location"] == "/lookup/"
    html = client.get("/").content.decode()
    nav = html.split('id="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert ">Home<" in nav
    assert ">Look up<" in nav
    assert "首页" not in nav
    assert "What do you need to do?" in html


def test_elderly_switch_sets_the_cookie_and_the_body_class(client):
    response = client.post(reverse("web:elderly_switch"), {"elderly": "1", "next": "/lookup/"})
    assert response.status_code == 302
    assert response["Location"] == "/lookup/"
    assert response.cookies["elderly"].value == "1"
    assert response.cookies["elderly"]["max-age"] == 365 * 24 * 3600
    html = client.get("/").content.decode()
    assert '<body class="elderly portal"' in html
    assert '<html lang="zh-CN" class="elderly">' in html
    assert 'aria-pressed="true"' in html

    response = client.post(reverse("web:elderly_switch"), {"elderly": "0", "next": "/"})
    assert response.cookies["elderly"].value == ""  # deleted
    assert '<body class="portal"' in client.get("/").content.decode()


def test_elderly_switch_refuses_foreign_redirects_and_get(client):
    response = client.post(reverse("web:elderly_switch"), {"elderly": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get(reverse("web:elderly_switch")).status_code == 405


@pytest.mark.parametrize("path", ["/", "/lookup/", "/sitemap/", "/contact/", "/no-such-page/"])
def test_public_pages_send_csp_and_have_no_inline_script(client, halls, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    html = response.content.decode()
    assert INLINE_SCRIPT.search(html) is None, INLINE_SCRIPT.search(html)
    assert " hx-on" not in html
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false}\'>' in html
    assert "/static/vendor/htmx.min.js" in html and "/static/js/bianmin.js" in html


def test_signed_in_pages_have_no_inline_script(login, citizen, clerk):
    for user, path in (
        (citizen, "/my/"),
        (citizen, "/my/cases/"),
        (citizen, "/workbench/"),
        (clerk, "/workbench/"),
    ):
        html = login(user).get(path).content.decode()
        assert INLINE_SCRIPT.search(html) is None, (path, INLINE_SCRIPT.search(html))


def test_404_page_is_chinese_and_says_what_to_do(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "没有找到您要的页面" in html
    assert "返回门户首页" in html and "网站地图" in html


def test_500_page_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "系统暂时出错" in html and "12345" in html
    assert INLINE_SCRIPT.search(html) is None


def test_portal_nav_marks_the_current_page(client):
    html = client.get("/lookup/").content.decode()
    assert '<a href="/lookup/" aria-current="page">查询</a>' in html
    assert '<a href="/" aria-current="page">' not in html


def test_login_link_points_to_the_login_page_and_back(client):
    html = client.get("/lookup/").content.decode()
    assert 'href="/accounts/login/?next=/lookup/"' in html


def test_contact_and_sitemap_pages(client, halls):
    assert "测试大厅1" in client.get("/contact/").content.decode()
    sitemap = client.get("/sitemap/").content.decode()
    assert "/accounts/privacy/" in sitemap and "/contact/" in sitemap


def test_home_shows_todays_waiting_count_per_hall(client, halls, django_assert_max_num_queries):
    from django.utils import timezone

    from bianmin.appointments.constants import TicketSource, TicketState
    from bianmin.appointments.models import QueueTicket, TicketCategory

    category = TicketCategory.objects.create(hall=halls[0], letter="A", name="综合业务")
    now = timezone.now()
    for n, state in enumerate([TicketState.WAITING, TicketState.WAITING, TicketState.DONE]):
        QueueTicket.objects.create(
            hall=halls[0],
            on=timezone.localdate(),
            category=category,
            number=f"A{n:03d}",
            token=f"web-test-token-{n}",
            source=TicketSource.choices[0][0],
            state=state,
            issued_at=now,
        )
    with django_assert_max_num_queries(12):
        html = client.get("/").content.decode()
    assert "今日等候 2 人" in html
    assert "今日等候 0 人" in html  # the other halls


def test_optional_call_skips_apps_that_are_not_installed_and_missing_functions(settings):
    from bianmin.web.views import optional_call

    assert optional_call("bianmin.not_an_app.selectors.anything") is None
    assert optional_call("bianmin.catalog.selectors.no_such_function") is None
    settings.INSTALLED_APPS = [a for a in settings.INSTALLED_APPS if a != "bianmin.kpi"]
    assert optional_call("bianmin.kpi.selectors.public_four_ban_figures") is None
