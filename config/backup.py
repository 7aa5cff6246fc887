"""Backups of the whole platform: the database plus the uploaded files, and their restore.

`manage.py backup` (and `make backup`) writes one folder per backup under BACKUP_DIR
(default var/backups/), named after the UTC time it was taken:

    20261125T214500Z/
        database.dump      PostgreSQL: pg_dump --format=custom of DATABASE_URL
        database.sqlite3   SQLite (the embedded default): a copy by SQLite's online backup API
        media.tar.gz       every file storage on disk (STORAGES: "default" = MEDIA_ROOT with
                           story images, forum attachments and CMS images; "private" = the
                           generated reports and data downloads), one top folder per storage
        manifest.json      when, which database and its version, the migration state, the
                           row count of every table, and each file's size and SHA-256

The database comes first and the files after it, so every file the database refers to is
in the archive (a file uploaded in between is an orphan, never a hole). On PostgreSQL the
row counts and the migration state are read in the very snapshot pg_dump dumps
(pg_export_snapshot); on SQLite they are read from the copy itself. A backup is written
into a hidden .partial folder and renamed when complete: a folder with a timestamp name is
always a whole backup. Folders and files are readable by their owner only (personal data).

`manage.py restore PATH` (and `make restore BACKUP=PATH`) checks every checksum and that
the backup is not from a newer version of the platform, refuses a database that has tables
or storage folders that hold files (unless --force, which empties them), restores the
database (pg_restore in one transaction, or SQLite's backup API), checks the restored row
counts against the manifest, unpacks the files, and runs migrate: a backup of an older
version is restored and then upgraded. Last, the page cache is emptied and an external
search engine (Meilisearch) is rebuilt from the restored database.

The commands stay thin; this module holds the logic and raises BackupError with a message
for the operator.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.db import OperationalError, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
PG_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
NAME_PATTERN = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")
# Static files are rebuilt from the code (collectstatic): not part of a backup.
SKIPPED_STORAGES = {"staticfiles"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Something an operator must fix; the message says what."""


@dataclass
class Backup:
    path: Path
    manifest: dict


Say = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


# --- Where things are ----------------------------------------------------------------------


def backup_root() -> Path:
    return Path(getattr(settings, "BACKUP_DIR", settings.BASE_DIR / "var" / "backups"))


def database_kind(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def file_storages() -> dict[str, Path]:
    """Each file storage on local disk, by STORAGES alias (one per distinct folder)."""
    found: dict[str, Path] = {}
    for alias in settings.STORAGES:
        if alias in SKIPPED_STORAGES:
            continue
        storage = storages[alias]
        if not isinstance(storage, FileSystemStorage):
            raise BackupError(
                f"Storage {alias!r} ({type(storage).__name__}) is not on this disk: back it "
                "up with its own tools, or leave it out of STORAGES."
            )
        location = Path(storage.location).resolve()
        if location not in found.values():
            found[alias] = location
    return found


# --- Small helpers -------------------------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _describe(path: Path) -> dict:
    return {"bytes": path.stat().st_size, "sha256": sha256(path)}


def _new_name(root: Path) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name, n = stamp, 1
    while (root / name).exists():
        name, n = f"{stamp}-{n}", n + 1
    return name


def _migration_state(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in sorted(rows):
        state.setdefault(app, []).append(name)
    return state


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    try:
        # A fixed program and arguments built here, never a shell.
        done = subprocess.run(  # noqa: S603
            command, env=env, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} is not installed: install the PostgreSQL client programs "
            "(Debian: apt-get install postgresql-client) of the server's major version."
        ) from exc
    if done.returncode != 0:
        raise BackupError(f"{what} failed ({command[0]} exit {done.returncode}):\n{done.stderr}")
    return done.stdout


# --- PostgreSQL ----------------------------------------------------------------------------


def _pg_env(alias: str = "default") -> dict[str, str]:
    """libpq's environment for the connection Django uses: no password on a command line."""
    db = connections[alias].settings_dict
    options = db.get("OPTIONS", {})
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({k: str(v) for k, v in values.items() if v})
    return env


def _tool_major(tool: str, env: dict[str, str]) -> tuple[int, str]:
    version = _run([tool, "--version"], env, f"{tool} --version").strip()
    match = re.search(r"\)\s+(\d+)(?:\.(\d+))?", version)
    if not match:
        raise BackupError(f"Cannot read the version of {tool}: {version!r}")
    return int(match.group(1)), version


def _server_major(alias: str = "default") -> tuple[int, str]:
    connection = connections[alias]
    connection.ensure_connection()
    number = connection.pg_version  # e.g. 150020 or 160004
    return number // 10000, f"{number // 10000}.{number % 10000}"


def _pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
    return [row[0] for row in cursor.fetchall()]


def _pg_counts(cursor) -> dict[str, int]:
    counts = {}
    for table in _pg_tables(cursor):
        quoted = cursor.db.ops.quote_name(table)
        cursor.execute(f"SELECT count(*) FROM {quoted}")  # noqa: S608 (catalogue's names)
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_migrations(cursor, tables: dict[str, int]) -> dict[str, list[str]]:
    if MigrationRecorder.Migration._meta.db_table not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations")
    return _migration_state(cursor.fetchall())


def _dump_postgresql(target: Path, alias: str = "default") -> dict:
    env = _pg_env(alias)
    dump_major, dump_version = _tool_major("pg_dump", env)
    server_major, server_version = _server_major(alias)
    if dump_major < server_major:
        raise BackupError(
            f"pg_dump {dump_major} cannot dump a PostgreSQL {server_major} server: install "
            f"postgresql-client-{server_major} (found: {dump_version})."
        )
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("A backup cannot run inside a transaction.")
    # One snapshot for the counts, the migration state and pg_dump: they agree exactly.
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _pg_counts(cursor)
        migrations = _pg_migrations(cursor, counts)
        _run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                "--no-password",
                f"--file={target}",
            ],
            env,
            "pg_dump",
        )
    return {
        "kind": "postgresql",
        "name": connection.settings_dict.get("NAME"),
        "server_version": server_version,
        "tool": dump_version,
        "tool_major": dump_major,
        "file": target.name,
        "tables": counts,
        "migrations": migrations,
    }


def _empty_postgresql(alias: str = "default") -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


def _restore_postgresql(source: Path, manifest: dict, alias: str = "default") -> dict:
    env = _pg_env(alias)
    restore_major, restore_version = _tool_major("pg_restore", env)
    needed = manifest["database"].get("tool_major", 0)
    if restore_major < needed:
        raise BackupError(
            f"This dump was made by pg_dump {needed}; pg_restore {restore_major} cannot read "
            f"it: install postgresql-client-{needed} (found: {restore_version})."
        )
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--no-password",
            f"--dbname={env.get('PGDATABASE', '')}",
            str(source),
        ],
        env,
        "pg_restore",
    )
    with connections[alias].cursor() as cursor:
        return _pg_counts(cursor)


# --- SQLite --------------------------------------------------------------------------------


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY 1"
        )
    ]
    counts = {}
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'
        counts[name] = db.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]  # noqa: S608
    return counts


def _raw_sqlite(alias: str = "default") -> sqlite3.Connection:
    connection = connections[alias]
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("A backup or restore cannot run inside a transaction.")
    return connection.connection


def _dump_sqlite(target: Path, alias: str = "default") -> dict:
    copy = sqlite3.connect(target)
    try:
        # The online backup API: a consistent copy while the site keeps writing.
        _raw_sqlite(alias).backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        counts = _sqlite_counts(copy)
        migrations = {}
        if MigrationRecorder.Migration._meta.db_table in counts:
            migrations = _migration_state(
                copy.execute("SELECT app, name FROM django_migrations").fetchall()
            )
    finally:
        copy.close()
    name = connections[alias].settings_dict.get("NAME")
    return {
        "kind": "sqlite",
        "name": Path(str(name)).name,
        "server_version": sqlite3.sqlite_version,
        "tool": f"sqlite3 {sqlite3.sqlite_version} online backup",
        "file": target.name,
        "tables": counts,
        "migrations": migrations,
    }


def _sqlite_folder(alias: str = "default") -> None:
    """A restore may target a SQLite file whose folder does not exist yet."""
    name = str(connections[alias].settings_dict.get("NAME") or "")
    if name and not name.startswith("file:") and name != ":memory:":
        Path(name).parent.mkdir(parents=True, exist_ok=True)


def _restore_sqlite(source: Path, alias: str = "default") -> dict:
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        # Replaces the whole content of the target database, whatever it held.
        backup.backup(_raw_sqlite(alias))
    finally:
        backup.close()
    return _sqlite_counts(_raw_sqlite(alias))


# --- Files ---------------------------------------------------------------------------------


def _files_in(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.rglob("*") if p.is_file() or p.is_symlink()]


def _archive(target: Path, locations: dict[str, Path], exclude: Path) -> dict:
    summary = {}
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        for alias, location in locations.items():
            count = size = 0
            for path in sorted(_files_in(location)):
                if path.is_symlink() or exclude in path.resolve().parents:
                    continue
                tar.add(path, arcname=f"{alias}/{path.relative_to(location).as_posix()}")
                count += 1
                size += path.stat().st_size
            summary[alias] = {"location": str(location), "files": count, "bytes": size}
    return summary


def _unpack(source: Path, locations: dict[str, Path], manifest: dict) -> None:
    missing = set(manifest["storages"]) - set(locations)
    if missing:
        raise BackupError(
            "This backup holds files of storages this installation does not have: "
            + ", ".join(sorted(missing))
        )
    with tarfile.open(source, "r:gz") as tar:
        members = tar.getmembers()
        for alias in manifest["storages"]:
            location = locations[alias]
            location.mkdir(parents=True, exist_ok=True)
            prefix = f"{alias}/"
            chosen = []
            for member in members:
                if member.name.startswith(prefix):
                    member.name = member.name[len(prefix) :]
                    chosen.append(member)
            # The "data" filter refuses absolute paths, .. and links that leave the folder.
            tar.extractall(location, members=chosen, filter="data")


def _empty_folder(folder: Path) -> None:
    for child in folder.iterdir() if folder.is_dir() else []:
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


# --- Backup --------------------------------------------------------------------------------


def create_backup(
    root: Path | None = None, *, keep: int = 0, say: Say = _quiet, alias: str = "default"
) -> Backup:
    """Write one complete backup under root (BACKUP_DIR) and return it."""
    kind = database_kind(alias)
    locations = file_storages()
    root = Path(root or backup_root()).resolve()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = _new_name(root)
    partial = root / f".{name}.partial"
    partial.mkdir(mode=0o700)
    old_umask = os.umask(0o077)
    try:
        say(f"Dumping the {kind} database ...")
        if kind == "postgresql":
            database = _dump_postgresql(partial / PG_FILE, alias)
        else:
            database = _dump_sqlite(partial / SQLITE_FILE, alias)
        say("Archiving the uploaded files ...")
        stored = _archive(partial / MEDIA_ARCHIVE, locations, exclude=root)
        files = {item: _describe(partial / item) for item in (database["file"], MEDIA_ARCHIVE)}
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "platform": {"django": django.get_version(), "wagtail": wagtail.__version__},
            "database": {k: v for k, v in database.items() if k != "migrations"},
            "migrations": database["migrations"],
            "storages": stored,
            "files": files,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        final = root / name
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        os.umask(old_umask)
    if keep:
        for old in prune(root, keep):
            say(f"Removed old backup {old.name}")
    return Backup(final, manifest)


def list_backups(root: Path) -> list[Path]:
    """Complete backups under root, oldest first."""
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.iterdir() if NAME_PATTERN.match(p.name) and (p / MANIFEST).is_file()
    )


def prune(root: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` complete backups; return the removed ones."""
    backups = list_backups(root)
    removed = backups[:-keep] if keep > 0 else []
    for old in removed:
        shutil.rmtree(old)
    return removed


# --- Restore -------------------------------------------------------------------------------


def read_backup(path: Path) -> Backup:
    """Load a backup's manifest and check every file against its checksum."""
    path = Path(path)
    if path.is_file() and path.name == MANIFEST:
        path = path.parent
    try:
        manifest = json.loads((path / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"No backup at {path}: {MANIFEST} is missing.") from exc
    except ValueError as exc:
        raise BackupError(f"{path / MANIFEST} is not valid JSON: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r} in {path}.")
    for item, expected in manifest["files"].items():
        file = path / item
        if not file.is_file():
            raise BackupError(f"The backup is incomplete: {item} is missing.")
        if file.stat().st_size != expected["bytes"] or sha256(file) != expected["sha256"]:
            raise BackupError(f"{item} does not match its checksum: the backup is damaged.")
    return Backup(path, manifest)


def _newer_migrations(manifest: dict) -> list[str]:
    """Migrations the backup has applied that this code does not know (a newer version)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    return sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    )


def _obstacles(kind: str, locations: dict[str, Path], alias: str) -> list[str]:
    found = []
    if kind == "sqlite":
        tables = list(_sqlite_counts(_raw_sqlite(alias)))
    else:
        with connections[alias].cursor() as cursor:
            tables = _pg_tables(cursor)
    if tables:
        found.append(f"the database has {len(tables)} tables")
    for alias_name, location in locations.items():
        if location.is_dir() and any(location.iterdir()):
            found.append(f"the {alias_name} storage folder {location} is not empty")
    return found


def restore_backup(
    path: Path,
    *,
    force: bool = False,
    migrate: bool = True,
    say: Say = _quiet,
    alias: str = "default",
) -> Backup:
    """Restore a backup into the configured database and storage folders."""
    backup = read_backup(path)
    manifest = backup.manifest
    say(f"Checksums verified: backup of {manifest['created_at']}.")
    kind = database_kind(alias)
    if manifest["database"]["kind"] != kind:
        raise BackupError(
            f"This is a backup of a {manifest['database']['kind']} database; the configured "
            f"database (DATABASE_URL) is {kind}."
        )
    newer = _newer_migrations(manifest)
    if newer:
        raise BackupError(
            "This backup comes from a newer version of the platform (migrations unknown "
            "here: " + ", ".join(newer[:5]) + "). Restore it with that version."
        )
    locations = file_storages()
    if kind == "sqlite":
        _sqlite_folder(alias)
    try:
        obstacles = _obstacles(kind, locations, alias)
    except OperationalError as exc:
        raise BackupError(
            f"Cannot open the database to restore into (create it first?): {exc}"
        ) from exc
    if obstacles and not force:
        raise BackupError(
            "Refusing to restore over existing data: "
            + "; ".join(obstacles)
            + ". Restore into an empty database, or replace everything with --force"
            + " (make: FORCE=1)."
        )
    if obstacles:
        say("Emptying the database and the storage folders (--force) ...")
        if kind == "postgresql":
            _empty_postgresql(alias)
        for location in locations.values():
            _empty_folder(location)
    say("Restoring the database ...")
    source = backup.path / manifest["database"]["file"]
    if kind == "postgresql":
        counts = _restore_postgresql(source, manifest, alias)
    else:
        counts = _restore_sqlite(source, alias)
    expected = manifest["database"]["tables"]
    if counts != expected:
        differ = sorted(t for t in set(counts) | set(expected) if counts.get(t) != expected.get(t))
        raise BackupError(
            "The restored database does not match the manifest (tables: "
            + ", ".join(differ[:5])
            + ")."
        )
    say(f"Database restored: {len(counts)} tables, {sum(counts.values())} rows, as recorded.")
    say("Restoring the uploaded files ...")
    _unpack(backup.path / MEDIA_ARCHIVE, locations, manifest)
    if migrate:
        say("Migrating to this version ...")
        call_command("migrate", interactive=False, verbosity=0, database=alias)
    _after_restore(say)
    return backup


def _after_restore(say: Say) -> None:
    """What lives outside the database and the files must follow the restored state: the
    page cache is emptied, and an external search engine (Meilisearch) is rebuilt from the
    restored database (the database search backend's index was restored with it)."""
    caches["default"].clear()
    backend = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    if "database" in backend:
        return
    say("Rebuilding the search index ...")
    try:
        call_command("update_index", verbosity=0)
    except Exception as exc:  # the data is restored: say what is left to do
        say(f"The search index was not rebuilt ({exc}): run `manage.py update_index`.")
