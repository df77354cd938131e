"""Demo data: the plan's 25 tasks (seed_data.py, transcribed from 汕龙府办〔2019〕44号), their parts,
deadlines and the KPIs tied to the measurable ones. Idempotent (upserted by task number)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from bianmin.kpi.constants import PLAN_MILESTONES, Figure
from bianmin.organisations.models import Department
from bianmin.reform.models import Milestone, PlanSubTask, PlanTask
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
    return f"reform: {len(TASKS)} plan tasks"
