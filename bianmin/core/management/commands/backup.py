"""Back up the database and the locally stored uploads into one archive, safely while the site is serving.

    manage.py backup --output /srv/backups/bianmin-$(date +%F).tar.gz

SQLite: the sqlite3 online backup API (a consistent snapshot, readers and writers keep going).
PostgreSQL: pg_dump in custom format (one consistent snapshot as well).
Uploads: the media folder as it is when stored locally; on S3-compatible storage the bucket is backed up by
its own versioning/replication (see docs/operations.md) and is not copied here.
The archive holds manifest.json, database.sqlite3 or database.pgdump, and media/.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "bianmin-backup"
FORMAT_VERSION = 1
SQLITE_MEMBER = "database.sqlite3"
PGDUMP_MEMBER = "database.pgdump"
MEDIA_MEMBER = "media"


def local_media_root() -> Path | None:
    """The uploads folder when the default storage is the local file system, else None (S3)."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


def postgres_command_env(connection) -> tuple[list[str], dict[str, str]]:
    """Connection arguments (-h -p -U) and environment (PGPASSWORD, PGSSLMODE, …) for pg_dump/pg_restore."""
    from django.db.backends.postgresql.client import DatabaseClient

    args, env = DatabaseClient.settings_to_cmd_args_env(connection.settings_dict, [])
    # args = ["psql", "-U", user, "-h", host, "-p", port, dbname]: keep the options, drop program and name
    options = args[1:-1] if len(args) > 1 and args[-1] == connection.settings_dict.get("NAME") else args[1:]
    return options, {**os.environ, **(env or {})}


def migration_state(connection) -> dict[str, str]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    latest: dict[str, str] = {}
    for app, name in recorder.migration_qs.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


def sqlite_snapshot(connection, target: Path) -> None:
    """Copy the live database with SQLite's online backup API through Django's own connection."""
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        with destination:
            connection.connection.backup(destination)
    finally:
        destination.close()


def pg_dump(connection, target: Path) -> None:
    if not shutil.which("pg_dump"):
        raise CommandError("pg_dump is not installed (Debian package postgresql-client)")
    options, env = postgres_command_env(connection)
    cmd = [
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--file={target}",
        *options,
        connection.settings_dict["NAME"],
    ]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CommandError(f"pg_dump failed: {result.stderr.strip()}")


class Command(BaseCommand):
    help = "备份数据库与本地上传文件（运行中可用）。Back up the database and local uploads into one archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", required=True, help="archive to write (.tar.gz)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")
        parser.add_argument("--no-media", action="store_true", help="leave the uploads out")

    def handle(self, *args, **options):
        output = Path(options["output"]).resolve()
        output.parent.mkdir(parents=True, exist_ok=True)
        connection = connections[options["database"]]
        vendor = connection.vendor
        media_root = None if options["no_media"] else local_media_root()

        with tempfile.TemporaryDirectory(prefix="bianmin-backup-", dir=output.parent) as tmp:
            tmp_path = Path(tmp)
            if vendor == "sqlite":
                member = SQLITE_MEMBER
                sqlite_snapshot(connection, tmp_path / member)
            elif vendor == "postgresql":
                member = PGDUMP_MEMBER
                pg_dump(connection, tmp_path / member)
            else:
                raise CommandError(f"backup supports SQLite and PostgreSQL, not {vendor}")

            media_files = 0
            if media_root is not None and media_root.is_dir():
                media_files = sum(1 for p in media_root.rglob("*") if p.is_file())
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "engine": vendor,
                "database": member,
                "migrations": migration_state(connection),
                "media": media_root is not None,
                "media_files": media_files,
            }
            (tmp_path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))

            partial = tmp_path / "archive.partial"
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(tmp_path / "manifest.json", arcname="manifest.json")
                archive.add(tmp_path / member, arcname=member)
                if media_root is not None:
                    info = tarfile.TarInfo(MEDIA_MEMBER)
                    info.type, info.mode = tarfile.DIRTYPE, 0o755
                    archive.addfile(info)
                    if media_root.is_dir():
                        for path in sorted(media_root.rglob("*")):
                            arcname = f"{MEDIA_MEMBER}/{path.relative_to(media_root).as_posix()}"
                            archive.add(path, arcname=arcname, recursive=False)
            os.replace(partial, output)  # never leave a half-written archive under the final name

        size = output.stat().st_size
        media_text = f", {media_files} uploaded files" if media_root is not None else ", uploads not included"
        self.stdout.write(
            self.style.SUCCESS(
                f"backup written: {output} ({size / 1024 / 1024:.1f} MiB, {vendor}{media_text})"
            )
        )
