"""Load the demo district. Idempotent: every app's seed upserts by natural keys, so a second run changes nothing."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from bianmin.core.dbstats import refresh_planner_statistics


class Command(BaseCommand):
    help = "Load the demo district (regions, departments, halls, accounts, catalog, …). Safe to run twice."

    def handle(self, *args, **options):
        today = timezone.localdate()
        finishers = []
        for config in apps.get_app_configs():  # INSTALLED_APPS order = dependency order
            if not config.name.startswith("bianmin."):
                continue
            try:
                module = import_module(f"{config.name}.seed")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.seed":
                    raise
                continue
            with transaction.atomic():
                summary = module.seed(today=today)
            self.stdout.write(f"{config.label}: {summary or 'ok'}")
            if hasattr(module, "seed_finish"):
                finishers.append((config.label, module.seed_finish))
        # Steps that need every app's demo data (the message centre dates and reads the messages they wrote).
        for label, finish in finishers:
            with transaction.atomic():
                summary = finish(today=today)
            self.stdout.write(f"{label}: {summary or 'ok'}")
        refresh_planner_statistics()
        self.stdout.write(self.style.SUCCESS("demo district loaded"))
