"""Periodic work of the message centre (huey)."""

from __future__ import annotations

from huey.contrib.djhuey import db_periodic_task

from bianmin.core.schedule import in_site_language, local_crontab
from bianmin.notifications import appointments


@db_periodic_task(local_crontab(hour=18))
@in_site_language
def appointment_reminders_periodic() -> int:
    return appointments.send_reminders()
