from django.utils.translation import gettext_lazy as _

from bianmin.core.exceptions import NotFound, PermissionDenied, StateConflict, ValidationFailed


class InvitationNotFound(NotFound):
    code = "invitation_not_found"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("评价链接无效或已失效。"), **kwargs)


class EvaluationNotFound(NotFound):
    code = "evaluation_not_found"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("未找到该评价。"), **kwargs)


class AlreadyRated(StateConflict):
    code = "already_rated"


class EvaluationInvalid(ValidationFailed):
    code = "evaluation_invalid"


class EvaluationForbidden(PermissionDenied):
    code = "evaluation_forbidden"


class RectificationStateError(StateConflict):
    code = "rectification_wrong_state"
