"""Settings of the appointments app, each overridable in Django settings (defaults below)."""

from django.conf import settings

DEFAULTS = {
    "APPOINTMENT_DAILY_LIMIT": 3,  # active bookings per person per day
    "APPOINTMENT_NO_SHOW_LIMIT": 3,  # no-shows ...
    "APPOINTMENT_NO_SHOW_WINDOW_DAYS": 30,  # ... within this many days ...
    "APPOINTMENT_BLOCK_DAYS": 30,  # ... block online booking for this many days
    "APPOINTMENT_DAYS_AHEAD": 10,  # working days of slots kept generated
    "QUEUE_NO_SHOW_MIN_CALLS": 2,  # a ticket is marked no-show only after it was called this often
    "QUEUE_DEFAULT_SERVICE_MINUTES": 10,  # expected service time before a hall has history
}


def get(name: str) -> int:
    return getattr(settings, name, DEFAULTS[name])
