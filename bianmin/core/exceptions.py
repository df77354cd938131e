"""The one error type that services raise; the API and the web UI render it the same way."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A refusal the user should read: a machine code, a translated message and an HTTP status."""

    code = "application_error"
    http_status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        http_status: int | None = None,
        fields: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        if http_status:
            self.http_status = http_status
        self.fields = fields or {}
        self.extra = extra or {}


class ValidationFailed(ApplicationError):
    code = "invalid"
    http_status = 400


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    http_status = 403


class NotFound(ApplicationError):
    code = "not_found"
    http_status = 404


class StateConflict(ApplicationError):
    """Wrong state or a stale version: somebody else acted first."""

    code = "state_conflict"
    http_status = 409
