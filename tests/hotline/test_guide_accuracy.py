"""The smart guide on the demo catalog and FAQ: the held questions of bench/data/guide_questions.json."""

from __future__ import annotations

import pytest

from bench.bench_guide import FRESH_QUESTIONS, QUESTIONS, evaluate, load_questions
from tests.catalog.demo_catalog import TODAY, load_demo_catalog

TOP1_FLOOR = 0.75
TOP3_FLOOR = 0.9


@pytest.fixture
def demo_guide(db):
    from bianmin.hotline import guide
    from bianmin.hotline import seed as hotline_seed

    load_demo_catalog()
    hotline_seed.seed(today=TODAY)
    guide.invalidate()
    yield
    guide.invalidate()


@pytest.mark.parametrize(("path", "size"), [(QUESTIONS, 80), (FRESH_QUESTIONS, 50)])
def test_accuracy_floor_on_the_demo_data(demo_guide, client, path, size):
    questions = load_questions(path)
    assert len(questions) >= size
    result = evaluate(questions)
    misses = "\n".join(f"{q} -> {got}" for q, got in result.misses)
    print(f"top-1 {result.top1_rate:.1%} top-3 {result.top3_rate:.1%}\n{misses}")
    assert result.top3_rate >= TOP3_FLOOR, misses
    assert result.top1_rate >= TOP1_FLOOR, misses
    _key_facts_and_a_way_to_apply(client)


def test_expected_answers_exist_in_the_demo_data():
    from bianmin.catalog.seed_data.items import ITEMS
    from bianmin.hotline.faq_data import FAQ

    names = {spec["name"] for spec in ITEMS} | {
        s["name"] for spec in ITEMS for s in spec.get("sub_items", [])
    }
    codes = {row[0] for row in FAQ}
    questions = load_questions(QUESTIONS) + load_questions(FRESH_QUESTIONS)
    assert {n for q in questions for n in q["expected_items"]} - names == set()
    assert {c for q in questions for c in q["expected_faqs"]} - codes == set()
    assert all(q["expected_items"] or q["expected_faqs"] for q in questions)
    assert len(FAQ) >= 30


def test_the_sub_item_asked_for_comes_before_its_parent(demo_guide):
    from bianmin.hotline import guide

    assert guide.answer("食品经营许可证地址变了").items[0].name == "食品经营许可（变更）"
    assert guide.answer("饭店不开了，食品经营许可证要注销吗").items[0].name == "食品经营许可（注销）"
    # a word that asks for a sub-item does not pull an unrelated family forward
    first = guide.answer("举报商家卖过期食品有奖励吗").items[0].name
    assert first == "食品安全违法行为举报奖励"


def _key_facts_and_a_way_to_apply(client):
    response = client.get("/api/v1/guide/", {"q": "社保卡丢了怎么补办"})
    assert response.status_code == 200
    data = response.json()
    assert data["faqs"][0]["code"] == "social-card-lost"
    item = data["items"][0]
    assert item["name"] == "社会保障卡申领"
    assert item["materials_count"] >= 1 and item["time_limit"] and item["where"]
    assert item["url"] == f"/items/{item['code']}/"
    page = client.get("/guide/", {"q": "开奶茶店要办什么证"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "食品经营许可" in body and "/items/" in body and "申请材料" in body
