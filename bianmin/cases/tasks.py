"""Background work of the case spine: issue the notice of a step once it commits (rendering a PDF takes
longer than a request should), and tell reviewers and heads which of their cases are due soon or late."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_periodic_task, db_task

from bianmin.accounts.constants import Role
from bianmin.accounts.models import RoleAssignment
from bianmin.cases import selectors
from bianmin.core.schedule import in_site_language, local_crontab
from bianmin.notifications.constants import Category
from bianmin.notifications.services import notify


@db_task(retries=2, retry_delay=60)
def notice_issue_task(case_id: str, kind: str, event_id: int) -> None:
    """Issue (render, seal, store) the notice of one step; a no-op if it is already stored. Scheduled on
    commit by notices.issue_step_notices; a download before this ran issues the same notice itself.
    Returns nothing, so huey keeps no result for it."""
    from bianmin.cases import notices
    from bianmin.cases.models import Case, CaseEvent

    case = Case.objects.select_related("department", "item_version").filter(pk=case_id).first()
    event = CaseEvent.objects.filter(pk=event_id, case_id=case_id).first()
    if case is None or event is None:  # the case was deleted (a test, a purge) before the job ran
        return
    notices.notice_issue(case, kind, event=event)


@in_site_language
def send_deadline_warnings(*, today=None) -> int:
    """One message (and SMS) per reviewer or head of each lead department with yellow or red cases. Returns people told."""
    today = today or timezone.localdate()
    by_department: dict[int, dict[str, int]] = defaultdict(lambda: {"yellow": 0, "red": 0})
    for case, status in selectors.deadline_warnings(today=today):
        by_department[case.department_id][status.colour] += 1
    if not by_department:
        return 0
    sent = 0
    staff = (
        RoleAssignment.objects.filter(
            department_id__in=list(by_department), role__in=[Role.REVIEWER, Role.HEAD], is_active=True
        )
        .select_related("user")
        .order_by("department_id", "user_id")
    )
    seen: set[tuple[int, int]] = set()
    for assignment in staff:
        key = (assignment.department_id, assignment.user_id)
        if key in seen or not assignment.user.is_active:
            continue
        seen.add(key)
        counts = by_department[assignment.department_id]
        text = _("本部门有%(red)d件办件已超期、%(yellow)d件临近期限，请及时处理。") % counts
        # In the message centre, and by SMS to those with a mobile (a periodic job: no action to wait for).
        notify(
            user=assignment.user,
            category=Category.CASE,
            title=_("办件期限预警"),
            body=text,
            link=reverse("cases:queue"),
            target_kind="department",
            target_ref=str(assignment.department_id),
            sms_text=text,
            immediately=True,
        )
        sent += 1
    return sent


@db_periodic_task(local_crontab(hour=8, minute=30))
def deadline_warnings_periodic() -> int:
    return send_deadline_warnings()
