"""A suggested department for a request, from its text: department names, category keywords, catalog search.

The operator always decides (classification is manual); this only pre-selects the most likely one.
"""

from __future__ import annotations

from collections import Counter

from bianmin.organisations.models import Department

# Everyday words that point at a department without naming it.
TOPIC_WORDS = {
    "区城管执法局": ("占道", "乱摆", "摊贩", "违建", "违章搭建", "噪音", "垃圾", "市容", "广告牌", "油烟"),
    "区市监局": ("食品", "过期", "假货", "消费", "价格", "餐馆", "饭店", "奶茶", "营业执照", "计量"),
    "区住建局": ("施工", "工地", "物业", "房屋", "电梯", "小区"),
    "区人社局": ("社保", "工资", "欠薪", "失业", "就业", "劳动"),
    "区民政局": ("低保", "救助", "养老", "婚姻", "结婚", "离婚", "残疾"),
    "区教育局": ("学校", "学位", "入学", "教师", "培训机构"),
    "区卫健局": ("医院", "诊所", "疫苗", "卫生"),
    "生态环境分局": ("排污", "污染", "臭味", "废气", "污水"),
    "区医保局": ("医保", "报销"),
    "公安分局": ("户口", "户籍", "居住证", "身份证"),
    "区交通局": ("公交", "出租车", "网约车"),
    "区政数局": ("大厅", "窗口", "排队", "政务服务", "办事效率"),
}


def _core(short_name: str) -> str:
    core = short_name.removeprefix("区")
    for suffix in ("执法局", "局", "分局", "办", "大队"):
        if core.endswith(suffix) and len(core) > len(suffix) + 1:
            return core[: -len(suffix)]
    return core


def suggest_department(text: str) -> Department | None:
    text = (text or "").strip()
    if not text:
        return None
    departments = list(Department.objects.filter(is_active=True).only("id", "name", "short_name"))
    by_short = {d.short_name: d for d in departments}
    votes: Counter[int] = Counter()
    for d in departments:
        if d.name in text or d.short_name in text:
            votes[d.pk] += 10
        elif len(_core(d.short_name)) >= 2 and _core(d.short_name) in text:
            votes[d.pk] += 4
    for short_name, words in TOPIC_WORDS.items():
        d = by_short.get(short_name)
        if d is not None:
            votes[d.pk] += 3 * sum(1 for w in words if w in text)
    try:
        from bianmin.catalog import selectors as catalog_selectors

        items = catalog_selectors.published_item_list(filters={"q": text[:100]})[:5]
        for rank, item in enumerate(items):
            votes[item.department_id] += 3 - min(rank, 2)
    except Exception:  # the search index may be empty or not built (no catalog yet)
        pass
    if not votes:
        return None
    best, score = votes.most_common(1)[0]
    if score <= 0:
        return None
    return next((d for d in departments if d.pk == best), None)
