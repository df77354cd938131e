"""Extension points of the queue. The evaluation app (好差评) subscribes to `service_finished` in its
AppConfig.ready() to invite the applicant to rate the service:

    from bianmin.appointments.registries import register_service_finished
    register_service_finished(lambda done: invite_rating(ticket_id=done.ticket_id, ...))

Handlers run after the transaction commits; an error is logged and never undoes the service.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceFinished:
    ticket_id: int
    number: str
    hall_id: int
    window_id: int | None
    case_id: object | None
    appointment_id: int | None
    user_id: int | None  # the applicant's account when known (appointment holders)
    item_id: int | None
    clerk_id: int | None


ServiceFinishedHandler = Callable[[ServiceFinished], None]
_service_finished: list[ServiceFinishedHandler] = []


def register_service_finished(fn: ServiceFinishedHandler) -> ServiceFinishedHandler:
    if fn not in _service_finished:
        _service_finished.append(fn)
    return fn


def unregister_service_finished(fn: ServiceFinishedHandler) -> None:
    if fn in _service_finished:
        _service_finished.remove(fn)


def publish_service_finished(done: ServiceFinished) -> None:
    for fn in list(_service_finished):
        try:
            fn(done)
        except Exception:  # a consumer's failure never undoes the service at the window
            logger.exception("service_finished handler %r failed for ticket %s", fn, done.ticket_id)
