"""Restore an archive written by `manage.py backup`: the database and, when stored locally, the uploads.

    manage.py restore /srv/backups/bianmin-2026-11-28.tar.gz            # asks for confirmation
    manage.py restore --noinput /srv/backups/bianmin-2026-11-28.tar.gz

Stop gunicorn and the huey consumers first. The database is replaced as a whole (SQLite: the online backup
API copies the archived database over the live one; PostgreSQL: pg_restore --clean in one transaction), the
uploads folder is replaced by the archived one. Restore into the same release the backup was taken with,
then run `manage.py migrate` if the code is newer.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from bianmin.core.management.commands.backup import (
    FORMAT,
    MEDIA_MEMBER,
    PGDUMP_MEMBER,
    SQLITE_MEMBER,
    local_media_root,
    postgres_command_env,
)


def _safe_extract(archive: tarfile.TarFile, target: Path) -> None:
    root = target.resolve()
    for member in archive.getmembers():
        destination = (root / member.name).resolve()
        if not destination.is_relative_to(root) or member.issym() or member.islnk() or member.isdev():
            raise CommandError(f"refusing unsafe archive member: {member.name}")
    if hasattr(tarfile, "data_filter"):
        archive.extractall(target, filter="data")
    else:  # pragma: no cover - Python < 3.11.4
        archive.extractall(target)  # members checked above


def sqlite_restore(connection, source: Path) -> None:
    """Copy the archived database over the live one, page by page, through Django's connection."""
    connection.close()
    connection.ensure_connection()
    archived = sqlite3.connect(source)
    try:
        archived.backup(connection.connection)
    finally:
        archived.close()
    connection.close()  # drop any cached state; the next query reconnects to the restored database


def pg_restore(connection, source: Path) -> None:
    if not shutil.which("pg_restore"):
        raise CommandError("pg_restore is not installed (Debian package postgresql-client)")
    options, env = postgres_command_env(connection)
    name = connection.settings_dict["NAME"]
    connections.close_all()  # our own idle connections must not hold locks on the tables being replaced
    cmd = [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        *options,
        f"--dbname={name}",
        str(source),
    ]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CommandError(f"pg_restore failed (nothing was changed): {result.stderr.strip()}")


def media_restore(archived: Path, media_root: Path) -> int:
    """Replace the uploads folder with the archived one; the old folder is removed only after the swap."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged = media_root.with_name(f".{media_root.name}.restore-{uuid.uuid4().hex[:8]}")
    if archived.is_dir():
        shutil.copytree(archived, staged)
    else:
        staged.mkdir()
    old = media_root.with_name(f".{media_root.name}.old-{uuid.uuid4().hex[:8]}")
    if media_root.exists():
        media_root.rename(old)
    staged.rename(media_root)
    shutil.rmtree(old, ignore_errors=True)
    return sum(1 for p in media_root.rglob("*") if p.is_file())


class Command(BaseCommand):
    help = "从备份恢复数据库与上传文件。Restore the database and local uploads from a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="archive written by manage.py backup")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")
        parser.add_argument("--no-media", action="store_true", help="restore the database only")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="do not ask to confirm"
        )

    def handle(self, *args, **options):
        archive_path = Path(options["archive"])
        if not archive_path.is_file():
            raise CommandError(f"no such archive: {archive_path}")
        connection = connections[options["database"]]

        with tempfile.TemporaryDirectory(prefix="bianmin-restore-") as tmp:
            tmp_path = Path(tmp)
            try:
                with tarfile.open(archive_path, "r:*") as archive:
                    _safe_extract(archive, tmp_path)
            except tarfile.TarError as exc:
                raise CommandError(f"not a backup archive: {exc}")
            try:
                manifest = json.loads((tmp_path / "manifest.json").read_text())
            except (OSError, ValueError):
                raise CommandError("not a backup archive: manifest.json missing or unreadable")
            if manifest.get("format") != FORMAT:
                raise CommandError("not a bianmin backup archive")
            if manifest["engine"] != connection.vendor:
                raise CommandError(
                    f"this backup is of a {manifest['engine']} database; the configured database is "
                    f"{connection.vendor}. Restore it with the same engine (DATABASE_URL) it was taken from."
                )
            media_root = None if options["no_media"] or not manifest.get("media") else local_media_root()

            target = connection.settings_dict["NAME"]
            if options["interactive"]:
                what = f"database {target}" + (f" and uploads in {media_root}" if media_root else "")
                answer = input(
                    f"This replaces the {what} with the backup of {manifest['created_at']}.\n"
                    "Type 'yes' to continue: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("restore cancelled")

            if connection.vendor == "sqlite":
                sqlite_restore(connection, tmp_path / SQLITE_MEMBER)
            else:
                pg_restore(connection, tmp_path / PGDUMP_MEMBER)

            restored_files = None
            if media_root is not None:
                restored_files = media_restore(tmp_path / MEDIA_MEMBER, media_root)

        executor = MigrationExecutor(connections[options["database"]])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        self.stdout.write(
            self.style.SUCCESS(
                f"restored {connection.vendor} database {target} from {manifest['created_at']}"
                + (f" and {restored_files} uploaded files" if restored_files is not None else "")
            )
        )
        if pending:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(pending)} migrations of this release are not applied: run manage.py migrate"
                )
            )
