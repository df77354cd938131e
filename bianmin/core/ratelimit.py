"""Rate limits for public endpoints, keyed by the client's address as the platform sees it.

DRF's own throttles take the client from X-Forwarded-For unless NUM_PROXIES is set, so any client could
pick its own key; these use bianmin.core.middleware.client_address, which trusts that header only behind a
configured proxy (TRUST_X_FORWARDED_FOR). Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] by
scope ("60/min"): the web pages and the API of one feature share one setting (each keeps its own count).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from bianmin.core.middleware import client_address

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate(scope: str) -> tuple[int, int]:
    """("60/min") -> (60, 60): requests allowed and the window in seconds, as DRF reads the same setting."""
    count, period = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].split("/")
    return int(count), PERIODS[period[0]]


def _key(scope: str, request) -> str:
    return f"throttle_{scope}_{client_address(request)}"


class ClientAddressThrottle(SimpleRateThrottle):
    """A DRF throttle per client address; subclasses set `scope` (a key of DEFAULT_THROTTLE_RATES)."""

    def get_rate(self):  # read live (DRF copies the setting into a class attribute at import)
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]

    def get_cache_key(self, request, view):
        return _key(self.scope, request)


def over_limit(request, scope: str) -> bool:
    """Count one request of this client in `scope`; True when it is over the scope's rate (fixed window)."""
    limit, period = _rate(scope)
    key = _key(scope, request) + "_web"
    if cache.add(key, 1, timeout=period):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        return False
