"""Backup and restore: rows and uploads written after a backup are gone after restoring it, changed and
deleted rows are back. Runs on SQLite and, with DATABASE_URL, on PostgreSQL (pytest-django's test_<name>)."""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from bianmin.accounts.models import User
from bianmin.core.management.commands.backup import sqlite_snapshot
from bianmin.organisations.models import Region
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def backup(path) -> str:
    out = io.StringIO()
    call_command("backup", "--output", str(path), stdout=out)
    return out.getvalue()


def restore(path, *args) -> str:
    out = io.StringIO()
    call_command("restore", str(path), "--noinput", *args, stdout=out)
    return out.getvalue()


def test_restore_brings_back_rows_and_uploads(tmp_path, media):
    kept = UserFactory(full_name="张三")
    deleted = UserFactory(full_name="李四")
    region = RegionFactory(name="金霞街道")
    default_storage.save("uploads/licence.pdf", ContentFile(b"%PDF-1.7 original"))
    archive = tmp_path / "backup.tar.gz"

    message = backup(archive)

    assert archive.exists()
    assert "1 uploaded files" in message
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["engine"] == connection.vendor
    assert manifest["migrations"]["accounts"]

    # After the backup: change, delete, add rows and files.
    User.objects.filter(pk=kept.pk).update(full_name="王五")
    User.objects.filter(pk=deleted.pk).delete()
    added = UserFactory(full_name="新用户")
    Region.objects.filter(pk=region.pk).update(name="改名街道")
    default_storage.delete("uploads/licence.pdf")
    default_storage.save("uploads/later.pdf", ContentFile(b"%PDF-1.7 later"))

    restore(archive)

    assert User.objects.get(pk=kept.pk).full_name == "张三"
    restored = User.objects.get(pk=deleted.pk)
    assert restored.full_name == "李四"
    assert restored.id_card_no == deleted.id_card_no  # encrypted column decrypts with the same key
    assert not User.objects.filter(pk=added.pk).exists()
    assert Region.objects.get(pk=region.pk).name == "金霞街道"
    assert (media / "uploads" / "licence.pdf").read_bytes() == b"%PDF-1.7 original"
    assert not (media / "uploads" / "later.pdf").exists()


def test_restore_without_media_leaves_uploads_alone(tmp_path, media):
    UserFactory(full_name="张三")
    archive = tmp_path / "backup.tar.gz"
    backup(archive)
    default_storage.save("later.txt", ContentFile(b"after the backup"))

    restore(archive, "--no-media")

    assert (media / "later.txt").exists()
    assert User.objects.filter(full_name="张三").exists()


def test_restore_refuses_a_backup_of_another_engine(tmp_path, media):
    archive = tmp_path / "other.tar.gz"
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest = json.dumps(
        {"format": "bianmin-backup", "version": 1, "engine": other, "created_at": "x"}
    ).encode()
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
    UserFactory(full_name="张三")

    with pytest.raises(CommandError, match="same engine"):
        restore(archive)
    assert User.objects.filter(full_name="张三").exists()


def test_restore_refuses_what_is_not_a_backup(tmp_path, media):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a backup archive"):
        restore(bogus)


def test_restore_refuses_archive_members_outside_the_target(tmp_path, media):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("../escaped.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    with pytest.raises(CommandError, match="unsafe"):
        restore(archive)
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_sqlite_snapshot_is_consistent_while_a_writer_holds_a_transaction(tmp_path):
    live = tmp_path / "live.sqlite3"
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (n INTEGER)")
    writer.execute("INSERT INTO t VALUES (1)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO t VALUES (2)")  # not committed while the backup runs

    reader = sqlite3.connect(live)
    fake = SimpleNamespace(ensure_connection=lambda: None, connection=reader)
    sqlite_snapshot(fake, tmp_path / "snap.sqlite3")
    writer.execute("COMMIT")

    copy = sqlite3.connect(tmp_path / "snap.sqlite3")
    assert copy.execute("SELECT n FROM t ORDER BY n").fetchall() == [(1,)]
    for conn in (copy, reader, writer):
        conn.close()
