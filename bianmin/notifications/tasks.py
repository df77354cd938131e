"""Periodic work of the message centre (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bianmin.notifications import appointments


@db_periodic_task(crontab(hour="10", minute="0"))  # huey schedules in UTC: 18:00 Beijing time
def appointment_reminders_periodic() -> int:
    return appointments.send_reminders()
