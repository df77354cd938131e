"""Periodic jobs: keep slots generated ahead, mark missed appointments as no-shows."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bianmin.appointments import services
from bianmin.core.schedule import local_crontab
from bianmin.organisations.models import Hall


@db_periodic_task(local_crontab(hour=1, minute=10))
def generate_slots() -> int:
    today = timezone.localdate()
    return sum(
        services.slots_generate(hall=hall, start=today) for hall in Hall.objects.filter(is_active=True)
    )


@db_periodic_task(crontab(minute="*/15"))
def mark_no_shows() -> int:
    return services.appointments_mark_no_shows()
