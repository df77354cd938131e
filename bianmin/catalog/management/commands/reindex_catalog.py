"""Rebuild the catalog's full-text index (after a bulk load or to repair it)."""

from django.core.management.base import BaseCommand

from bianmin.catalog.search import reindex_all


class Command(BaseCommand):
    help = "Rebuild the catalog search index (jieba-segmented FTS5 / tsvector)."

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(f"indexed {reindex_all()} items"))
