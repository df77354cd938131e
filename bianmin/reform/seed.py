"""Demo data: the plan's 25 tasks (seed_data.py, transcribed from 汕龙府办〔2019〕44号), their parts,
deadlines and the KPIs tied to the measurable ones. Idempotent (upserted by task number)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from bianmin.kpi.constants import PLAN_MILESTONES, Figure
from bianmin.organisations.models import Department
from bianmin.reform.models import Milestone, PlanSubTask, PlanTask, ProgressReport
from bianmin.reform.seed_data import TASKS

# the KPI that measures a task's milestones: task number (or sub-task number) → figure
TASK_FIGURES = {"1": Figure.INSTANT, "2": Figure.ONLINE, "3": Figure.NEARBY, "4": Figure.ONE_VISIT}
SUBTASK_FIGURES = {
    "14.1": (Figure.LIMIT_RATIO_INVESTMENT, Decimal("0.5"), "开工前审批时间压缩至法定时限1/2以内")
}


def _department_index() -> dict[str, Department]:
    index: dict[str, Department] = {}
    for d in Department.objects.all():
        index[d.name] = d
        index[d.short_name] = d
    return index


def resolve_units(units: list[str], index: dict[str, Department]) -> tuple[list[Department], list[str]]:
    """Map the plan's unit names (区政数局, 发改局, 工信局(地震局) …) to departments; the rest stay as text."""
    found, other = [], []
    for unit in units:
        name = re.sub(r"[(（].*?[)）]", "", unit).strip()
        candidates = [name, f"区{name}" if not name.startswith("区") else name, f"汕头{name}"]
        dept = next((index[c] for c in candidates if c in index), None)
        if dept is None:
            dept = next((d for key, d in index.items() if key.endswith(name) and len(name) >= 6), None)
        if dept is None:
            other.append(unit)
        elif dept not in found:
            found.append(dept)
    return found, other


def _set_units(obj, entry, index) -> None:
    leads, lead_other = resolve_units(entry["leads"], index)
    partners, partner_other = resolve_units(entry["partners"], index)
    obj.lead_units_other, obj.partner_units_other = lead_other, partner_other
    obj.save()
    obj.lead_departments.set(leads)
    obj.partner_departments.set(partners)


def seed(*, today) -> str:
    index = _department_index()
    targets = {(str(f), y): v for f, y, v in PLAN_MILESTONES}
    for entry in TASKS:
        task, _created = PlanTask.objects.update_or_create(
            number=entry["number"],
            defaults={
                "section": entry["section"],
                "title": entry["title"],
                "text": entry["text"],
                "units_text": entry["units_text"],
            },
        )
        _set_units(task, entry, index)
        task.milestones.all().delete()
        figure = TASK_FIGURES.get(str(entry["number"]), "")
        for label, due in entry["deadlines"]:
            due_on = dt.date.fromisoformat(due)
            Milestone.objects.create(
                task=task,
                label=label,
                due_on=due_on,
                figure=figure,
                target_value=targets.get((str(figure), due_on.year)) if figure else None,
            )
        for sub in entry.get("subtasks", []):
            subtask, _c = PlanSubTask.objects.update_or_create(
                task=task,
                number=sub["number"],
                defaults={"text": sub["text"], "units_text": sub["units_text"]},
            )
            _set_units(subtask, sub, index)
            tie = SUBTASK_FIGURES.get(sub["number"])
            for label, due in sub["deadlines"]:
                Milestone.objects.create(
                    task=task, subtask=subtask, label=label, due_on=dt.date.fromisoformat(due)
                )
            if tie:
                Milestone.objects.create(
                    task=task,
                    subtask=subtask,
                    label="",
                    figure=tie[0],
                    target_value=tie[1],
                    description=tie[2],
                )
    reports = _seed_reports(today)
    return f"{len(TASKS)} plan tasks, {reports} demo progress reports"


# Demo progress of the lead units for the latest due quarter, so that the tracker shows a realistic mix:
# most tasks done and in routine operation, a few still under way, and tasks 6, 17 and 24 left unreported
# (flagged as overdue reports). Task numbers → (percentage, text).
DEMO_REPORTS = {
    1: (100, "即办件清单已随事项目录动态调整，本季度新增即办事项12项，窗口当场办结。"),
    2: (100, "依申请事项全部接入区政务服务网，网上可办事项按季度复核，本季度复核无退出事项。"),
    3: (90, "7个街道便民服务中心已下沉高频事项，4个社区服务站试点运行，其余社区站点设备到位后开通。"),
    4: (100, "“最多跑一次”事项清单已公布，按季度通报实际跑动次数，超过一次的个案逐一回访。"),
    5: (100, "各部门承诺时限已压缩并在办事指南公布，投资项目审批事项承诺时限不超过法定时限的一半。"),
    7: (100, "证明事项清单已公布，清单外证明一律取消，本季度核查窗口未发现索要清单外证明情况。"),
    8: (85, "告知承诺制已在38项证明事项推行，事中事后核查机制正在与信用平台对接。"),
    9: (100, "综合窗口“一窗受理”在区中心和街道中心全面运行，后台分类审批、统一出件。"),
    10: (100, "网上预约、现场取号与叫号系统联通，预约办理占比本季度达到31%。"),
    12: (100, "电子证照库已归集营业执照、食品经营许可证等证照，办件时可直接调用免交纸质材料。"),
    13: (95, "电子印章已在12个部门启用，其余部门印章制作中。"),
    15: (100, "“好差评”已覆盖网上、窗口和热线渠道，差评整改按期完成，结果按月公开。"),
    19: (70, "中介服务网上超市已完成需求调研，系统建设方案正在评审。"),
    21: (100, "咨询投诉举报统一平台运行，诉求按类型限时办结并回访。"),
}


def _seed_reports(today: dt.date) -> int:
    from bianmin.accounts.constants import Role
    from bianmin.accounts.models import RoleAssignment
    from bianmin.reform.selectors import last_due_quarter

    due = last_due_quarter(today)
    if due is None:
        return 0
    period, period_end = due
    made = 0
    for task in PlanTask.objects.filter(number__in=DEMO_REPORTS).prefetch_related("lead_departments"):
        department = next(iter(task.lead_departments.all()), None)
        if department is None:
            continue
        staff = (  # the unit's head files its reports
            RoleAssignment.objects.filter(
                department=department, role=Role.HEAD, is_active=True, user__is_active=True
            )
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if staff is None:
            continue
        percentage, text = DEMO_REPORTS[task.number]
        ProgressReport.objects.update_or_create(
            task=task,
            subtask=None,
            department=department,
            period=period,
            defaults={
                "period_end": period_end,
                "text": text,
                "percentage": percentage,
                "filed_by": staff.user,
            },
        )
        made += 1
    return made
