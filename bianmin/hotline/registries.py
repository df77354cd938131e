"""Extension point of the request desk: apps built on top (evaluation) hear when a request is closed.

from bianmin.hotline.registries import register_request_closed
register_request_closed(fn)   # fn(RequestClosed), called after the commit; errors are logged
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequestClosed:
    request_id: int
    number: str
    kind: str
    requester_id: int | None
    department_id: int | None
    close_reason: str


_closed: list[Callable[[RequestClosed], None]] = []


def register_request_closed(fn: Callable[[RequestClosed], None]):
    if fn not in _closed:
        _closed.append(fn)
    return fn


def unregister_request_closed(fn) -> None:
    if fn in _closed:
        _closed.remove(fn)


def publish_request_closed(done: RequestClosed) -> None:
    for fn in list(_closed):
        try:
            fn(done)
        except Exception:  # a consumer's failure never undoes the closing
            logger.exception("request_closed handler %r failed for %s", fn, done.number)
