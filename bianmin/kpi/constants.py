"""The figures of design.md §7: codes, labels, default levels, direction and the plan's milestones."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Figure(models.TextChoices):
    INSTANT = "instant", _("即办比例")
    ONLINE = "online", _("网上可办率")
    NEARBY = "nearby", _("就近可办比例")
    ONE_VISIT = "one_visit", _("最多跑一次比例（承诺）")
    ONE_VISIT_REALISED = "one_visit_realised", _("最多跑一次比例（实际）")
    LIMIT_RATIO = "limit_ratio", _("承诺时限占法定时限比例")
    LIMIT_RATIO_INVESTMENT = "limit_ratio_investment", _("投资项目审批承诺时限占法定时限比例")
    ON_TIME = "on_time", _("按时办结率")
    OVERDUE = "overdue", _("超期件")
    AVERAGE_DAYS = "average_days", _("平均办理时长")
    ONLINE_APPLIED = "online_applied", _("网上申办率")
    SATISFACTION = "satisfaction", _("满意率")
    RECTIFICATION = "rectification", _("差评整改率")
    CALLBACK = "callback", _("实名差评回访率")


class TargetSource(models.TextChoices):
    PLAN = "plan", _("方案目标（汕龙府办〔2019〕44号）")
    ADMIN = "admin", _("管理员设定")


class Kind(models.TextChoices):
    ITEMS = "items", _("事项")
    CASES = "cases", _("办件")
    RATINGS = "ratings", _("评价")


class Scope(models.TextChoices):
    DISTRICT = "district", _("全区")
    DEPARTMENT = "department", _("部门")
    STREET = "street", _("街道")
    ITEM = "item", _("事项")


@dataclass(frozen=True)
class FigureMeta:
    code: str
    kind: str
    levels: tuple[str, ...]
    unit: str  # "ratio" (shown as %), "count", "days"
    higher_is_better: bool
    numerator_label: str
    denominator_label: str
    task: int | None = None  # the plan's task number it measures


M = FigureMeta
FIGURES: dict[str, FigureMeta] = {
    Figure.INSTANT: M(
        Figure.INSTANT, Kind.ITEMS, ("4", "5"), "ratio", True, _("即办件"), _("面向自然人的现场办理事项"), 1
    ),
    Figure.ONLINE: M(Figure.ONLINE, Kind.ITEMS, ("4",), "ratio", True, _("网上可办事项"), _("事项"), 2),
    Figure.NEARBY: M(
        Figure.NEARBY,
        Kind.ITEMS,
        ("4", "5"),
        "ratio",
        True,
        _("就近可办事项"),
        _("面向自然人的现场办理事项"),
        3,
    ),
    Figure.ONE_VISIT: M(
        Figure.ONE_VISIT, Kind.ITEMS, ("4",), "ratio", True, _("到现场次数≤1的事项"), _("事项"), 4
    ),
    Figure.ONE_VISIT_REALISED: M(
        Figure.ONE_VISIT_REALISED, Kind.CASES, (), "ratio", True, _("到现场≤1次的办结件"), _("办结件")
    ),
    Figure.LIMIT_RATIO: M(
        Figure.LIMIT_RATIO,
        Kind.ITEMS,
        ("4", "5"),
        "ratio",
        False,
        _("承诺时限合计（工作日）"),
        _("法定时限合计（工作日）"),
    ),
    Figure.LIMIT_RATIO_INVESTMENT: M(
        Figure.LIMIT_RATIO_INVESTMENT,
        Kind.ITEMS,
        ("4", "5"),
        "ratio",
        False,
        _("承诺时限合计（工作日）"),
        _("法定时限合计（工作日）"),
        14,
    ),
    Figure.ON_TIME: M(Figure.ON_TIME, Kind.CASES, (), "ratio", True, _("按期办结件"), _("办结件")),
    Figure.OVERDUE: M(Figure.OVERDUE, Kind.CASES, (), "count", False, _("超期件"), _("在办已受理件")),
    Figure.AVERAGE_DAYS: M(
        Figure.AVERAGE_DAYS, Kind.CASES, (), "days", False, _("办理工作日合计"), _("办结件")
    ),
    Figure.ONLINE_APPLIED: M(
        Figure.ONLINE_APPLIED, Kind.CASES, (), "ratio", True, _("网上申请件"), _("受理件")
    ),
    Figure.SATISFACTION: M(
        Figure.SATISFACTION, Kind.RATINGS, (), "ratio", True, _("基本满意及以上"), _("评价")
    ),
    Figure.RECTIFICATION: M(
        Figure.RECTIFICATION, Kind.RATINGS, (), "ratio", True, _("已整改差评"), _("差评")
    ),
    Figure.CALLBACK: M(Figure.CALLBACK, Kind.RATINGS, (), "ratio", True, _("已回访实名差评"), _("实名差评")),
}

# The plan's milestones (汕龙府办〔2019〕44号 tasks 1–4 and 14): (figure, year, value).
PLAN_MILESTONES: list[tuple[str, int, Decimal]] = [
    (Figure.INSTANT, 2019, Decimal("0.3333")),
    (Figure.INSTANT, 2020, Decimal("0.5")),
    (Figure.ONLINE, 2019, Decimal("0.7")),
    (Figure.ONLINE, 2020, Decimal("1")),
    (Figure.NEARBY, 2019, Decimal("0.7")),
    (Figure.NEARBY, 2020, Decimal("1")),
    (Figure.ONE_VISIT, 2019, Decimal("0.7")),
    (Figure.ONE_VISIT, 2020, Decimal("1")),
    (Figure.LIMIT_RATIO_INVESTMENT, 2019, Decimal("0.5")),
    (Figure.LIMIT_RATIO_INVESTMENT, 2020, Decimal("0.5")),
    (Figure.CALLBACK, 2020, Decimal("1")),
]

# The four 办 shown on the portal home, in the order of the plan.
FOUR_BAN = (Figure.INSTANT, Figure.ONLINE, Figure.NEARBY, Figure.ONE_VISIT)
