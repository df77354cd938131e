"""Writes of the KPI app: administrators set the current target of a figure for a year."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from bianmin.accounts import rules
from bianmin.audit.services import audit_record
from bianmin.core.exceptions import PermissionDenied, ValidationFailed
from bianmin.kpi.constants import FIGURES, TargetSource
from bianmin.kpi.models import KpiTarget


def kpi_target_set(*, acting_user, figure: str, year: int, value, note: str = "") -> KpiTarget:
    """Set (or change) the administrator's target of ``figure`` for ``year``. Ratios are given as 0–1."""
    if not rules.is_platform_admin(acting_user):
        raise PermissionDenied(_("只有平台管理员可以设定指标目标。"))
    if figure not in FIGURES:
        raise ValidationFailed(_("未知的指标。"), fields={"figure": ["invalid"]})
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(_("目标值应为数字。"), fields={"value": ["invalid"]}) from exc
    if FIGURES[figure].unit == "ratio" and not (0 <= value <= 1):
        raise ValidationFailed(
            _("比例目标应在 0 到 1 之间（如 0.7 表示 70%）。"), fields={"value": ["range"]}
        )
    if value < 0:
        raise ValidationFailed(_("目标值不能为负数。"), fields={"value": ["range"]})
    if not (2019 <= int(year) <= 2100):
        raise ValidationFailed(_("年度不正确。"), fields={"year": ["range"]})
    with transaction.atomic():
        target, created = KpiTarget.objects.select_for_update().get_or_create(
            figure=figure,
            year=int(year),
            source=TargetSource.ADMIN,
            defaults={"value": value, "note": note, "set_by": acting_user},
        )
        before = None if created else str(target.value)
        if not created:
            target.value, target.note, target.set_by = value, note, acting_user
            target.save(update_fields=["value", "note", "set_by", "updated_at"])
        audit_record(
            actor=acting_user,
            action="kpi.target_set",
            target=target,
            changes={"figure": figure, "year": int(year), "value": [before, str(value)]},
        )
    return target
