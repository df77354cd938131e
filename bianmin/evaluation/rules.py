from __future__ import annotations

from bianmin.accounts import rules
from bianmin.accounts.constants import Role

DEPARTMENT_STAFF = (Role.REVIEWER, Role.HEAD)


def is_department_staff(user, department_id) -> bool:
    return department_id is not None and rules.has_role(user, DEPARTMENT_STAFF, department=department_id)


def rates_a_report(evaluation) -> bool:
    """A rating of how a 举报 was handled comes from the 举报人, whom the department must never learn."""
    request = evaluation.invitation.service_request
    return request is not None and request.hides_identity_from_department


def can_call_back(user, rectification) -> bool:
    """The responsible department (or hall) or the hotline desk call the rater back; a 举报人 only the desk."""
    if rules.can_handle_requests(user):
        return True
    return handles_rectification(user, rectification) and not rates_a_report(rectification.evaluation)


def shown_callback_note(user, rectification) -> str:
    """The desk's note of its call to a 举报人 is not for the department."""
    note = rectification.callback_note
    if not note or not rates_a_report(rectification.evaluation):
        return note
    if is_supervisor(user) or rules.can_handle_requests(user):
        return note
    return ""


def shown_comment(user, evaluation) -> str:
    """The rater's free text as this user may read it: for a 举报's rating, redacted for the department."""
    if not evaluation.comment or not rates_a_report(evaluation):
        return evaluation.comment
    if (
        is_supervisor(user)
        or rules.can_handle_requests(user)
        or evaluation.rater_id == getattr(user, "pk", None)
    ):
        return evaluation.comment
    return evaluation.invitation.service_request.redact(evaluation.comment)


def is_supervisor(user) -> bool:
    return rules.is_supervisor(user) or rules.is_platform_admin(user)


def handles_rectification(user, rectification) -> bool:
    """The responsible department's reviewers and heads; for a hall's own service, also its hall managers."""
    if is_department_staff(user, rectification.department_id):
        return True
    hall_id = rectification.evaluation.hall_id
    return hall_id is not None and rules.has_role(user, Role.HALL_MANAGER, hall=hall_id)
