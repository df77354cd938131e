"""SMS to the people concerned, after the commit (the pluggable sender of the foundation)."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from bianmin.notifications.senders import get_sms_sender

logger = logging.getLogger(__name__)
PREFIX = "【龙湖政务】"


def send_sms(mobile: str, text: str) -> None:
    if not mobile:
        return
    try:
        get_sms_sender().send(mobile=mobile, text=_(PREFIX) + text)
    except Exception:  # a gateway failure must not undo the step it reports
        logger.exception("SMS not sent")


def staff_mobiles(*, role: str, department_id: int | None = None) -> list[str]:
    from bianmin.accounts.models import User

    qs = User.objects.filter(role_assignments__role=role, role_assignments__is_active=True, is_active=True)
    if department_id is not None:
        qs = qs.filter(role_assignments__department_id=department_id)
    return [u.mobile for u in qs.distinct() if u.mobile]
