from django.utils.translation import gettext_lazy as _

from bianmin.core.exceptions import NotFound, PermissionDenied, StateConflict, ValidationFailed


class RequestNotFound(NotFound):
    code = "request_not_found"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("未找到该诉求。"), **kwargs)


class RequestStateError(StateConflict):
    code = "request_wrong_state"


class RequestInvalid(ValidationFailed):
    code = "request_invalid"


class RequestForbidden(PermissionDenied):
    code = "request_forbidden"


class FaqNotFound(NotFound):
    code = "faq_not_found"
