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


def test_local_crontab_is_beijing_time_on_hueys_utc_clock():
    import datetime as dt

    from bianmin.core.schedule import local_crontab

    at_0830_beijing = local_crontab(hour=8, minute=30)
    assert at_0830_beijing(dt.datetime(2026, 11, 27, 0, 30))  # 00:30 UTC = 08:30 Beijing
    assert not at_0830_beijing(dt.datetime(2026, 11, 27, 8, 30))
    assert local_crontab(hour=2, minute=40)(dt.datetime(2026, 11, 26, 18, 40))  # previous UTC day


def test_in_site_language_writes_chinese_after_an_english_request():
    from django.utils import translation
    from django.utils.translation import gettext as _

    from bianmin.core.schedule import in_site_language

    compose = in_site_language(lambda: _("办件期限预警"))
    with translation.override("en"):
        assert compose() == "办件期限预警"
        assert _("办件期限预警") != "办件期限预警"  # English is really active around it
