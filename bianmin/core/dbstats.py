"""Query-planner statistics. PostgreSQL's autovacuum keeps its own; SQLite has none until ANALYZE runs, and
without them it may pick a poor index for the catalog's and the work queue's joins once tables grow."""

from __future__ import annotations

from django.db import connection

# Rows sampled per index on SQLite: approximate statistics in well under a second even on millions of rows.
SQLITE_ANALYSIS_LIMIT = 1000


def refresh_planner_statistics() -> str:
    """ANALYZE the default database (sampled on SQLite). Returns the vendor, for the caller's log."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return connection.vendor
