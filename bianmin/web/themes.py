"""Life-event themes shown on the portal home (个人办事 / 法人办事).

A static list for now: each links to ``/items/?theme=<code>``; the catalog decides which items carry a theme.
Codes are English snake_case and stable; labels are Chinese (gettext).
"""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from bianmin.web.text import icon_letter


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    icon: str


# Fallback when the catalog's Theme table is empty (e.g. a flushed test database). Codes match
# bianmin/catalog/migrations/0002_seed_themes.py so ``?theme=`` links filter the same way.
PERSON_THEMES: tuple[Theme, ...] = (
    Theme("birth_adoption", _("生育收养"), "育"),
    Theme("household_registration", _("户籍办理"), "户"),
    Theme("education", _("教育科研"), "学"),
    Theme("employment_business", _("就业创业"), "业"),
    Theme("social_security", _("社会保障"), "保"),
    Theme("marriage", _("婚姻登记"), "婚"),
    Theme("housing", _("住房保障"), "房"),
    Theme("medical_health", _("医疗卫生"), "医"),
)

BUSINESS_THEMES: tuple[Theme, ...] = (
    Theme("establishment_change", _("设立变更"), "设"),
    Theme("operating_permits", _("准营准办"), "营"),
    Theme("investment_projects", _("投资立项"), "投"),
    Theme("construction", _("工程建设"), "建"),
    Theme("land_planning", _("用地规划"), "地"),
    Theme("tax_finance", _("税费办理"), "税"),
    Theme("human_resources", _("人力资源"), "人"),
    Theme("quality_safety", _("质量安全"), "质"),
)

# The other themes of catalog/migrations/0002_seed_themes.py, marked so that their names reach the English
# catalog (the catalog's filter lists show every theme through gettext).
OTHER_THEME_NAMES = (
    gettext_noop("社会救助"),
    gettext_noop("残疾人服务"),
    gettext_noop("养老服务"),
    gettext_noop("退役军人"),
    gettext_noop("交通出行"),
    gettext_noop("文化体育"),
    gettext_noop("民政事务"),
    gettext_noop("死亡殡葬"),
    gettext_noop("环境保护"),
    gettext_noop("市政设施"),
    gettext_noop("文化旅游"),
    gettext_noop("注销退出"),
)

# One character per theme code for the tile icon; unknown codes use the first character of the name.
ICONS = {
    "birth_adoption": "育",
    "household_registration": "户",
    "education": "学",
    "employment_business": "业",
    "social_security": "保",
    "marriage": "婚",
    "housing": "房",
    "medical_health": "医",
    "social_assistance": "助",
    "disability": "残",
    "elderly_care": "老",
    "veterans": "军",
    "transport": "行",
    "culture_sports": "文",
    "civil_affairs": "民",
    "death_funeral": "殡",
    "establishment_change": "设",
    "operating_permits": "营",
    "investment_projects": "投",
    "construction": "建",
    "land_planning": "地",
    "tax_finance": "税",
    "human_resources": "人",
    "quality_safety": "质",
    "environmental_protection": "环",
    "urban_management": "市",
    "culture_tourism": "旅",
    "deregistration": "注",
}


def home_themes(limit: int = 8) -> tuple[list[Theme], list[Theme]]:
    """Person and business themes from the catalog (one query), or the fallback lists."""
    try:
        from bianmin.catalog.models import Theme as CatalogTheme
    except ImportError:
        return list(PERSON_THEMES[:limit]), list(BUSINESS_THEMES[:limit])
    person: list[Theme] = []
    business: list[Theme] = []
    for row in CatalogTheme.objects.order_by("audience", "order", "code"):
        # theme names are catalog data in Chinese; the fallback lists below carry their translations
        label = gettext(row.name)
        theme = Theme(row.code, label, icon_letter(ICONS.get(row.code, row.name[:1]), label))
        if row.audience == "person" and len(person) < limit:
            person.append(theme)
        elif row.audience == "legal" and len(business) < limit:
            business.append(theme)
    return (
        person or [Theme(t.code, t.label, icon_letter(t.icon, t.label)) for t in PERSON_THEMES[:limit]],
        business or [Theme(t.code, t.label, icon_letter(t.icon, t.label)) for t in BUSINESS_THEMES[:limit]],
    )
