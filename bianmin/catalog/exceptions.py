"""Refusals of the catalog services (codes in English, messages in Chinese)."""

from django.utils.translation import gettext_lazy as _

from bianmin.core.exceptions import PermissionDenied, StateConflict, ValidationFailed


class CatalogValidationError(ValidationFailed):
    code = "catalog_invalid"


class PublicationRefused(ValidationFailed):
    """The version breaks a rule that every published version must keep."""

    code = "publication_refused"


class VersionStateConflict(StateConflict):
    code = "version_state_conflict"

    def __init__(self, *, version, action: str, message=None) -> None:
        super().__init__(
            message
            or _("该版本当前状态为“%(state)s”，不能执行此操作。") % {"state": version.get_state_display()},
            extra={"state": version.state, "action": action},
        )


class CatalogPermissionDenied(PermissionDenied):
    code = "catalog_permission_denied"
