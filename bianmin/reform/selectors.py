"""Reads of the tracker: tasks with their progress, milestone states and overdue reports, computed not typed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.accounts import rules
from bianmin.core.exceptions import NotFound
from bianmin.kpi import indicators
from bianmin.kpi.constants import FIGURES
from bianmin.reform.constants import REPORT_GRACE_DAYS, TaskStatus
from bianmin.reform.models import Milestone, PlanSubTask, PlanTask, ProgressReport


def quarter_of(day: dt.date) -> tuple[str, dt.date]:
    q = (day.month - 1) // 3 + 1
    end_month = 3 * q
    end = dt.date(day.year, end_month, [31, 30, 30, 31][q - 1])
    return f"{day.year}-Q{q}", end


def last_due_quarter(today: dt.date) -> tuple[str, dt.date] | None:
    """The latest quarter whose report is already due (its end + the grace days are past)."""
    label, end = quarter_of(today)
    while end + dt.timedelta(days=REPORT_GRACE_DAYS) >= today:
        start = dt.date(end.year, end.month - 2, 1)
        label, end = quarter_of(start - dt.timedelta(days=1))
    return label, end


def tasks_queryset() -> QuerySet[PlanTask]:
    return PlanTask.objects.prefetch_related(
        "lead_departments",
        "partner_departments",
        Prefetch(
            "subtasks",
            queryset=PlanSubTask.objects.prefetch_related("lead_departments", "partner_departments"),
        ),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk")),
        Prefetch(
            "reports",
            queryset=ProgressReport.objects.select_related("department").order_by("-period_end", "-filed_at"),
        ),
    ).order_by("number")


@dataclass
class MilestoneState:
    milestone: Milestone
    state: str  # met | missed | pending
    value: Decimal | None = None
    display: str = ""

    @property
    def label(self) -> str:
        return {"met": _("已达成"), "missed": _("未按期完成"), "pending": _("未到期")}[self.state]

    @property
    def target_display(self) -> str:
        """The milestone's target as its figure is shown (50.0%, not 0.5000); "—" where it has none."""
        m = self.milestone
        if m.target_value is None:
            return "—"
        return indicators.format_value(m.figure, m.target_value) if m.figure else str(m.target_value)


@dataclass
class TaskProgress:
    task: PlanTask
    percentage: int
    computed: bool  # from a KPI rather than from reports
    status: str
    milestones: list[MilestoneState] = field(default_factory=list)
    latest_report: ProgressReport | None = None
    report_overdue: bool = False
    missed: bool = False
    kpi_display: str = ""

    @property
    def status_label(self) -> str:
        return TaskStatus(self.status).label


def _kpi_progress(figure: str, target: Decimal, value: Decimal | None) -> int:
    if value is None or not target:
        return 0
    if FIGURES[figure].higher_is_better:
        return int(min(Decimal(100), value / target * 100))
    return 100 if value <= target else int(target / value * 100)


def task_progress(task: PlanTask, *, today: dt.date, kpi_cache: dict | None = None) -> TaskProgress:
    kpi_cache = {} if kpi_cache is None else kpi_cache
    reports = list(task.reports.all())
    latest = reports[0] if reports else None
    reported = latest.percentage if latest else 0

    def kpi(figure: str, on: dt.date):
        key = (figure, on)
        if key not in kpi_cache:
            kpi_cache[key] = indicators.compute(figure, period=indicators.Period(dt.date(on.year, 1, 1), on))
        return kpi_cache[key]

    states = []
    computed_pct = None
    kpi_display = ""
    for m in task.milestones.all():
        if m.figure and m.target_value is not None:
            on = min(today, m.due_on) if m.due_on else today
            result = kpi(m.figure, on)
            ok = _kpi_progress(m.figure, m.target_value, result.value) >= 100
            passed = m.due_on is not None and m.due_on < today
            state = "met" if ok else ("missed" if passed else "pending")
            states.append(MilestoneState(m, state, result.value, result.display))
        else:
            passed = m.due_on is not None and m.due_on < today
            done_by_then = any(r.percentage >= 100 and r.period_end <= (m.due_on or today) for r in reports)
            state = (
                "met"
                if done_by_then or (not passed and reported >= 100)
                else ("missed" if passed else "pending")
            )
            if passed and not done_by_then and reported >= 100:
                state = "missed"  # finished, but after the deadline
            states.append(MilestoneState(m, state))
    # the latest KPI-tied milestone (or the task's own) gives the computed progress
    tied = [m for m in task.milestones.all() if m.figure and m.target_value is not None]
    if tied:
        last = max(tied, key=lambda m: m.due_on or dt.date.max)
        result = kpi(last.figure, today)
        computed_pct = _kpi_progress(last.figure, last.target_value, result.value)
        kpi_display = f"{result.label} {result.display}"
    percentage = computed_pct if computed_pct is not None else reported
    missed = any(s.state == "missed" for s in states)
    if percentage >= 100:
        status = TaskStatus.DONE
    elif missed:
        status = TaskStatus.MISSED
    elif percentage > 0 or reports:
        status = TaskStatus.IN_PROGRESS
    else:
        status = TaskStatus.NOT_STARTED
    due = last_due_quarter(today)
    report_overdue = bool(due) and percentage < 100 and not any(r.period_end >= due[1] for r in reports)
    return TaskProgress(
        task,
        percentage,
        computed_pct is not None,
        status,
        states,
        latest,
        report_overdue,
        missed,
        kpi_display,
    )


def tracker(*, today: dt.date | None = None) -> list[TaskProgress]:
    today = today or timezone.localdate()
    cache: dict = {}
    return [task_progress(t, today=today, kpi_cache=cache) for t in tasks_queryset()]


def task_get(*, number: int) -> PlanTask:
    task = tasks_queryset().filter(number=number).first()
    if task is None:
        raise NotFound(_("未找到该改革任务。"))
    return task


def lead_department_ids(task: PlanTask, subtask: PlanSubTask | None = None) -> set[int]:
    source = subtask or task
    ids = {d.pk for d in source.lead_departments.all()}
    if subtask is None:
        for sub in task.subtasks.all():
            ids |= {d.pk for d in sub.lead_departments.all()}
    return ids


def reporting_departments(user, task: PlanTask, subtask: PlanSubTask | None = None) -> set[int]:
    """The departments in whose name ``user`` may file a report on the task: lead units' staff only.

    Where the plan names no listed unit as lead ("区各政务服务实施单位负责"), each implementing unit leads its own part.
    """
    mine = rules.department_ids(user)
    if not mine or not rules.is_staff_member(user):
        return set()
    leads = lead_department_ids(task, subtask)
    if not leads:
        return mine
    return mine & leads


def can_view_tracker(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        rules.is_staff_member(user) or rules.is_platform_admin(user)
    )
