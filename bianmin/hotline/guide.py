"""The smart guide (智能导办): a plain Chinese question → matching service items (catalog search) and FAQ answers.

FAQ retrieval: the query's terms (the catalog's own query_terms: colloquial phrases mapped, stop words
dropped) scored against each published entry's jieba tokens — a term in the question weighs 3, in the
keywords 2, in the answer 1 — times its inverse document frequency over the FAQ. The FAQ is small
(hundreds of entries), so its tokens are cached in memory and invalidated when an entry is saved.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from bianmin.catalog.constants import limit_length

FAQ_WEIGHTS = (3.0, 2.0, 1.0)
# A sub-item's name ends with what is applied for (食品经营许可（延续）); everyday words that ask for one of
# these move the matching sub-item ahead of its parent and siblings, which otherwise rank alike.
SUB_ITEM_INTENTS = {
    "新办": ("新办", "新开", "首次", "第一次"),
    "变更": ("变更", "变了", "改了", "更改", "换了", "换法人", "搬"),
    "延续": ("延续", "到期", "过期", "续期", "延期"),
    "注销": ("注销", "不开了", "不干了", "关门", "停业", "歇业"),
}
MIN_FAQ_SCORE = 1.5
_lock = threading.Lock()
_cache: dict | None = None


@dataclass
class ItemHit:
    code: str
    name: str
    department: str
    materials_count: int
    time_limit: str
    where: str
    is_online: bool
    is_instant: bool
    url: str
    apply_url: str


@dataclass
class FaqHit:
    id: int
    code: str
    question: str
    answer: str
    score: float
    item_code: str = ""
    item_url: str = ""


@dataclass
class GuideAnswer:
    q: str
    items: list[ItemHit] = field(default_factory=list)
    faqs: list[FaqHit] = field(default_factory=list)


def invalidate() -> None:
    global _cache
    with _lock:
        _cache = None


def _faq_index() -> dict:
    global _cache
    with _lock:
        if _cache is None:
            from bianmin.hotline.selectors import faq_published

            rows = []
            df: dict[str, int] = {}
            for entry in faq_published():
                fields = [
                    set(entry.search_question.split()),
                    set(entry.search_keywords.split()),
                    set(entry.search_answer.split()),
                ]
                for term in set().union(*fields):
                    df[term] = df.get(term, 0) + 1
                rows.append((entry, fields))
            _cache = {"rows": rows, "df": df, "n": len(rows)}
        return _cache


def search_faq(q: str, *, limit: int = 3) -> list[FaqHit]:
    from bianmin.catalog.search import query_terms

    terms = query_terms(q)
    if not terms:
        return []
    index = _faq_index()
    n = max(index["n"], 1)
    scored = []
    for entry, fields in index["rows"]:
        score = 0.0
        for term in terms:
            idf = math.log(1 + n / (1 + index["df"].get(term, 0)))
            weight = max(
                (w for w, tokens in zip(FAQ_WEIGHTS, fields, strict=True) if term in tokens), default=0
            )
            score += weight * idf
        if score >= MIN_FAQ_SCORE:
            scored.append((score, entry))
    scored.sort(key=lambda pair: (-pair[0], pair[1].pk))
    hits = []
    for score, entry in scored[:limit]:
        item = entry.item
        hits.append(
            FaqHit(
                id=entry.pk,
                code=entry.code,
                question=entry.question,
                answer=entry.answer,
                score=round(score, 2),
                item_code=item.code if item else "",
                item_url=reverse("catalog:item", args=[item.code]) if item else "",
            )
        )
    return hits


def _time_limit(version) -> str:
    if version.is_instant:
        return _("即办")
    if version.promised_limit:
        return limit_length(version.promised_limit, version.promised_limit_unit)
    return _("详见办事指南")


def _family(name: str) -> tuple[str, str]:
    """食品经营许可（延续） → (食品经营许可, 延续); a name without a sub-item suffix is its own family."""
    for left, right in ("（）", "()"):
        if name.endswith(right) and left in name:
            base, _sep, suffix = name[:-1].rpartition(left)
            return base, suffix
    return name, ""


def _by_intent(q: str, items: list) -> list:
    """Within one family (an item and its sub-items), put the sub-items the question asks for first; the
    positions the family holds in the search order, and everything else, stay as they are."""
    wanted = {suffix for suffix, words in SUB_ITEM_INTENTS.items() if any(w in q for w in words)}
    if not wanted:
        return items
    families: dict[str, list[int]] = {}
    for position, item in enumerate(items):
        families.setdefault(_family(item.current_version.name)[0], []).append(position)
    ordered = list(items)
    for positions in families.values():
        if len(positions) < 2:
            continue
        members = sorted(
            (items[p] for p in positions),
            key=lambda item: _family(item.current_version.name)[1] not in wanted,
        )
        for position, item in zip(positions, members, strict=True):
            ordered[position] = item
    return ordered


def search_items(q: str, *, limit: int = 5) -> list[ItemHit]:
    from bianmin.catalog import selectors
    from bianmin.catalog.models import Material

    items = _by_intent(q, list(selectors.published_item_list(filters={"q": q})[: limit + 3]))[:limit]
    counts = dict(
        Material.objects.filter(version_id__in=[i.current_version_id for i in items])
        .values("version_id")
        .annotate(n=Count("id"))
        .values_list("version_id", "n")
    )
    hits = []
    for item in items:
        version = item.current_version
        url = reverse("catalog:item", args=[item.code])
        hits.append(
            ItemHit(
                code=item.code,
                name=version.name,
                department=item.department.name,
                materials_count=counts.get(item.current_version_id, 0),
                time_limit=_time_limit(version),
                where=(version.place_notes or item.department.address or item.department.name)[:120],
                is_online=version.is_online,
                is_instant=version.is_instant,
                url=url,
                apply_url=url + "#apply",
            )
        )
    return hits


def answer(q: str, *, items: int = 5, faqs: int = 3) -> GuideAnswer:
    q = (q or "").strip()[:100]
    if not q:
        return GuideAnswer(q="")
    return GuideAnswer(q=q, items=search_items(q, limit=items), faqs=search_faq(q, limit=faqs))
