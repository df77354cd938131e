"""Catalog search: query segmentation, colloquial mapping, ranking (names over body), index upkeep."""

from __future__ import annotations

import pytest
from django.db import connection

from bianmin.catalog import search, selectors, services
from bianmin.catalog.models import ItemVersion, ServiceItem
from tests.catalog.helpers import admin_user, editor_for, make_published_item, publish_latest
from tests.factories import DepartmentFactory


def names(qs) -> list[str]:
    return [i.current_version.name for i in qs]


# --- query terms (no database) -------------------------------------------------------------------


def test_whole_word_pass_keeps_catalog_words_whole():
    assert search.query_terms("食品经营许可", whole_words=True) == ["食品经营许可"]
    assert "食品" in search.query_terms("食品经营许可")


def test_generic_words_are_dropped_unless_alone():
    assert "许可" not in search.query_terms("排水许可")
    assert search.query_terms("许可") == ["许可"]


def test_question_words_are_dropped_and_colloquial_words_mapped():
    terms = search.query_terms("开饭店需要办什么证")
    assert "食品经营许可" in terms
    for stop in ("需要", "办", "什么", "开"):
        assert stop not in terms


def test_abbreviation_maps_to_the_full_name():
    assert "社会保障卡" in search.query_terms("社保卡丢了怎么补")


def test_full_width_letters_are_normalised_and_ascii_kept_for_prefix_match():
    assert search.query_terms("ＳＰＪＹ") == ["spjy"]


def test_a_query_of_only_question_words_has_no_terms():
    assert search.query_terms("请问怎么办理需要什么") == []


def test_pinyin_initials():
    assert search.pinyin_initials("食品经营许可") == "spjyxk"
    assert search.pinyin_initials("社会保障卡（补换）") == "shbzkbh"


def test_fts_and_tsquery_quoting_cannot_break_out():
    match = search._fts5_match(['a"b', "食品", "spjy"])
    assert match == '"a""b" OR "食品" OR "spjy"*'
    assert search._tsquery(["o'k", "食品"]) == "'o''k' | '食品'"


# --- ranking on the database ---------------------------------------------------------------------


@pytest.fixture
def catalog(db):
    department = DepartmentFactory(name="汕头市龙湖区市场监督管理局")
    editor = editor_for(department)
    admin = admin_user()
    food = make_published_item(
        department=department,
        editor=editor,
        name="食品经营许可",
        aliases=["餐饮许可证"],
        conditions="有与经营的食品品种相适应的场所。",
    )
    card = make_published_item(
        department=department,
        editor=editor,
        name="社会保障卡申领",
        aliases=["社保卡"],
        item_type="20",
        legal_bases=[{"law": "《中华人民共和国社会保险法》", "article": "第五十八条", "text": ""}],
        conditions="参加社会保险的人员。",
    )
    # An item that only mentions 食品经营许可 in its body: must rank below the item named so.
    body_only = make_published_item(
        department=department,
        editor=editor,
        name="户外广告设施设置许可",
        aliases=["招牌"],
        conditions="已取得营业执照；餐饮店招牌设置前应已取得食品经营许可证。",
    )
    return {"food": food, "card": card, "body_only": body_only, "admin": admin, "editor": editor}


def test_colloquial_question_finds_the_licence(catalog):
    found = names(selectors.published_item_list(filters={"q": "办食品店要什么证"}))
    assert found[0] == "食品经营许可"


def test_name_ranks_above_body_text(catalog):
    found = names(search.search_items(selectors.published_items(), "食品经营许可"))
    assert found[:2] == ["食品经营许可", "户外广告设施设置许可"]


def test_alias_finds_item(catalog):
    assert names(selectors.published_item_list(filters={"q": "社保卡"})) == ["社会保障卡申领"]


def test_pinyin_initials_prefix(catalog):
    assert names(selectors.published_item_list(filters={"q": "shbz"})) == ["社会保障卡申领"]


def test_nothing_matches_gives_empty_and_blank_query_gives_everything(catalog):
    qs = selectors.published_items()
    assert list(search.search_items(qs, "火箭发射")) == []
    assert list(search.search_items(qs, "请问怎么办理")) == []
    assert search.search_items(qs, "  ").count() == 3


def test_search_composes_with_filters_and_counts(catalog):
    qs = selectors.published_item_list(filters={"q": "许可", "type": "01"})
    assert set(names(qs)) == {"食品经营许可", "户外广告设施设置许可"}
    assert qs.count() == 2


def test_item_version_querysets_are_searchable_too(catalog):
    versions = search.search_items(ItemVersion.objects.filter(state="published"), "社保卡")
    assert [v.name for v in versions] == ["社会保障卡申领"]


def test_sub_item_ranks_below_its_main_item_unless_named(catalog):
    food = catalog["food"]
    sub = services.item_create(
        acting_user=catalog["editor"],
        department=food.department,
        implementation_code=food.implementation_code[:-3] + "001",
        catalog_code=food.catalog_code[:-3] + "001",
        parent=food,
        version_data={
            **{k: getattr(food.current_version, k) for k in services.VERSION_SCALAR_FIELDS},
            "name": "食品经营许可（注销）",
        },
        materials=[],
    )
    publish_latest(sub, editor=catalog["editor"], admin=catalog["admin"])
    assert names(selectors.published_item_list(filters={"q": "食品经营许可"}))[:2] == [
        "食品经营许可",
        "食品经营许可（注销）",
    ]
    assert (
        names(selectors.published_item_list(filters={"q": "食品经营许可注销"}))[0] == "食品经营许可（注销）"
    )


def test_publishing_a_new_version_reindexes_the_item(catalog):
    card = catalog["card"]
    draft = services.version_create_draft(item=card, acting_user=catalog["editor"])
    services.version_update(
        version=draft, acting_user=catalog["editor"], data={"aliases": ["社保卡", "医保电子凭证"]}
    )
    assert names(selectors.published_item_list(filters={"q": "医保电子凭证"})) == []
    publish_latest(card, editor=catalog["editor"], admin=catalog["admin"])
    assert names(selectors.published_item_list(filters={"q": "医保电子凭证"})) == ["社会保障卡申领"]
    card.refresh_from_db()
    assert "医保" in card.search_text


def test_reindex_all_rebuilds_a_lost_index(catalog):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {search.INDEX_TABLE}")
    assert names(selectors.published_item_list(filters={"q": "社保卡"})) == []
    assert search.reindex_all() == ServiceItem.objects.count()
    assert names(selectors.published_item_list(filters={"q": "社保卡"})) == ["社会保障卡申领"]


def test_search_costs_at_most_three_queries(catalog, django_assert_max_num_queries):
    # the index's best ids on whole words, widened with sub-words when few, then the page
    with django_assert_max_num_queries(3):
        list(selectors.published_item_list(filters={"q": "开饭店需要办什么证"}))
