"""Import a catalog workbook (.xlsx, layout in docs/catalog-import.md): validate, report, then write."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bianmin.catalog import importexport
from bianmin.catalog.search import reindex_all
from bianmin.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Validate and import a catalog .xlsx. Nothing is written when --dry-run or when a row has errors."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--as", dest="username", default="admin", help="platform administrator to act as")
        parser.add_argument(
            "--valid-only", action="store_true", help="skip rows with errors, write the others"
        )
        parser.add_argument("--publish", action="store_true", help="publish rows whose codes are valid")
        parser.add_argument("--dry-run", action="store_true", help="only print the per-row report")

    def handle(self, *args, path, username, valid_only, publish, dry_run, **options):
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}")
        try:
            report = importexport.validate_workbook(content)
        except importexport.ImportFileError as exc:
            raise CommandError(str(exc.message))
        for row in report.rows:
            if row.status != importexport.OK:
                messages = row.errors + row.code_problems + row.warnings
                self.stdout.write(f"row {row.row} [{row.status}] {row.name}: " + " / ".join(messages))
        for message in report.file_errors:
            self.stdout.write(f"file: {message}")
        self.stdout.write(f"summary: {report.summary()}")
        if dry_run:
            return
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        try:
            result = importexport.write_import(
                report, acting_user=user, valid_only=valid_only, publish=publish
            )
        except ApplicationError as exc:
            raise CommandError(str(exc.message))
        reindex_all()
        self.stdout.write(self.style.SUCCESS(f"imported: {result.as_dict()}"))
