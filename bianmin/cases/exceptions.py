"""Refusals of the case services: English codes, Chinese messages, HTTP statuses per design.md §6."""

from django.utils.translation import gettext as _

from bianmin.core.exceptions import NotFound, PermissionDenied, StateConflict, ValidationFailed


class CaseNotFound(NotFound):
    code = "case_not_found"

    def __init__(self, message=None) -> None:
        super().__init__(message or _("办件不存在或您无权查看。"))


class CasePermissionDenied(PermissionDenied):
    code = "case_permission_denied"


class CaseValidationError(ValidationFailed):
    code = "case_invalid"


class UploadRejected(ValidationFailed):
    code = "upload_rejected"


class CaseStateConflict(StateConflict):
    """The action is not allowed from the case's current state."""

    code = "case_state_conflict"

    def __init__(self, *, case, action: str, message=None) -> None:
        super().__init__(
            message
            or _("办件当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {"state": case.get_state_display(), "action": action},
            extra={"state": case.state, "action": action},
        )


class CaseStaleVersion(StateConflict):
    """Somebody else changed the case since the form was loaded."""

    code = "case_stale_version"

    def __init__(self, *, case=None) -> None:
        super().__init__(
            _("办件已被他人更新，请刷新后重试。"),
            extra={"version": getattr(case, "version", None)},
        )
