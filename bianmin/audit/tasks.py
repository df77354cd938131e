"""Periodic audit work: sign a checkpoint of every partition that moved, so a deleted tail shows."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bianmin.audit.services import audit_checkpoint_partitions


@db_periodic_task(crontab(minute="*/10"))
def audit_checkpoint_periodic() -> int:
    return len(audit_checkpoint_partitions())
