from django.utils.translation import gettext_lazy as _

from bianmin.core.exceptions import NotFound, PermissionDenied, StateConflict, ValidationFailed


class LicenceInvalid(ValidationFailed):
    code = "licence_invalid"


class LicencePermissionDenied(PermissionDenied):
    code = "licence_permission_denied"


class LicenceConflict(StateConflict):
    code = "licence_conflict"


class LicenceNotFound(NotFound):
    code = "licence_not_found"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("证照不存在。"), **kwargs)


class ShareLinkInvalid(NotFound):
    code = "share_link_invalid"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("分享链接无效或已过期。"), **kwargs)
