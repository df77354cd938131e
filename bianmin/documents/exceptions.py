from django.utils.translation import gettext_lazy as _

from bianmin.core.exceptions import NotFound, PermissionDenied, StateConflict, ValidationFailed


class SealPermissionDenied(PermissionDenied):
    code = "seal_permission_denied"


class SealInvalid(ValidationFailed):
    code = "seal_invalid"


class SealConflict(StateConflict):
    code = "seal_conflict"


class SealNotFound(NotFound):
    code = "seal_not_found"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("印章不存在。"), **kwargs)
