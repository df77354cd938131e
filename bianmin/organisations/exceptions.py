from django.utils.translation import gettext_lazy as _

from bianmin.core.exceptions import PermissionDenied, ValidationFailed


class OrganisationPermissionDenied(PermissionDenied):
    code = "organisation_permission_denied"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("只有平台管理员可以维护组织机构。"), **kwargs)


class OrganisationInvalid(ValidationFailed):
    code = "organisation_invalid"
