from django.utils.translation import gettext_lazy as _

from bianmin.core.exceptions import NotFound, PermissionDenied, StateConflict, ValidationFailed


class AppointmentValidationError(ValidationFailed):
    code = "appointment_invalid"


class SlotFull(StateConflict):
    code = "slot_full"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("该时段已约满，请选择其他时段。"), **kwargs)


class DailyLimitReached(ValidationFailed):
    code = "daily_limit_reached"


class BookingBlocked(PermissionDenied):
    code = "booking_blocked"


class AppointmentStateConflict(StateConflict):
    code = "appointment_state_conflict"


class QueuePermissionDenied(PermissionDenied):
    code = "queue_permission_denied"


class QueueNotFound(NotFound):
    code = "not_found"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("未找到。"), **kwargs)


class TicketStateConflict(StateConflict):
    code = "ticket_state_conflict"
