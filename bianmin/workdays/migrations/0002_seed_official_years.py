"""Reference data: the official years chinese_calendar covers (2004–2026 in 1.11), so every database,
test databases included, starts with a calendar."""

from django.db import migrations


def seed(apps, schema_editor):
    from bianmin.workdays.seeding import seed_package_years

    seed_package_years(apps.get_model("workdays", "CalendarYear"), apps.get_model("workdays", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [
        ("workdays", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop, elidable=False),
    ]
