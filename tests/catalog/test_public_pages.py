"""The public 办事指南: list with search and filters, the guide page, the certificate list; query counts pinned."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from bianmin.catalog import services
from bianmin.catalog.models import Material
from tests.catalog.helpers import (
    admin_user,
    editor_for,
    make_certificate,
    make_item,
    make_published_item,
    material_rows,
    publish_latest,
)
from tests.factories import DepartmentFactory, HallFactory, WindowFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept():
    return DepartmentFactory(name="汕头市龙湖区市场监督管理局", short_name="区市监局")


@pytest.fixture
def editor(dept):
    return editor_for(dept)


def _publish(dept, editor, **kw):
    return make_published_item(department=dept, editor=editor, **kw)


def test_list_shows_published_items_with_badges_and_hides_drafts(client, dept, editor):
    _publish(dept, editor, name="食品经营许可", handle_kind="2", online_depth=["1", "4"], visits_required=0)
    make_item(department=dept, editor=editor, name="草稿事项")
    response = client.get("/items/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "食品经营许可" in html
    assert "草稿事项" not in html
    assert 'class="badge badge-online"' in html and 'class="badge badge-one-visit"' in html
    assert 'class="badge badge-instant"' not in html


def test_colloquial_search_on_the_list_page(client, dept, editor):
    _publish(dept, editor, name="食品经营许可")
    _publish(dept, editor, name="户外广告设施设置许可", aliases=["招牌"], result_name="许可决定书")
    html = client.get("/items/", {"q": "开饭店需要办什么证"}).content.decode()
    assert html.index("食品经营许可") < (html.index("户外广告") if "户外广告" in html else len(html))
    empty = client.get("/items/", {"q": "火箭发射"}).content.decode()
    assert "没有找到相关事项" in empty


@pytest.mark.parametrize(
    ("params", "expected", "excluded"),
    [
        ({"type": "20"}, "社会保障卡申领", "食品经营许可"),
        ({"target": "legal"}, "食品经营许可", "社会保障卡申领"),
        ({"instant": "1"}, "社会保障卡申领", "食品经营许可"),
        ({"online": "1"}, "食品经营许可", "社会保障卡申领"),
        ({"one_visit": "1"}, "社会保障卡申领", "食品经营许可"),
        ({"theme": "social_security"}, "社会保障卡申领", "食品经营许可"),
    ],
)
def test_filters(client, dept, editor, params, expected, excluded):
    _publish(
        dept,
        editor,
        name="食品经营许可",
        service_objects=["2"],
        online_depth=["1", "4"],
        visits_required=2,
        themes=["operating_permits"],
    )
    _publish(
        dept,
        editor,
        name="社会保障卡申领",
        item_type="20",
        service_objects=["1"],
        handle_kind="1",
        promised_limit=0,
        online_depth=["1"],
        visits_required=0,
        themes=["social_security"],
    )
    html = client.get("/items/", params).content.decode()
    assert expected in html
    assert f">{excluded}</a>" not in html


def test_department_filter_and_pagination(client, dept, editor):
    other = DepartmentFactory(name="汕头市龙湖区民政局")
    other_editor = editor_for(other)
    for n in range(21):
        _publish(dept, editor, name=f"市监事项{n:02d}")
    _publish(other, other_editor, name="最低生活保障对象认定")
    page1 = client.get("/items/", {"department": dept.short_code}).content.decode()
    assert "最低生活保障对象认定" not in page1
    assert "1 / 2" in page1
    page2 = client.get("/items/", {"department": dept.short_code, "page": 2}).content.decode()
    assert page2.count("市监事项") == 1
    assert client.get("/items/", {"page": "abc"}).status_code == 200


def test_department_filter_takes_a_four_digit_id_that_is_no_short_code(client, dept, editor):
    # PostgreSQL sequences reach 4-digit ids; the sidebar sends the id, the API the short code.
    other = DepartmentFactory(pk=4321, name="汕头市龙湖区民政局", short_code="7777")
    _publish(dept, editor, name="食品经营许可")
    _publish(other, editor_for(other), name="最低生活保障对象认定")
    by_id = client.get("/items/", {"department": "4321"}).content.decode()
    assert "最低生活保障对象认定" in by_id and "食品经营许可" not in by_id
    by_code = client.get("/items/", {"department": "7777"}).content.decode()
    assert "最低生活保障对象认定" in by_code and "食品经营许可" not in by_code


def test_list_query_count_does_not_grow(client, dept, editor, django_assert_max_num_queries):
    for n in range(3):
        _publish(dept, editor, name=f"事项{n}")
    with django_assert_max_num_queries(8) as few:
        client.get("/items/")
    for n in range(3, 15):
        _publish(dept, editor, name=f"事项{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/items/")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/items/", {"q": "事项", "online": "1"})


def test_list_query_count_warm_and_cold(client, dept, editor, django_assert_num_queries):
    for n in range(5):
        _publish(dept, editor, name=f"事项{n}")
    # Cold: the count, the page of items, then the sidebar's departments and themes (cached a minute).
    with django_assert_num_queries(4):
        client.get("/items/")
    with django_assert_num_queries(2):  # cards and sidebar from the cache
        client.get("/items/")
    for n in range(5, 25):
        _publish(dept, editor, name=f"事项{n}")
    with django_assert_num_queries(2):  # more items, a full page of new cards: still two queries
        response = client.get("/items/", {"department": dept.short_code})
    assert response.content.decode().count('<li class="card">') == 20


def test_cached_cards_and_filters_follow_versions_and_choices(client, dept, editor):
    item = _publish(dept, editor, name="食品经营许可")
    assert ">食品经营许可</a>" in client.get("/items/").content.decode()
    _new_version(item, editor, name="食品经营许可（新）")
    html = client.get("/items/").content.decode()
    assert ">食品经营许可（新）</a>" in html and ">食品经营许可</a>" not in html
    chosen = client.get("/items/", {"department": dept.short_code, "online": "1"}).content.decode()
    assert f'<option value="{dept.short_code}" selected>' in chosen
    assert 'name="online" value="1" checked' in chosen
    plain = client.get("/items/", {"q": "食品"}).content.decode()
    assert f'<option value="{dept.short_code}" selected>' not in plain
    assert 'name="online" value="1" checked' not in plain
    assert '<input type="hidden" name="q" value="食品">' in plain


def test_cards_escape_names_even_ones_that_look_like_the_card_separator(client, dept, editor):
    _publish(dept, editor, name="食品<!--/card-->经营许可")
    _publish(dept, editor, name="<script>alert(1)</script>许可")
    for _n in range(2):  # rendered, then from the cache
        html = client.get("/items/").content.decode()
        assert "食品&lt;!--/card--&gt;经营许可" in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;许可" in html and "<script>alert" not in html
        assert html.count('<li class="card">') == 2


def _guide_item(dept, editor, *, n_materials=3, **overrides):
    certificate = make_certificate(department=dept)
    rows = material_rows(n_materials)
    rows[0]["certificate"] = certificate.pk
    rows[0]["blank_form"] = ContentFile(b"PK\x03\x04blank", name="blank.xlsx")
    return _publish(
        dept,
        editor,
        name="食品经营许可",
        materials=rows,
        conditions="有与经营相适应的场所。",
        legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第三十五条", "text": ""}],
        **overrides,
    )


def test_guide_reads_in_citizen_order(client, dept, editor):
    item = _guide_item(dept, editor)
    response = client.get(reverse("catalog:item", args=[item.code]))
    assert response.status_code == 200
    html = response.content.decode()
    order = [
        html.index(h)
        for h in ("一、受理条件", "二、申请材料", "三、办理时限与收费", "四、办理方式与地点", "五、设定依据")
    ]
    assert order == sorted(order)
    assert html.count("<tr>") == 1 + 3  # header + three materials
    assert "可告知承诺" in html
    material = item.current_version.materials.get(order=1)
    assert reverse("catalog:material-file", args=[material.pk, "blank_form"]) in html
    assert "《中华人民共和国食品安全法》第三十五条" in html
    assert f'href="/apply/{item.code}/"' in html  # online depth includes 4 → 网上办


def test_no_apply_button_without_online_handling(client, dept, editor):
    item = _publish(dept, editor, name="内地居民结婚登记", online_depth=["1"])
    html = client.get(reverse("catalog:item", args=[item.code])).content.decode()
    assert "/apply/" not in html
    assert "本事项暂不支持全程网上申请" in html


def test_main_item_lists_its_sub_items_instead_of_an_apply_button(client, dept, editor):
    parent = _publish(dept, editor, name="食品经营许可")
    sub = make_item(department=dept, editor=editor, name="食品经营许可（注销）")
    sub.parent = parent
    sub.save(update_fields=["parent"])
    publish_latest(sub, editor=editor)
    html = client.get(reverse("catalog:item", args=[parent.code])).content.decode()
    assert "请选择具体办理的子项" in html and "食品经营许可（注销）" in html
    assert f'href="/apply/{parent.code}/"' not in html


def test_guide_of_an_unpublished_or_unknown_item_is_404(client, dept, editor):
    draft = make_item(department=dept, editor=editor)
    assert client.get(reverse("catalog:item", args=[draft.code])).status_code == 404
    assert client.get("/items/NOPE/").status_code == 404


def test_guide_query_count_does_not_grow_with_materials(client, dept, editor, django_assert_num_queries):
    # Cold (the guide is rendered): the item with its department, parent and its version's name; its
    # sub-items; the halls; then the whole version, its materials with their certificates, its partner
    # departments.
    small = _guide_item(dept, editor, n_materials=2)
    with django_assert_num_queries(6):
        client.get(reverse("catalog:item", args=[small.code]))
    big = _guide_item(dept, editor, n_materials=15)
    with django_assert_num_queries(6):
        response = client.get(reverse("catalog:item", args=[big.code]))
    assert response.content.decode().count("<tr>") == 16
    # Warm (the rendered guide comes from the cache): only what the cache key is made of.
    with django_assert_num_queries(3):
        again = client.get(reverse("catalog:item", args=[big.code]))
    assert _article(again.content.decode()) == _article(response.content.decode())


def test_guide_query_count_with_sub_items_and_parent(client, dept, editor, django_assert_num_queries):
    parent = _publish(dept, editor, name="食品经营许可")
    subs = []
    for n in range(4):
        sub = make_item(department=dept, editor=editor, name=f"食品经营许可（子项{n}）")
        sub.parent = parent
        sub.save(update_fields=["parent"])
        publish_latest(sub, editor=editor)
        subs.append(sub)
    with django_assert_num_queries(6):
        html = client.get(reverse("catalog:item", args=[parent.code])).content.decode()
    assert all(f"食品经营许可（子项{n}）" in html for n in range(4))
    with django_assert_num_queries(6):
        sub_html = client.get(reverse("catalog:item", args=[subs[0].code])).content.decode()
    assert reverse("catalog:item", args=[parent.code]) in sub_html  # 所属事项 links back


def _article(html: str) -> str:
    return html[html.index('<article class="stack guide"') : html.index("</article>")]


def _new_version(item, editor, **data):
    draft = services.version_create_draft(item=item, acting_user=editor)
    services.version_update(version=draft, acting_user=editor, data=data)
    publish_latest(item, editor=editor)
    item.refresh_from_db()
    return item


def test_cached_guide_follows_a_new_version_and_hall_data(client, dept, editor):
    item = _publish(dept, editor, name="食品经营许可", conditions="旧的受理条件。")
    url = reverse("catalog:item", args=[item.code])
    first = client.get(url).content.decode()
    assert "旧的受理条件" in first and "请咨询实施部门" in first
    assert _article(client.get(url).content.decode()) == _article(first)  # served from the cache
    _new_version(item, editor, conditions="新的受理条件。")
    second = client.get(url).content.decode()
    assert "新的受理条件" in second and "旧的受理条件" not in second
    # Which halls take the item is hall data, outside the version: no republication needed.
    WindowFactory(hall=HallFactory(name="龙湖区新津街道便民服务中心"), departments=[dept])
    third = client.get(url).content.decode()
    assert "龙湖区新津街道便民服务中心" in third
    assert f'href="/apply/{item.code}/"' in third
    # Suspending (暂停) is a new version: the page shows it at once and offers no online application.
    _new_version(item, editor, status="2")
    suspended = client.get(url).content.decode()
    assert 'badge-overdue">暂停' in suspended and "/apply/" not in suspended


def test_cached_guide_is_per_language(client, dept, editor, django_assert_num_queries):
    item = _publish(dept, editor, name="食品经营许可")
    url = reverse("catalog:item", args=[item.code])
    client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    with django_assert_num_queries(3):
        client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    with django_assert_num_queries(6):  # another language: rendered, not the Chinese copy
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    assert 'lang="en"' in english.content.decode()


def test_cached_guide_holds_nothing_user_specific(client, dept, editor):
    item = _publish(dept, editor, name="食品经营许可")
    url = reverse("catalog:item", args=[item.code])
    anonymous = client.get(url).content.decode()
    client.force_login(editor)
    signed_in = client.get(url).content.decode()
    assert "我的账户" in signed_in and "我的账户" not in anonymous
    guide = _article(signed_in)
    assert guide == _article(anonymous)
    assert "csrfmiddlewaretoken" not in guide and editor.display_name not in guide


def test_certificate_list_is_public_and_shows_only_published(client, dept):
    admin = admin_user()
    make_certificate(department=dept, admin=admin)
    draft = services.certificate_create(
        acting_user=admin,
        data={
            "name": "草稿证明",
            "legal_basis": "《某法》",
            "requesting_department": dept,
            "issuing_unit": "某单位",
        },
    )
    assert draft.state == "draft"
    html = client.get("/certificates/").content.decode()
    assert "无犯罪记录证明" in html and "草稿证明" not in html
    assert "可告知承诺" in html
    assert "无犯罪记录证明" not in client.get("/certificates/", {"q": "不存在"}).content.decode()


def test_material_blank_form_download(client, dept, editor):
    item = _guide_item(dept, editor)
    material = Material.objects.get(version=item.current_version, order=1)
    response = client.get(reverse("catalog:material-file", args=[material.pk, "blank_form"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")
