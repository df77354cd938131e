"""The 政数局's summary of all tasks: .xlsx and PDF (WeasyPrint through documents.pdf)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from bianmin.reform.seed_data import PLAN_NUMBER, PLAN_TITLE
from bianmin.web.text import clause_separator, join_list


def _units(task) -> tuple[str, str]:
    leads = [d.short_name for d in task.lead_departments.all()] + list(task.lead_units_other)
    partners = [d.short_name for d in task.partner_departments.all()] + list(task.partner_units_other)
    return join_list(leads), join_list(partners)


def summary_rows(progress) -> tuple[list[str], list[list]]:
    header = [
        _("序号"), _("任务"), _("牵头单位"), _("配合单位"), _("时限"), _("进度（%）"), _("进度来源"),
        _("状态"), _("节点"), _("最近报告"), _("报告逾期"),
    ]  # fmt: skip
    body = []
    for p in progress:
        leads, partners = _units(p.task)
        body.append(
            [
                p.task.number,
                p.task.title,
                leads,
                partners,
                clause_separator().join(m.display_label for m in p.task.milestones.all() if m.label)
                or _("持续推进"),
                p.percentage,
                p.kpi_display if p.computed else _("报送"),
                p.status_label,
                clause_separator().join(
                    _("%(milestone)s：%(state)s")
                    % {
                        "milestone": s.milestone.display_label or s.milestone.get_figure_display(),
                        "state": s.label,
                    }
                    for s in p.milestones
                ),
                f"{p.latest_report.period} {p.latest_report.percentage}%" if p.latest_report else "—",
                _("是") if p.report_overdue else _("否"),
            ]
        )
    return header, body


def summary_xlsx(progress) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("改革任务进展")
    ws.append(
        [
            _("%(title)s（%(number)s）任务进展汇总 %(date)s")
            % {"title": _(PLAN_TITLE), "number": PLAN_NUMBER, "date": f"{timezone.localdate():%Y-%m-%d}"}
        ]
    )
    header, body = summary_rows(progress)
    ws.append([str(h) for h in header])
    for row in body:
        ws.append([c if isinstance(c, int | float) else str(c) for c in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def summary_pdf(progress) -> bytes:
    from bianmin.documents.pdf import render_pdf

    header, body = summary_rows(progress)
    return render_pdf(
        "reform/summary_pdf.html",
        {
            "header": header,
            "body": body,
            "title": _(PLAN_TITLE),
            "number": PLAN_NUMBER,
            "today": timezone.localdate(),
        },
    )
