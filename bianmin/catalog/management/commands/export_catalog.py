"""Export the published catalog to .xlsx (re-importable layout) or .json."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bianmin.catalog import importexport


class Command(BaseCommand):
    help = "Export the published catalog. The format follows the file name: .xlsx or .json."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        target = Path(path)
        if target.suffix == ".xlsx":
            target.write_bytes(importexport.export_xlsx())
        elif target.suffix == ".json":
            target.write_text(importexport.export_json(), encoding="utf-8")
        else:
            raise CommandError("the file name must end in .xlsx or .json")
        self.stdout.write(self.style.SUCCESS(f"wrote {target}"))
