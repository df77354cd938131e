"""Life-event themes shown on the portal home (个人办事 / 法人办事).

A static list for now: each links to ``/items/?theme=<code>``; the catalog decides which items carry a theme.
Codes are English snake_case and stable; labels are Chinese (gettext).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    icon: str


PERSON_THEMES: tuple[Theme, ...] = (
    Theme("birth", _("生育收养"), "育"),
    Theme("household", _("户籍办理"), "户"),
    Theme("education", _("教育入学"), "学"),
    Theme("employment", _("就业创业"), "业"),
    Theme("marriage", _("婚姻登记"), "婚"),
    Theme("social_security", _("社会保障"), "保"),
    Theme("social_assistance", _("社会救助"), "助"),
    Theme("housing", _("住房保障"), "房"),
    Theme("health", _("医疗卫生"), "医"),
    Theme("elderly_care", _("养老服务"), "老"),
    Theme("disability", _("残疾人服务"), "残"),
    Theme("funeral", _("死亡殡葬"), "殡"),
)

BUSINESS_THEMES: tuple[Theme, ...] = (
    Theme("establishment", _("企业开办"), "开"),
    Theme("operating_licence", _("准营许可"), "营"),
    Theme("construction", _("工程建设"), "建"),
    Theme("tax", _("税费办理"), "税"),
    Theme("human_resources", _("人力资源"), "人"),
    Theme("food_drug", _("食品药品"), "食"),
    Theme("environment", _("环境保护"), "环"),
    Theme("transport_business", _("交通运输"), "运"),
    Theme("culture_tourism", _("文化旅游"), "文"),
    Theme("health_business", _("卫生健康"), "卫"),
    Theme("trade", _("商务贸易"), "商"),
    Theme("deregistration", _("注销退出"), "注"),
)
