"""Writes of the tracker: a lead unit files a progress report (text, percentage, attachments)."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from bianmin.audit.services import audit_record
from bianmin.core.exceptions import PermissionDenied, ValidationFailed
from bianmin.reform import selectors
from bianmin.reform.models import PlanSubTask, PlanTask, ProgressReport, ReportAttachment

TYPES = {b"%PDF": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png", b"PK\x03\x04": "zip"}
MAX_ATTACHMENTS = 5


def _period_end(period: str):
    m = re.fullmatch(r"(\d{4})-Q([1-4])", period or "")
    if not m:
        raise ValidationFailed(_("报送期格式应为 2026-Q3。"), fields={"period": ["invalid"]})
    import datetime as dt

    y, q = int(m[1]), int(m[2])
    return dt.date(y, 3 * q, [31, 30, 30, 31][q - 1])


def _check_file(upload) -> str:
    size = getattr(upload, "size", 0) or 0
    if size <= 0 or size > settings.UPLOAD_MAX_BYTES:
        raise ValidationFailed(_("附件为空或超过大小限制。"), fields={"attachments": ["size"]})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, ext in TYPES.items():
        if head.startswith(magic):
            # .docx and .xlsx are zip files
            if ext == "zip":
                name = (getattr(upload, "name", "") or "").lower()
                return "xlsx" if name.endswith(".xlsx") else "docx"
            return ext
    raise ValidationFailed(
        _("附件只接受 PDF、JPEG、PNG、Word（.docx）或 Excel（.xlsx）文件（按文件内容判断）。"),
        fields={"attachments": ["type"]},
    )


def report_file(
    *,
    acting_user,
    task: PlanTask,
    department_id: int,
    period: str,
    text: str,
    percentage: int,
    subtask: PlanSubTask | None = None,
    attachments=(),
) -> ProgressReport:
    """A lead unit's staff file the unit's progress on a task (or on its part) for a quarter."""
    allowed = selectors.reporting_departments(acting_user, task, subtask)
    if not allowed:
        raise PermissionDenied(_("只有牵头单位的工作人员可以报送进展。"))
    if department_id not in allowed:
        raise PermissionDenied(_("不能以该单位的名义报送。"))
    if subtask is not None and subtask.task_id != task.pk:
        raise ValidationFailed(_("子任务不属于该任务。"), fields={"subtask": ["invalid"]})
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("请填写进展情况。"), fields={"text": [_("请填写进展情况。")]})
    try:
        percentage = int(percentage)
    except (TypeError, ValueError):
        percentage = -1
    if not 0 <= percentage <= 100:
        raise ValidationFailed(_("完成进度应为 0 到 100。"), fields={"percentage": ["range"]})
    period_end = _period_end(period)
    attachments = list(attachments or ())
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationFailed(_("附件最多 5 个。"), fields={"attachments": ["count"]})
    kinds = [_check_file(f) for f in attachments]
    with transaction.atomic():
        report = ProgressReport.objects.create(
            task=task,
            subtask=subtask,
            department_id=department_id,
            period=period,
            period_end=period_end,
            text=text,
            percentage=percentage,
            filed_by=acting_user,
        )
        for upload, ext in zip(attachments, kinds, strict=True):
            stored = default_storage.save(f"reform/reports/{report.pk}/{uuid.uuid4().hex}.{ext}", upload)
            ReportAttachment.objects.create(
                report=report, file=stored, file_name=(upload.name or "")[-200:], size=upload.size
            )
        audit_record(
            actor=acting_user,
            action="reform.report_filed",
            target=report,
            changes={
                "task": task.number,
                "period": period,
                "percentage": percentage,
                "attachments": len(kinds),
            },
        )
    return report
