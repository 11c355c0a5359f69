"""`manage.py backup` and `manage.py restore`: a snapshot taken while writers carry on comes
back table for table, on the database the suite runs on (SQLite or PostgreSQL)."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ficshelf.archive.backups import Database, make_backup, restore_backup
from ficshelf.works.models import Work
from tests.factories import make_user, make_work

ROOT = Path(__file__).resolve().parents[2]


def _target(name: str, tmp_path: Path) -> Database:
    """An empty database beside the test database, of the same engine."""
    source = Database.from_settings()
    if source.engine == "sqlite":
        return Database("sqlite", str(tmp_path / f"{name}.sqlite3"))
    return Database(
        "postgresql",
        f"{source.name}_{name}_{os.getpid()}",
        source.user,
        source.password,
        source.host,
        source.port,
    )


@pytest.fixture
def restore_target(tmp_path):
    targets = []

    def make(name: str = "restored") -> Database:
        target = _target(name, tmp_path)
        targets.append(target)
        return target

    yield make
    for target in targets:
        if target.engine == "postgresql":
            with target.pg_connect("postgres") as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')


def _url(target: Database) -> str:
    if target.engine == "sqlite":
        return f"sqlite:///{target.name}"
    host = f"{target.host or '127.0.0.1'}:{target.port or 5432}"
    return f"postgres://{target.user or 'postgres'}@{host}/{target.name}"


def _works_without_chapters(target: Database) -> int:
    sql = (
        "SELECT count(*) FROM works_work w WHERE NOT EXISTS "
        "(SELECT 1 FROM works_chapter c WHERE c.work_id = w.id)"
    )
    if target.engine == "sqlite":
        with sqlite3.connect(target.name) as restored:
            return restored.execute(sql).fetchone()[0]
    with target.pg_connect() as restored:
        return restored.execute(sql).fetchone()[0]


def _count(target: Database, table: str) -> int:
    sql = f"SELECT count(*) FROM {table}"  # noqa: S608 - our own table names
    if target.engine == "sqlite":
        with sqlite3.connect(target.name) as restored:
            return restored.execute(sql).fetchone()[0]
    with target.pg_connect() as restored:
        return restored.execute(sql).fetchone()[0]


class Writer(threading.Thread):
    """Posts works (each with its chapter, in one transaction) until told to stop, noting when
    each was acknowledged."""

    def __init__(self, author):
        super().__init__(daemon=True)
        self.author = author
        self.stop = threading.Event()
        self.acknowledged: list[float] = []
        self.error: BaseException | None = None

    def run(self):
        try:
            while not self.stop.is_set():
                make_work(self.author, title=f"Written during the backup {len(self.acknowledged)}")
                self.acknowledged.append(time.monotonic())
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_under_write_load_restores_every_table_identically(
    tmp_path, settings, restore_target
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    author = make_user("backed_up_author")
    for number in range(25):
        make_work(author, chapters=2, title=f"Before the backup {number}")
    before = Work.objects.count()

    writer = Writer(author)
    writer.start()
    while len(writer.acknowledged) < 3:  # the writer is well under way
        time.sleep(0.01)
    # Back up again until a write was acknowledged while a backup ran (a small test archive
    # is copied in milliseconds), then restore that one.
    for attempt in range(50):
        started = time.monotonic()
        folder = make_backup(tmp_path / f"backups-{attempt}")
        finished = time.monotonic()
        during = [t for t in writer.acknowledged if started <= t <= finished]
        if during:
            break
    writer.stop.set()
    writer.join(timeout=30)
    assert writer.error is None
    assert during, "no write landed during any of 50 backups"

    target = restore_target()
    result = restore_backup(folder, database=target, media_root=tmp_path / "restored-media")

    assert result.identical, result.differing
    assert result.tables >= 30 and result.rows > 0
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"]["works_work"]["rows"] >= before
    # One moment: every work in the snapshot came with its chapter.
    assert _works_without_chapters(target) == 0
    assert _count(target, "works_work") == manifest["tables"]["works_work"]["rows"]
    # Works acknowledged after the snapshot are in the live archive, not in the backup.
    assert Work.objects.count() > manifest["tables"]["works_work"]["rows"]
    print(
        f"backup: {result.tables} tables, {result.rows} rows, {len(during)} works posted "
        f"during the {finished - started:.2f} s backup; restored identical"
    )


@pytest.mark.django_db(transaction=True)
def test_the_restored_database_is_a_working_archive(tmp_path, settings, restore_target):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    make_work(make_user("restored_author"), title="Kept safe")
    folder = make_backup(tmp_path / "backups")
    target = restore_target()
    assert restore_backup(folder, database=target, media_root=tmp_path / "m").identical

    checked = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _url(target)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.django_db(transaction=True)
def test_uploaded_files_come_back_and_the_downloads_cache_is_left_out(
    tmp_path, settings, restore_target
):
    media = tmp_path / "media"
    (media / "avatars").mkdir(parents=True)
    (media / "avatars" / "a.png").write_bytes(b"\x89PNG picture")
    (media / "downloads").mkdir()
    (media / "downloads" / "cached.epub").write_bytes(b"rebuilt on demand")
    settings.MEDIA_ROOT = str(media)
    make_user("uploader")

    folder = make_backup(tmp_path / "backups")
    restored_media = tmp_path / "restored-media"
    restore_backup(folder, database=restore_target(), media_root=restored_media)

    assert (restored_media / "avatars" / "a.png").read_bytes() == b"\x89PNG picture"
    assert not (restored_media / "downloads").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_an_archive(tmp_path, settings, restore_target):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    make_user("someone")
    folder = make_backup(tmp_path / "backups")
    target = restore_target()
    restore_backup(folder, database=target, media_root=tmp_path / "m")

    url = _url(target)
    with pytest.raises(CommandError, match="already holds"):
        call_command("restore", str(folder), into=url, media_root=tmp_path / "m")
    # Told to, it replaces it, and says every table matches.
    call_command("restore", str(folder), into=url, media_root=tmp_path / "m", replace=True)


def test_a_folder_that_is_not_a_backup_is_refused_with_a_reason(tmp_path):
    with pytest.raises(CommandError, match="not a Ficshelf backup"):
        call_command("restore", str(tmp_path), into=str(tmp_path / "x.sqlite3"))
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(tmp_path), into=str(tmp_path / "x.sqlite3"))


def test_a_backup_of_one_engine_is_not_loaded_into_the_other(tmp_path):
    (tmp_path / "manifest.json").write_text(
        json.dumps({"format": 1, "engine": "postgresql", "tables": {}})
    )
    with pytest.raises(CommandError, match="postgresql database"):
        call_command("restore", str(tmp_path), into=str(tmp_path / "x.sqlite3"))


@pytest.mark.django_db(transaction=True)
def test_the_backup_command_names_its_folder(tmp_path, settings, capsys):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    make_user("named")
    call_command("backup", str(tmp_path / "out"))
    folder = next((tmp_path / "out").iterdir())
    assert str(folder) in capsys.readouterr().out
    assert {p.name for p in folder.iterdir()} >= {"manifest.json", "media.tar"}
