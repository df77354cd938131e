import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_analyze_db_gives_the_planner_statistics():
    DepartmentFactory.create_batch(3)
    call_command("analyze_db", stdout=open("/dev/null", "w"))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'organisations_department'")
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'organisations_department'")
        assert cursor.fetchone()[0] > 0


def test_daily_task_is_registered():
    from huey.contrib.djhuey import HUEY

    import bianmin.core.tasks  # noqa: F401  (registers the task)

    names = {task.name for task in HUEY._registry.periodic_tasks}
    assert "refresh_planner_statistics_task" in names
