"""Backups an archive runner can trust: a consistent snapshot taken while the site is live, and
a restore that proves it brought everything back.

A backup is a folder:

- `database.sqlite3` (SQLite's online backup API, copied in one step: one read transaction, so
  one moment, while writers carry on in WAL) or `database.pgdump` (`pg_dump`'s custom format,
  taken in an exported snapshot);
- `media.tar`, the uploaded files (MEDIA_ROOT), without the downloads cache, which is rebuilt
  on demand;
- `manifest.json`: when, which database engine, and each table's row count and content hash,
  computed from the same snapshot the dump holds.

`restore` loads a backup into an empty database (refusing one that holds an archive, unless
told to replace it), unpacks the files, then hashes every table again and compares: a restore
that differs from its manifest in any table fails loudly.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_FILE = "media.tar"
# Rebuilt from the works whenever a reader asks (ficshelf.downloads.files).
MEDIA_SKIPPED = {"downloads"}
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason for the archive runner."""


@dataclass(frozen=True)
class Database:
    """Where a database is: the engine and what its command-line tools need."""

    engine: str  # "sqlite" or "postgresql"
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, alias: str = "default") -> "Database":
        return cls._from_config(settings.DATABASES[alias])

    @classmethod
    def from_url(cls, url: str) -> "Database":
        return cls._from_config(dj_database_url.parse(url))

    @classmethod
    def _from_config(cls, config: dict) -> "Database":
        engine = config["ENGINE"]
        if engine.endswith("sqlite3"):
            return cls("sqlite", str(config["NAME"]))
        if "postgresql" in engine:
            return cls(
                "postgresql",
                config["NAME"],
                config.get("USER") or "",
                config.get("PASSWORD") or "",
                config.get("HOST") or "",
                str(config.get("PORT") or ""),
            )
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")

    # --- PostgreSQL's tools -----------------------------------------------------------------
    def pg_args(self, name: str | None = None) -> list[str]:
        args = ["--dbname", name or self.name]
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def pg_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def pg_connect(self, name: str | None = None):
        import psycopg

        return psycopg.connect(
            dbname=name or self.name,
            user=self.user or None,
            password=self.password or None,
            host=self.host or None,
            port=self.port or None,
            autocommit=True,
        )


# --- Table hashes --------------------------------------------------------------------------


def _canonical(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return "b:" + value.hex()
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return "t:" + value.isoformat()
    if isinstance(value, float):
        return "f:" + repr(value)
    if value is None:
        return "n:"
    return f"{type(value).__name__[:1]}:{value}"


def _hash_rows(rows) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(json.dumps([_canonical(v) for v in row]).encode())
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def sqlite_table_hashes(connection: sqlite3.Connection) -> dict[str, dict]:
    """Every real table's rows and hash (FTS5 virtual tables are hashed through their shadow
    tables, which hold their data)."""
    tables = [
        name
        for name, sql in connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
        if not (sql or "").upper().startswith("CREATE VIRTUAL TABLE")
    ]
    hashes = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        width = len(connection.execute(f"SELECT * FROM {quoted} LIMIT 0").description)
        order = ", ".join(str(i) for i in range(1, width + 1))
        rows, digest = _hash_rows(connection.execute(f"SELECT * FROM {quoted} ORDER BY {order}"))
        hashes[table] = {"rows": rows, "sha256": digest}
    return hashes


def pg_table_hashes(cursor) -> dict[str, dict]:
    """Every table of the current schema, read in the cursor's transaction (its snapshot).
    Rows are ordered by their text form, which every column type has."""
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    hashes = {}
    for (table,) in cursor.fetchall():
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(f"SELECT * FROM {quoted} LIMIT 0")
        columns = [column.name for column in cursor.description]
        texts = ", ".join('"' + c.replace('"', '""') + '"::text' for c in columns)
        order = ", ".join(str(i) for i in range(1, len(columns) + 1))
        cursor.execute(f"SELECT {texts} FROM {quoted} ORDER BY {order}")
        hashes[table] = dict(zip(("rows", "sha256"), _hash_rows(cursor.fetchall()), strict=True))
    return hashes


# --- Backup --------------------------------------------------------------------------------


def make_backup(destination: Path, *, database: Database | None = None) -> Path:
    """Write a backup of the live archive into a new folder under `destination`; returns it."""
    database = database or Database.from_settings()
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = Path(destination) / f"ficshelf-backup-{stamp}"
    folder.mkdir(parents=True)
    try:
        if database.engine == "sqlite":
            tables = _backup_sqlite(database, folder / SQLITE_FILE)
        else:
            tables = _backup_postgresql(database, folder / PG_FILE)
        _pack_media(folder / MEDIA_FILE)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "engine": database.engine,
        "database_file": SQLITE_FILE if database.engine == "sqlite" else PG_FILE,
        "media_file": MEDIA_FILE,
        "tables": tables,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return folder


def _backup_sqlite(database: Database, target: Path) -> dict:
    if not Path(database.name).exists():
        raise BackupError(f"There is no database at {database.name}.")
    source = sqlite3.connect(database.name, timeout=30)
    copy = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, inside one read transaction (a consistent
        # moment; writers go on in the WAL meanwhile).
        source.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")
        tables = sqlite_table_hashes(copy)
    finally:
        copy.close()
        source.close()
    return tables


def _backup_postgresql(database: Database, target: Path) -> dict:
    # The dump and the hashes read one exported snapshot, held open by this transaction.
    with database.pg_connect() as connection:
        connection.autocommit = False
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            dumped = subprocess.run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    *database.pg_args(),
                ],
                env=database.pg_env(),
                capture_output=True,
                text=True,
            )
            if dumped.returncode != 0:
                raise BackupError(f"pg_dump failed: {dumped.stderr.strip()}")
            tables = pg_table_hashes(cursor)
        connection.rollback()
    return tables


def _pack_media(target: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target, "w") as archive:
        if not media.is_dir():
            return
        for entry in sorted(media.iterdir()):
            if entry.name in MEDIA_SKIPPED:
                continue
            archive.add(entry, arcname=entry.name)


# --- Restore -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    tables: int
    rows: int
    differing: list[str]

    @property
    def identical(self) -> bool:
        return not self.differing


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} is not a Ficshelf backup: it has no {MANIFEST}.")
    try:
        manifest = json.loads(path.read_text())
    except ValueError as error:
        raise BackupError(f"{path} is damaged: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is in a backup format this version does not know.")
    return manifest


def restore_backup(
    folder: Path,
    *,
    database: Database | None = None,
    media_root: Path | None = None,
    replace: bool = False,
) -> RestoreResult:
    """Load the backup in `folder` into `database` (the archive's own by default), unpack its
    files into `media_root`, and compare every table with the manifest."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    database = database or Database.from_settings()
    if manifest["engine"] != database.engine:
        raise BackupError(
            f"This backup is of a {manifest['engine']} database; the target is {database.engine}."
        )
    if database == Database.from_settings():
        connections.close_all()  # our own connections must not hold the old database open
    if database.engine == "sqlite":
        tables = _restore_sqlite(folder / manifest["database_file"], database, replace=replace)
    else:
        tables = _restore_postgresql(folder / manifest["database_file"], database, replace=replace)
    _unpack_media(folder / manifest["media_file"], Path(media_root or settings.MEDIA_ROOT))
    expected = manifest["tables"]
    differing = sorted(
        name for name in expected.keys() | tables.keys() if expected.get(name) != tables.get(name)
    )
    return RestoreResult(
        tables=len(tables), rows=sum(t["rows"] for t in tables.values()), differing=differing
    )


def _sqlite_holds_an_archive(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    connection = sqlite3.connect(path)
    try:
        return (
            connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            ).fetchone()[0]
            > 0
        )
    finally:
        connection.close()


def _restore_sqlite(source_file: Path, database: Database, *, replace: bool) -> dict:
    target = Path(database.name)
    if _sqlite_holds_an_archive(target) and not replace:
        raise BackupError(
            f"{target} already holds a database; restore into an empty one, or pass --replace."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(source_file)
    destination = sqlite3.connect(target, timeout=30)
    try:
        # The backup API writes through SQLite's own locking, so even a replaced database that
        # something still has open is swapped whole, never torn.
        source.backup(destination, pages=-1)
        destination.execute("PRAGMA journal_mode=WAL")
        tables = sqlite_table_hashes(destination)
    finally:
        destination.close()
        source.close()
    return tables


def _restore_postgresql(dump: Path, database: Database, *, replace: bool) -> dict:
    _create_pg_database_if_missing(database)
    with database.pg_connect() as connection:
        holds_tables = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchone()[0]
    if holds_tables and not replace:
        raise BackupError(
            f"Database {database.name} already holds tables; restore into an empty one, "
            "or pass --replace."
        )
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
    if holds_tables:
        command += ["--clean", "--if-exists"]
    restored = subprocess.run(
        [*command, *database.pg_args(), str(dump)],
        env=database.pg_env(),
        capture_output=True,
        text=True,
    )
    if restored.returncode != 0:
        raise BackupError(f"pg_restore failed: {restored.stderr.strip()}")
    with database.pg_connect() as connection:
        connection.autocommit = False
        with connection.cursor() as cursor:
            tables = pg_table_hashes(cursor)
        connection.rollback()
    return tables


def _create_pg_database_if_missing(database: Database) -> None:
    with database.pg_connect("postgres") as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database.name]
        ).fetchone()
        if not exists:
            quoted = '"' + database.name.replace('"', '""') + '"'
            connection.execute(f"CREATE DATABASE {quoted}")


def _unpack_media(archive_file: Path, media_root: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_file) as archive:
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        archive.extractall(media_root, filter="data")


def database_from_url(url: str) -> Database:
    """A target given on the command line: a DATABASE_URL, or a file path for SQLite."""
    if "://" not in url:
        return Database("sqlite", str(Path(url).resolve()))
    return Database.from_url(url)
