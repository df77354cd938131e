"""Catalog search that understands Chinese.

Index: one row per ServiceItem in ``catalog_itemsearch`` (three columns of jieba-segmented text:
name, aliases (+ pinyin initials), body), created by migration 0003_search_index:

- SQLite: an FTS5 external-content table ``catalog_itemsearch_fts`` over it, kept in step by
  triggers, ranked with ``bm25()`` that weighs the name and the aliases above the body.
- PostgreSQL: a generated ``tsvector`` column (``to_tsvector('simple', …)``, weights A/B/D) with a
  GIN index, ranked with ``ts_rank``.

Queries are segmented the same way (jieba ``cut_for_search``) after two clean-ups a citizen's
question needs: colloquial phrases are mapped to catalog words through the maintained list
``COLLOQUIAL`` ("开饭店" → 食品经营; "社保卡" → 社会保障卡) and question words are dropped
(``STOP_WORDS``: 要 / 什么 / 怎么 / 办理 / 需要 / 哪里 …). Terms are OR-ed and ranked, so an item
matching more of them, and matching them in its name, comes first.

Public entry points: ``search_items(queryset, q)`` (ServiceItem or ItemVersion querysets),
``reindex_item(item)``, ``reindex_items(ids)``, ``reindex_all()``, and ``query_terms(q)``.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

logger = logging.getLogger(__name__)

INDEX_TABLE = "catalog_itemsearch"
FTS_TABLE = "catalog_itemsearch_fts"
# bm25 weights of (name, aliases, body) on SQLite; ts_rank weights {D, C, B, A} on PostgreSQL.
BM25_WEIGHTS = (10.0, 6.0, 1.0)
TS_RANK_WEIGHTS = "{0.1, 0.2, 0.6, 1.0}"
SUB_ITEM_FACTOR = 0.9
# The index returns at most this many best matches; filters then apply within them.
SEARCH_CANDIDATES = 300
# A whole-word first pass that finds fewer items than this is widened with sub-words.
WIDEN_BELOW = 20
MAX_QUERY_CHARS = 100
MAX_TERMS = 24

# Words jieba should keep whole (catalog vocabulary it does not know by itself).
DOMAIN_WORDS = (
    "食品经营",
    "食品经营许可",
    "食品小作坊",
    "个体工商户",
    "个体户",
    "营业执照",
    "社会保障卡",
    "社保卡",
    "医保",
    "最低生活保障",
    "低保",
    "特困人员",
    "临时救助",
    "户外广告",
    "施工许可",
    "施工许可证",
    "消防设计",
    "消防验收",
    "排水许可",
    "污水排入",
    "建筑垃圾",
    "公共场所",
    "卫生许可",
    "婚姻登记",
    "结婚登记",
    "离婚登记",
    "出生登记",
    "生育登记",
    "居住证",
    "失业保险金",
    "失业登记",
    "就业登记",
    "创业担保贷款",
    "高龄津贴",
    "残疾人",
    "护理补贴",
    "生活补贴",
    "教师资格",
    "民办学校",
    "诊所备案",
    "娱乐场所",
    "取水许可",
    "环境影响评价",
    "环评",
    "节能审查",
    "投资项目",
    "规划许可",
    "防空地下室",
    "人防工程",
    "法律援助",
    "见义勇为",
    "社会团体",
    "民办非企业单位",
    "竣工验收",
    "政府采购",
    "权属争议",
    "劳务派遣",
    "城市道路",
    "城市树木",
    "优待证",
)

# Question and filler words: removed from a query before matching (never from the index).
STOP_WORDS = frozenset(
    """
    要 想 需要 需 要求 什么 啥 什么样 哪些 哪个 哪里 哪儿 哪 在哪 在哪里 去哪 去哪里 去哪儿 怎么 怎样 怎么样
    如何 咋 咋办 怎么办 办理 办 去办 来办 办个 办下 办一下 一下 手续 流程 步骤 程序 材料 资料 东西 需要带
    带 拿 交 提交 准备 申请 申办 可以 能 能不能 可不可以 是 是否 有 没有 吗 呢 吧 啊 呀 了 的 地 得 着 过
    我 我们 你 你们 他 她 自己 家 家里 请问 请 问 咨询 一个 个 这个 那个 这 那 多少 多久 几天 多长时间
    时间 费用 钱 收费 要钱 给 和 与 及 或 在 到 把 被 为 对 从 跟 向 该 应该 应 如果 还 也 都 就 又 再
    啥样 谁 找 哪家 部门 单位 窗口 大厅 网上 线上 一般 必须 得 准 能否 办事 业务 事项 相关 有关 关于
    """.split()
)

# Words most item names share (许可, 登记 …): they match half the catalog and say little. Dropped from
# a query that has other terms; kept when they are all a query has ("许可").
GENERIC_TERMS = frozenset(
    "许可 许可证 登记 审批 备案 核准 核发 认定 确认 申领 给付 证 证明 申请 设立 补贴 服务".split()
)

# Colloquial phrases → catalog words (maintained list: add a line when a citizen's wording is missed).
# Matched on the raw query, longest first; the phrase is replaced by its catalog words.
COLLOQUIAL: dict[str, tuple[str, ...]] = {
    # eating places and shops → 食品经营许可
    "开饭店": ("食品经营许可", "餐饮"),
    "开餐馆": ("食品经营许可", "餐饮"),
    "开餐厅": ("食品经营许可", "餐饮"),
    "开饭馆": ("食品经营许可", "餐饮"),
    "开小吃店": ("食品经营许可", "餐饮"),
    "开奶茶店": ("食品经营许可", "饮品"),
    "开面包店": ("食品经营许可",),
    "开食品店": ("食品经营许可",),
    "食品店": ("食品经营许可",),
    "饭店": ("食品经营许可", "餐饮"),
    "餐馆": ("食品经营许可", "餐饮"),
    "餐厅": ("食品经营许可", "餐饮"),
    "饭馆": ("食品经营许可", "餐饮"),
    "小吃店": ("食品经营许可", "餐饮"),
    "奶茶店": ("食品经营许可", "饮品"),
    "大排档": ("食品经营许可", "餐饮"),
    "外卖": ("食品经营许可", "餐饮"),
    "卖吃的": ("食品经营许可",),
    "卖熟食": ("食品经营许可",),
    "小卖部": ("预包装食品", "备案"),
    "便利店": ("预包装食品", "备案"),
    "卖零食": ("预包装食品", "备案"),
    "做糕点": ("食品小作坊",),
    "作坊": ("食品小作坊",),
    # businesses
    "开店": ("个体工商户", "营业执照"),
    "开个店": ("个体工商户", "营业执照"),
    "开铺": ("个体工商户", "营业执照"),
    "开档口": ("个体工商户", "营业执照"),
    "摆摊": ("个体工商户",),
    "个体户": ("个体工商户",),
    "营业执照": ("营业执照", "设立登记"),
    "办执照": ("营业执照", "设立登记"),
    "开公司": ("公司", "企业设立登记"),
    "注册公司": ("公司", "企业设立登记"),
    "成立公司": ("公司", "企业设立登记"),
    "办公司": ("公司", "企业设立登记"),
    "理发店": ("公共场所卫生许可",),
    "美发店": ("公共场所卫生许可",),
    "美容院": ("公共场所卫生许可",),
    "美甲店": ("公共场所卫生许可",),
    "宾馆": ("公共场所卫生许可", "住宿"),
    "酒店": ("公共场所卫生许可", "住宿"),
    "旅馆": ("公共场所卫生许可", "住宿"),
    "民宿": ("公共场所卫生许可", "住宿"),
    "游泳池": ("公共场所卫生许可",),
    "健康证": ("健康合格证明", "公共场所卫生许可"),
    "ktv": ("娱乐场所",),
    "卡拉ok": ("娱乐场所",),
    "歌厅": ("娱乐场所",),
    "酒吧": ("娱乐场所",),
    "网吧": ("互联网上网服务营业场所",),
    "诊所": ("诊所备案",),
    "培训班": ("民办学校",),
    "培训机构": ("民办学校",),
    "幼儿园": ("民办学校", "幼儿园"),
    "办学校": ("民办学校",),
    "劳务公司": ("劳务派遣",),
    "招牌": ("户外广告",),
    "广告牌": ("户外广告",),
    "门头": ("户外广告", "招牌"),
    "挂广告": ("户外广告",),
    "挂牌子": ("户外广告",),
    "排污": ("排水许可", "污水排入"),
    "接污水管": ("排水许可", "污水排入", "排水管网"),
    "排水": ("排水许可", "排水"),
    "抽地下水": ("取水许可",),
    "打井": ("取水许可",),
    "用水": ("取水",),
    # building
    "盖房子": ("建筑工程施工许可", "规划许可"),
    "盖楼": ("建筑工程施工许可", "规划许可"),
    "建房": ("建筑工程施工许可", "规划许可"),
    "开工": ("施工许可",),
    "施工证": ("施工许可证",),
    "动工": ("施工许可",),
    "消防审图": ("消防设计审查",),
    "消防验收": ("消防验收",),
    "验收": ("竣工验收", "验收"),
    "地下室": ("防空地下室",),
    "人防": ("人民防空", "防空地下室"),
    "建筑垃圾": ("建筑垃圾", "处置"),
    "渣土": ("建筑垃圾", "处置"),
    "砍树": ("城市树木", "砍伐"),
    "砍": ("砍伐",),
    "树": ("树木",),
    "移树": ("城市树木", "迁移"),
    "挖路": ("挖掘城市道路",),
    "挖马路": ("挖掘城市道路",),
    "占道": ("占用城市道路",),
    "占用道路": ("占用城市道路",),
    "环评": ("环境影响评价",),
    "项目备案": ("投资项目", "备案"),
    "投资备案": ("投资项目", "备案"),
    "立项": ("投资项目", "核准", "备案"),
    "节能": ("节能审查",),
    "规划证": ("规划许可证",),
    # family
    "生孩子": ("生育", "出生"),
    "生小孩": ("生育", "出生"),
    "生娃": ("生育", "出生"),
    "生宝宝": ("生育", "出生"),
    "生二胎": ("生育",),
    "生三胎": ("生育",),
    "怀孕": ("生育",),
    "准生证": ("生育登记",),
    "生育服务证": ("生育登记",),
    "新生儿": ("出生登记",),
    "上户口": ("户口", "出生登记"),
    "报户口": ("户口", "出生登记"),
    "入户": ("户口", "出生登记"),
    "落户": ("户口",),
    "结婚": ("结婚登记", "婚姻登记"),
    "领证": ("结婚登记", "婚姻登记"),
    "结婚证": ("结婚登记", "婚姻登记"),
    "离婚": ("离婚登记", "婚姻登记"),
    "离婚证": ("离婚登记", "婚姻登记"),
    "补结婚证": ("补领婚姻登记证",),
    "外地人": ("居住证",),
    "暂住证": ("居住证",),
    # welfare
    "吃低保": ("最低生活保障",),
    "低保": ("最低生活保障",),
    "五保户": ("特困人员",),
    "五保": ("特困人员",),
    "生活困难": ("最低生活保障", "临时救助"),
    "没钱看病": ("临时救助",),
    "家里困难": ("最低生活保障", "临时救助"),
    "急难": ("临时救助",),
    "老人补贴": ("高龄津贴",),
    "老人津贴": ("高龄津贴",),
    "长寿金": ("高龄津贴",),
    "高龄补贴": ("高龄津贴",),
    "老年证": ("老年人优待证",),
    "残疾补贴": ("残疾人", "生活补贴", "护理补贴"),
    "残疾人补贴": ("残疾人", "生活补贴", "护理补贴"),
    "社保卡": ("社会保障卡",),
    "医保卡": ("社会保障卡",),
    "失业金": ("失业保险金",),
    "领失业金": ("失业保险金",),
    "没工作": ("失业登记", "失业保险金"),
    "丢了工作": ("失业登记", "失业保险金"),
    "被辞退": ("失业登记", "失业保险金"),
    "找工作": ("就业登记", "就业"),
    "创业贷款": ("创业担保贷款",),
    "贷款": ("创业担保贷款",),
    "打官司": ("法律援助",),
    "请律师": ("法律援助",),
    "请不起律师": ("法律援助",),
    "讨薪": ("法律援助",),
    "当老师": ("教师资格认定",),
    "教师证": ("教师资格认定",),
    "老师资格": ("教师资格认定",),
    "退伍": ("退役军人",),
    "当兵": ("兵役", "退役军人"),
    "军属": ("优待金",),
    "举报食品": ("食品安全", "举报奖励"),
    "举报奖励": ("举报奖励",),
    "见义勇为": ("见义勇为",),
    "协会": ("社会团体",),
    "商会": ("社会团体",),
    "土地纠纷": ("土地权属争议",),
    "土地争议": ("土地权属争议",),
    "采购投诉": ("政府采购投诉",),
    "二手房": ("房屋",),
}

_ASCII_TERM = re.compile(r"^[a-z0-9]+$")
_WORD = re.compile(r"\w", re.UNICODE)
_COLLOQUIAL_ORDER = sorted(COLLOQUIAL, key=len, reverse=True)

_init_lock = threading.Lock()
_initialised = False


def _jieba():
    """jieba, initialised once per process (≈0.8 s): cache in the var folder, our domain words added."""
    global _initialised
    import jieba

    if not _initialised:
        with _init_lock:
            if not _initialised:
                jieba.setLogLevel(logging.WARNING)
                jieba.dt.tmp_dir = str(settings.VAR_DIR)
                jieba.initialize()
                for word in DOMAIN_WORDS:
                    jieba.add_word(word, freq=200000)
                _initialised = True
    return jieba


def warm_up() -> None:
    """Load the dictionary now (gunicorn --preload, management commands) instead of on the first search."""
    _jieba()


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits → ASCII), lower case, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return " ".join(text.split())


def segment(text: str, *, for_search: bool = True) -> list[str]:
    """jieba tokens of a text (cut_for_search: words and their sub-words; else whole words only),
    lower-cased, without punctuation or blanks."""
    text = normalise(text)
    if not text:
        return []
    jieba = _jieba()
    tokens = jieba.cut_for_search(text) if for_search else jieba.cut(text)
    return [tok for tok in (t.strip() for t in tokens) if tok and _WORD.search(tok)]


def segmented(text: str) -> str:
    """The space-joined tokens stored in the index."""
    return " ".join(segment(text))


def pinyin_initials(text: str) -> str:
    """首字母: 食品经营许可 → spjyxk (letters and digits kept, everything else dropped)."""
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(normalise(text), style=Style.FIRST_LETTER, errors="ignore")
    return "".join(ch for part in letters for ch in part if ch.isalnum() and ch.isascii())


def query_terms(q: str, *, whole_words: bool = False) -> list[str]:
    """The terms a query is matched with: colloquial phrases mapped, segmented, stop words removed.

    whole_words: jieba's precise cut (食品经营许可 stays one term) instead of cut_for_search (which adds
    食品, 经营 …): the narrow first pass of search_items."""
    text = normalise(q)[:MAX_QUERY_CHARS]
    if not text:
        return []
    extra: list[str] = []
    for phrase in _COLLOQUIAL_ORDER:
        if phrase in text:
            extra.extend(COLLOQUIAL[phrase])
            text = text.replace(phrase, " ")
    terms: list[str] = []
    for source in (text, *extra):
        for tok in segment(source, for_search=not whole_words):
            if tok in STOP_WORDS or tok in terms:
                continue
            terms.append(tok)
    if not terms and extra:
        terms = list(dict.fromkeys(extra))
    specific = [t for t in terms if t not in GENERIC_TERMS]
    return (specific or terms)[:MAX_TERMS]


def _fts5_match(terms: Iterable[str]) -> str:
    parts = []
    for term in terms:
        quoted = '"' + term.replace('"', '""') + '"'
        # ASCII terms (pinyin initials, codes) match as prefixes: "spjy" finds "spjyxk".
        parts.append(quoted + "*" if _ASCII_TERM.match(term) else quoted)
    return " OR ".join(parts)


def _tsquery(terms: Iterable[str]) -> str:
    parts = []
    for term in terms:
        quoted = "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
        parts.append(quoted + ":*" if _ASCII_TERM.match(term) else quoted)
    return " | ".join(parts)


def _ranked_item_ids(terms: list[str], using: str) -> list[int]:
    """The ids of the best matching items, best first (at most SEARCH_CANDIDATES), from the index alone."""
    conn = connections[using]
    factor = f"(CASE WHEN i.parent_id IS NULL THEN 1.0 ELSE {SUB_ITEM_FACTOR} END)"
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            tsquery = _tsquery(terms)
            cursor.execute(
                f"SELECT s.item_id FROM {INDEX_TABLE} s JOIN catalog_serviceitem i ON i.id = s.item_id"
                f" WHERE s.document @@ to_tsquery('simple', %s)"
                f" ORDER BY ts_rank('{TS_RANK_WEIGHTS}', s.document, to_tsquery('simple', %s)) * {factor} DESC,"
                f" s.item_id LIMIT %s",
                [tsquery, tsquery, SEARCH_CANDIDATES],
            )
        else:
            weights = ", ".join(str(w) for w in BM25_WEIGHTS)
            cursor.execute(
                f"SELECT {FTS_TABLE}.rowid FROM {FTS_TABLE} JOIN catalog_serviceitem i ON i.id = {FTS_TABLE}.rowid"
                f" WHERE {FTS_TABLE} MATCH %s ORDER BY bm25({FTS_TABLE}, {weights}) * {factor}, {FTS_TABLE}.rowid"
                " LIMIT %s",
                [_fts5_match(terms), SEARCH_CANDIDATES],
            )
        return [row[0] for row in cursor.fetchall()]


def search_items(queryset, q: str | None):
    """The queryset narrowed to items matching q, ordered by relevance (best first).

    Works on ServiceItem and ItemVersion querysets (versions match through their item). An empty
    query returns the queryset unchanged; a query made only of stop words matches nothing. The index
    is asked first for the SEARCH_CANDIDATES best items (one query, ranked by bm25 / ts_rank); the
    queryset is then narrowed to those and ordered by their rank (``search_rank``: 0 is the best), so
    the page query never ranks thousands of rows and its cost does not grow with the catalog.
    """
    if not (q or "").strip():
        return queryset
    terms = query_terms(q)
    if not terms:
        return queryset.none()
    # First pass on whole words (fast and precise); widen to sub-words only when it finds few items.
    narrow = query_terms(q, whole_words=True)
    ids = _ranked_item_ids(narrow, queryset.db) if narrow else []
    if len(ids) < WIDEN_BELOW and narrow != terms:
        seen = set(ids)
        ids += [i for i in _ranked_item_ids(terms, queryset.db) if i not in seen][
            : SEARCH_CANDIDATES - len(ids)
        ]
    if not ids:
        return queryset.none()
    model = queryset.model
    field = "pk" if model._meta.model_name == "serviceitem" else "item_id"
    conn = connections[queryset.db]
    qn = conn.ops.quote_name
    column = f"{qn(model._meta.db_table)}.{qn('id' if field == 'pk' else 'item_id')}"
    # The position of the item in the ranked id list, as ONE expression (a CASE of hundreds of WHENs
    # costs more to compile than the whole search).
    # The candidates are passed as ONE parameter too (an IN list of 300 placeholders costs Django more
    # to build, for the count and again for the page, than SQLite takes to run the query).
    if conn.vendor == "postgresql":
        rank = RawSQL(f"array_position(%s::bigint[], {column})", (ids,))
        member = RawSQL(f"{column} = ANY(%s::bigint[])", (ids,), output_field=BooleanField())
    else:
        rank = RawSQL(f"instr(%s, ',' || {column} || ',')", ("," + ",".join(map(str, ids)) + ",",))
        member = RawSQL(
            f"{column} IN (SELECT value FROM json_each(%s))", (json.dumps(ids),), output_field=BooleanField()
        )
    return queryset.filter(member).annotate(search_rank=rank).order_by("search_rank", "pk")


# --- index maintenance -------------------------------------------------------------------------


def _version_for_index(item):
    """The version whose text is indexed: the current published one, else the newest."""
    version = item.current_version
    if version is None:
        versions = sorted(item.versions.all(), key=lambda v: v.number, reverse=True)
        version = versions[0] if versions else None
    return version


def document_for(item, version=None) -> tuple[str, str, str]:
    """(name, aliases, body) texts of an item, segmented for the index."""
    version = version or _version_for_index(item)
    if version is None:
        return ("", "", "")
    aliases = [a for a in (version.aliases or []) if a]
    alias_text = " ".join(
        [segmented(" ".join(aliases)), pinyin_initials(version.name), *(pinyin_initials(a) for a in aliases)]
    ).strip()
    body_parts = [
        version.conditions,
        version.result_name,
        item.department.name if item.department_id else "",
        item.department.short_name if item.department_id else "",
        version.get_item_type_display(),
        " ".join(str(b.get("law", "")) for b in (version.legal_bases or []) if isinstance(b, dict)),
        " ".join(m.name for m in version.materials.all()),
        " ".join(t.name for t in version.themes.all()),
        " ".join(
            str(s.get("name", s)) if isinstance(s, dict) else str(s) for s in (version.process_steps or [])
        ),
    ]
    return (segmented(version.name), alias_text, segmented(" ".join(p for p in body_parts if p)))


def _write_rows(rows: list[tuple[int, str, str, str]], using: str = "default") -> None:
    conn = connections[using]
    with conn.cursor() as cursor:
        ids = [r[0] for r in rows]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {INDEX_TABLE} WHERE item_id IN ({marks})", chunk)
        cursor.executemany(
            f"INSERT INTO {INDEX_TABLE} (item_id, name_text, alias_text, body_text) VALUES (%s, %s, %s, %s)",
            rows,
        )


def _text_of(item) -> str:
    name, aliases, body = document_for(item)
    return " ".join(p for p in (name, aliases, body) if p)


def reindex_items(item_ids: Iterable[int]) -> int:
    """Rebuild the index rows (and ServiceItem.search_text) of these items. Returns how many."""
    from bianmin.catalog.models import ServiceItem

    ids = list(dict.fromkeys(int(i) for i in item_ids))
    done = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        items = (
            ServiceItem.objects.filter(pk__in=chunk)
            .select_related("department", "current_version")
            .prefetch_related("current_version__materials", "current_version__themes", "versions")
        )
        rows = []
        found = set()
        with transaction.atomic():
            for item in items:
                name, aliases, body = document_for(item)
                rows.append((item.pk, name, aliases, body))
                found.add(item.pk)
                text = " ".join(p for p in (name, aliases, body) if p)
                if item.search_text != text:
                    # The derived search text is an index column, not content: written directly.
                    ServiceItem.objects.filter(pk=item.pk).update(search_text=text)
            missing = [i for i in chunk if i not in found]
            if missing:
                _delete_rows(missing)
            if rows:
                _write_rows(rows)
        done += len(rows)
    return done


def _delete_rows(ids: list[int]) -> None:
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM {INDEX_TABLE} WHERE item_id IN ({marks})", ids)


def build_search_text(version) -> str:
    """Hook called by catalog.services.version_publish: index the version being published.

    Writes the item's index row inside the publishing transaction (so it commits or rolls back with
    the publication) and returns the segmented text the service stores in ServiceItem.search_text.
    """
    item = version.item
    name, aliases, body = document_for(item, version)
    _write_rows([(item.pk, name, aliases, body)])
    return " ".join(p for p in (name, aliases, body) if p)


def reindex_item(item) -> None:
    """Refresh one item's index row. Called when a version of it is published or retired."""
    reindex_items([getattr(item, "pk", item)])


def reindex_item_on_commit(item) -> None:
    """Schedule reindex_item after the surrounding transaction commits (what services should call)."""
    pk = getattr(item, "pk", item)
    transaction.on_commit(lambda: reindex_items([pk]))


def reindex_all() -> int:
    """Rebuild the whole index (after an import, a bulk load, or to repair it)."""
    from bianmin.catalog.models import ServiceItem

    ids = list(ServiceItem.objects.order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {INDEX_TABLE}")
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return reindex_items(ids)
