"""Demo data: the plan's 2019/2020 milestones as history, current targets for this year (the 4个100%), and the
daily case summary built over the demo cases (the apps seeded before this one), so the first dashboard read
finds it ready."""

from __future__ import annotations

from decimal import Decimal

from bianmin.kpi import summary
from bianmin.kpi.constants import PLAN_MILESTONES, Figure, TargetSource
from bianmin.kpi.models import CaseDaySummary, KpiTarget

CURRENT = {
    Figure.INSTANT: Decimal("0.5"),
    Figure.ONLINE: Decimal("1"),
    Figure.NEARBY: Decimal("1"),
    Figure.ONE_VISIT: Decimal("1"),
    Figure.LIMIT_RATIO: Decimal("0.5"),
    Figure.LIMIT_RATIO_INVESTMENT: Decimal("0.5"),
    Figure.ON_TIME: Decimal("1"),
    Figure.ONLINE_APPLIED: Decimal("0.8"),
    Figure.SATISFACTION: Decimal("0.99"),
    Figure.RECTIFICATION: Decimal("1"),
    Figure.CALLBACK: Decimal("1"),
}


def seed(*, today) -> str:
    for figure, year, value in PLAN_MILESTONES:
        KpiTarget.objects.update_or_create(
            figure=figure,
            year=year,
            source=TargetSource.PLAN,
            defaults={"value": value, "note": "汕龙府办〔2019〕44号"},
        )
    for figure, value in CURRENT.items():
        KpiTarget.objects.get_or_create(
            figure=figure, year=today.year, source=TargetSource.ADMIN, defaults={"value": value}
        )
    summary.rebuild()
    return (
        f"{len(PLAN_MILESTONES)} plan milestones, {len(CURRENT)} targets for {today.year}; "
        f"case summary built ({CaseDaySummary.objects.count()} department-days)"
    )
