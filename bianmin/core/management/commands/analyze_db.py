from django.core.management.base import BaseCommand

from bianmin.core.dbstats import refresh_planner_statistics


class Command(BaseCommand):
    help = "Refresh the query planner's statistics (ANALYZE; sampled on SQLite). Also run daily by huey."

    def handle(self, *args, **options):
        vendor = refresh_planner_statistics()
        self.stdout.write(self.style.SUCCESS(f"planner statistics refreshed ({vendor})"))
