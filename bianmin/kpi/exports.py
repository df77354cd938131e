"""Exports of the dashboard and of a figure's breakdown and rows: .xlsx (openpyxl) and CSV. No personal data."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from bianmin.kpi.constants import FIGURES, Kind


def _source(row: dict) -> str:
    if row.get("pending"):
        return _("办件日汇总生成中，稍后刷新")
    when = timezone.localtime(row["as_of"]).strftime("%Y-%m-%d %H:%M:%S") if row.get("as_of") else "—"
    return (_("实时（%(t)s）") if row.get("live") else _("办件日汇总（截至 %(t)s）")) % {"t": when}


def dashboard_table(rows: list[dict]) -> tuple[list[str], list[list]]:
    header = [
        _("指标"),
        _("分子"),
        _("分母"),
        _("当前值"),
        _("目标"),
        _("差距"),
        _("2019年目标"),
        _("2020年目标"),
        _("数据来源"),
    ]
    body = [
        [
            r["label"],
            _num(r["numerator"]),
            _num(r["denominator"]),
            r["display"],
            r["target_display"],
            r["gap_display"],
            r["plan_2019"],
            r["plan_2020"],
            _source(r),
        ]
        for r in rows
    ]
    return header, body


def breakdown_table(parts: list[dict], *, by_label: str) -> tuple[list[str], list[list]]:
    header = [by_label, _("分子"), _("分母"), _("值")]
    return header, [[p["label"], _num(p["numerator"]), _num(p["denominator"]), p["display"]] for p in parts]


def rows_table(figure: str, rows, numerator_ids: set) -> tuple[list[str], list[list]]:
    """The rows behind the denominator, each marked whether it is in the numerator."""
    kind = FIGURES[figure].kind
    if kind == Kind.ITEMS:
        header = [
            _("事项编码"),
            _("事项名称"),
            _("实施主体"),
            _("行使层级"),
            _("承诺时限"),
            _("法定时限"),
            _("计入分子"),
        ]
        body = [
            [
                v.item.code,
                v.name,
                v.item.department.name,
                v.get_exercise_level_display(),
                v.promised_limit if v.promised_limit is not None else "",
                v.statutory_limit if v.statutory_limit is not None else "",
                _("是") if v.pk in numerator_ids else _("否"),
            ]
            for v in rows
        ]
    elif kind == Kind.CASES:
        header = [
            _("办件编号"),
            _("事项"),
            _("部门"),
            _("受理日"),
            _("办结期限"),
            _("办结时间"),
            _("到现场次数"),
            _("渠道"),
            _("计入分子"),
        ]
        body = [
            [
                c.number,
                c.item_version.name,
                c.department.name,
                c.accepted_on or "",
                c.deadline_on or "",
                timezone.localtime(c.concluded_at).strftime("%Y-%m-%d %H:%M") if c.concluded_at else "",
                c.visits_count,
                c.get_channel_display(),
                _("是") if c.pk in numerator_ids else _("否"),
            ]
            for c in rows
        ]
    else:
        header = [_("评价时间"), _("评价等级"), _("部门"), _("服务方式"), _("计入分子")]
        body = [
            [
                timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
                e.get_level_display(),
                e.department.name if e.department_id else "",
                e.get_service_mode_display(),
                _("是") if e.pk in numerator_ids else _("否"),
            ]
            for e in rows
        ]
    return header, body


def _num(v):
    if v is None:
        return ""  # pending: the value column says so
    return int(v) if v == int(v) else float(v)


number = _num


def to_csv(header, body) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows([[str(c) for c in row] for row in body])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, header, body in sheets:
        ws = wb.create_sheet(title[:31])
        ws.append([str(h) for h in header])
        for row in body:
            ws.append([c if isinstance(c, int | float) else str(c) for c in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
