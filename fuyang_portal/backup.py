"""Backups of the database and the private uploads, verified when written and proven when restored.

A backup is a folder ``BACKUP_DIR/fuyang-<UTC time to the millisecond>/`` holding

- ``database.dump``: PostgreSQL in pg_dump's custom format, or ``database.sqlite3`` (SQLite's online backup API)
  for the embedded default;
- ``uploads.tar``: every file under PRIVATE_MEDIA_ROOT;
- ``manifest.json``: the row count of every table, the sha256 and size of every upload and of both artifacts,
  and the tools and times.

On PostgreSQL the row counts are taken in the same snapshot pg_dump reads (``pg_export_snapshot`` +
``pg_dump --snapshot``), so the manifest describes exactly what the dump holds, even while the portal writes.
The database is dumped before the uploads are read, so every upload a dumped row names is already on disk.

A backup is written under a hidden name and renamed only once verified (``pg_restore --list`` lists every table's
data, or SQLite's integrity check passes, and the archive's files hash as the manifest says), so an interrupted or
failed run never counts as a generation. After a good one the oldest generations past BACKUP_KEEP are removed.
One backup at a time (a lock file in BACKUP_DIR).

``restore`` checks the artifacts' checksums, restores the database into a database that must not exist yet, the
uploads into a folder that must be empty, then counts every table and hashes every file against the manifest.
"""

import fcntl
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

PREFIX = "fuyang-"
MANIFEST = "manifest.json"
UPLOADS = "uploads.tar"
PG_DUMP_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
FORMAT = 1
SQLITE_LOCK_WAIT = 300
_PG_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class BackupError(Exception):
    """A backup or restore that could not be made or did not verify; the message says what and where."""


@dataclass
class RestoreReport:
    backup: Path
    database: str
    uploads: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    seconds: dict = field(default_factory=dict)
    mismatches: list = field(default_factory=list)


# --- small helpers -----------------------------------------------------------------------------------------------


def sha256_file(path, chunk=1 << 20):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found on PATH (Debian: apt-get install postgresql-client).")
    return path


def _pg_env(params):
    """Environment for pg_dump/pg_restore/psql from Django's connection settings (no password on a command line)."""
    env = dict(os.environ)
    env.update({
        "PGHOST": str(params.get("HOST") or "127.0.0.1"),
        "PGPORT": str(params.get("PORT") or 5432),
        "PGUSER": str(params.get("USER") or "postgres"),
    })
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return env


def _pg_connect(params, dbname):
    import psycopg2

    return psycopg2.connect(
        dbname=dbname,
        host=params.get("HOST") or "127.0.0.1",
        port=params.get("PORT") or 5432,
        user=params.get("USER") or "postgres",
        password=params.get("PASSWORD") or None,
        **{k: v for k, v in (params.get("OPTIONS") or {}).items() if k in {"sslmode", "sslrootcert", "sslcert", "sslkey"}},
    )


def _pg_tables(cursor):
    cursor.execute(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
        "AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%%' "
        "ORDER BY 1, 2"
    )
    return cursor.fetchall()


def _pg_counts(cursor):
    counts = {}
    for schema, table in _pg_tables(cursor):
        cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
        counts[table if schema == "public" else f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def _sqlite_counts(conn):
    counts = {}
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"):
        counts[table] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    return counts


def _utcnow():
    # An operational fact, not a business one: the real time, never the demo clock.
    return datetime.now(UTC)


@contextmanager
def _lock(directory):
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)  # backups hold personal data: the owner's only
    with open(directory / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(f"Another backup is running in {directory}.") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- listing -----------------------------------------------------------------------------------------------------


def backup_dir(directory=None):
    return Path(directory or settings.BACKUP_DIR)


def generations(directory=None):
    """Completed backups, oldest first (their names sort by time)."""
    root = backup_dir(directory)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith(PREFIX) and (p / MANIFEST).is_file())


def latest(directory=None):
    found = generations(directory)
    if not found:
        raise BackupError(f"No backup in {backup_dir(directory)}.")
    return found[-1]


def read_manifest(path):
    try:
        return json.loads((Path(path) / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{path}: no readable {MANIFEST} ({error}).") from None


# --- backing up --------------------------------------------------------------------------------------------------


def _dump_postgresql(alias, target):
    """pg_dump in the custom format, the row counts read in the same snapshot. Returns the counts."""
    params = connections[alias].settings_dict
    conn = _pg_connect(params, params["NAME"])
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _pg_counts(cursor)
            # The exporting transaction stays open until pg_dump has imported the snapshot and finished.
            result = subprocess.run(
                [_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={target}", params["NAME"]],
                env=_pg_env(params),
                capture_output=True,
                text=True,
                check=False,
            )
        conn.rollback()
    finally:
        conn.close()
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return counts


def _verify_pg_dump(path, counts):
    """pg_restore --list reads the whole table of contents; every table counted must have its data in it."""
    result = subprocess.run([_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore --list {path} failed: {result.stderr.strip()}")
    listed = set()
    for line in result.stdout.splitlines():
        # "123; 0 16421 TABLE DATA public fuyang_portal_user postgres"
        match = re.search(r"\bTABLE DATA (\S+) (\S+)", line)
        if match:
            schema, table = match.groups()
            listed.add(table if schema == "public" else f"{schema}.{table}")
    missing = sorted(set(counts) - listed)
    if missing:
        raise BackupError(f"{path}: the dump holds no data for {', '.join(missing[:20])}.")
    return len(listed)


def _dump_sqlite(alias, target):
    """SQLite's online backup API (a consistent copy while the portal writes). Returns the counts, read from the
    copy itself."""
    connection = connections[alias]
    if connection.in_atomic_block:
        # SQLite's backup waits for the source's write lock, which this very transaction holds: it would never end.
        raise BackupError("A SQLite backup cannot run inside a transaction.")
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    deadline = time.monotonic() + SQLITE_LOCK_WAIT

    def give_up_when_locked_too_long(status, remaining, total):
        # Called after every step, also while another writer keeps the database locked.
        if time.monotonic() > deadline:
            raise BackupError(f"The SQLite database stayed locked for {SQLITE_LOCK_WAIT} s; no backup was made.")

    try:
        connection.connection.backup(destination, pages=1024, progress=give_up_when_locked_too_long)
        counts = _sqlite_counts(destination)
        status = destination.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        destination.close()
    if status != "ok":
        raise BackupError(f"SQLite integrity check of {target} failed: {status}")
    return counts


def _archive_uploads(media_root, target):
    """Every regular file under ``media_root`` into an uncompressed tar (uploads are PDFs and images, already
    compressed). Returns {relative path: {sha256, bytes}}."""
    files = {}
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
        if media_root.is_dir():
            for path in sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink()):
                relative = path.relative_to(media_root).as_posix()
                files[relative] = {"sha256": sha256_file(path), "bytes": path.stat().st_size}
                archive.add(path, arcname=relative, recursive=False)
    return files


def _verify_archive(path, files):
    """Every file of the manifest is in the archive and hashes as recorded; nothing else is."""
    seen = set()
    with tarfile.open(path, "r") as archive:
        for member in archive:
            if not member.isfile():
                continue
            handle = archive.extractfile(member)
            digest = hashlib.sha256()
            while block := handle.read(1 << 20):
                digest.update(block)
            expected = files.get(member.name)
            if expected is None or expected["sha256"] != digest.hexdigest():
                raise BackupError(f"{path}: {member.name} does not match the manifest.")
            seen.add(member.name)
    missing = sorted(set(files) - seen)
    if missing:
        raise BackupError(f"{path}: {len(missing)} uploads missing, e.g. {missing[0]}.")


def create_backup(directory=None, keep=None, media_root=None, alias="default"):
    """Write, verify and keep one backup; prune the oldest past ``keep``. Returns the backup's folder."""
    root = backup_dir(directory)
    keep = settings.BACKUP_KEEP if keep is None else keep
    if keep < 1:
        raise BackupError("BACKUP_KEEP must be at least 1.")
    media_root = Path(media_root or settings.PRIVATE_MEDIA_ROOT)
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"No backup method for {vendor}.")
    with _lock(root):
        for stale in root.glob(f".{PREFIX}*"):  # left by an interrupted run (we hold the lock: nobody else writes)
            shutil.rmtree(stale, ignore_errors=True)
        while True:  # names sort by time, to the millisecond: the oldest generations are the first names
            started = _utcnow()
            name = PREFIX + started.strftime("%Y%m%dT%H%M%S") + f"{started.microsecond // 1000:03d}Z"
            if not (root / name).exists() and not (root / f".{name}").exists():
                break
            time.sleep(0.002)
        work = root / f".{name}"
        work.mkdir(mode=0o700)
        clock = time.perf_counter()
        if vendor == "postgresql":
            database_file = work / PG_DUMP_FILE
            counts = _dump_postgresql(alias, database_file)
            database_seconds = time.perf_counter() - clock
            tables_listed = _verify_pg_dump(database_file, counts)
        else:
            database_file = work / SQLITE_FILE
            counts = _dump_sqlite(alias, database_file)
            database_seconds = time.perf_counter() - clock
            tables_listed = len(counts)
        clock = time.perf_counter()
        files = _archive_uploads(media_root, work / UPLOADS)
        _verify_archive(work / UPLOADS, files)
        uploads_seconds = time.perf_counter() - clock
        manifest = {
            "format": FORMAT,
            "name": name,
            "started_at": started.isoformat(),
            "finished_at": _utcnow().isoformat(),
            "vendor": vendor,
            "database": str(connections[alias].settings_dict["NAME"]),
            "database_file": database_file.name,
            "database_sha256": sha256_file(database_file),
            "database_bytes": database_file.stat().st_size,
            "database_seconds": round(database_seconds, 3),
            "tables_verified": tables_listed,
            "row_counts": counts,
            "uploads_file": UPLOADS,
            "uploads_sha256": sha256_file(work / UPLOADS),
            "uploads_seconds": round(uploads_seconds, 3),
            "uploads": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
        final = root / name
        work.rename(final)
        for old in generations(root)[:-keep]:
            shutil.rmtree(old)
        return final


# --- restoring ---------------------------------------------------------------------------------------------------


def verify_backup(path):
    """The artifacts are the ones the manifest describes (size and sha256). Returns the manifest."""
    path = Path(path)
    manifest = read_manifest(path)
    for file_key, hash_key in (("database_file", "database_sha256"), ("uploads_file", "uploads_sha256")):
        artifact = path / manifest[file_key]
        if not artifact.is_file():
            raise BackupError(f"{artifact} is missing.")
        if sha256_file(artifact) != manifest[hash_key]:
            raise BackupError(f"{artifact} does not match its checksum in the manifest: the backup is damaged.")
    return manifest


def _restore_postgresql(dump, database, jobs, alias):
    if not _PG_NAME.match(database):
        raise BackupError(f"{database!r} is not a plain PostgreSQL database name.")
    params = connections[alias].settings_dict
    conn = _pg_connect(params, "postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone():
                raise BackupError(f"Database {database} exists: a restore goes into a new database.")
            cursor.execute(f'CREATE DATABASE "{database}"')
    finally:
        conn.close()
    result = subprocess.run(
        [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", f"--jobs={max(1, jobs)}",
         f"--dbname={database}", str(dump)],
        env=_pg_env(params),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore into {database} failed (the database is left for inspection): {result.stderr.strip()}")
    conn = _pg_connect(params, database)
    try:
        with conn.cursor() as cursor:
            cursor.execute("ANALYZE")
            return _pg_counts(cursor)
    finally:
        conn.close()


def _restore_sqlite(copy, database):
    target = Path(database)
    if target.exists():
        raise BackupError(f"{target} exists: a restore goes into a new database file.")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
        return _sqlite_counts(destination)
    finally:
        source.close()
        destination.close()


def _restore_uploads(archive_path, uploads, files):
    uploads.mkdir(parents=True, exist_ok=True)
    if any(uploads.iterdir()):
        raise BackupError(f"{uploads} is not empty: uploads are restored into an empty folder.")
    with tarfile.open(archive_path, "r") as archive:
        archive.extractall(uploads, filter="data")  # no absolute paths, no "..", no devices
    mismatches = []
    for relative, expected in files.items():
        path = uploads / relative
        if not path.is_file():
            mismatches.append(f"upload {relative}: missing")
        elif sha256_file(path) != expected["sha256"]:
            mismatches.append(f"upload {relative}: checksum differs")
    return mismatches


def restore_backup(path=None, *, database, uploads, directory=None, jobs=None, alias="default"):
    """Restore the backup at ``path`` (default: the latest) into the new database ``database`` (PostgreSQL: a name
    on the server of ``alias``; SQLite: a file path) and the uploads into the empty folder ``uploads``; then prove
    it: every table's row count and every upload's sha256 as the manifest says. Raises BackupError on any
    difference; returns a RestoreReport."""
    path = Path(path) if path else latest(directory)
    if not path.is_dir():
        candidate = backup_dir(directory) / str(path)
        if not candidate.is_dir():
            raise BackupError(f"No backup at {path}.")
        path = candidate
    report = RestoreReport(backup=path, database=str(database), uploads=Path(uploads))
    clock = time.perf_counter()
    manifest = verify_backup(path)
    report.seconds["verify"] = time.perf_counter() - clock
    clock = time.perf_counter()
    if manifest["vendor"] == "postgresql":
        if connections[alias].vendor != "postgresql":
            raise BackupError("This backup is PostgreSQL's: restore it with DATABASE_URL naming a PostgreSQL server.")
        counts = _restore_postgresql(path / manifest["database_file"], database, settings.BACKUP_RESTORE_JOBS if jobs is None else jobs, alias)
    else:
        counts = _restore_sqlite(path / manifest["database_file"], database)
    report.seconds["database"] = time.perf_counter() - clock
    for table, expected in manifest["row_counts"].items():
        if counts.get(table) != expected:
            report.mismatches.append(f"table {table}: {counts.get(table)} rows, the backup had {expected}")
    report.tables, report.rows = len(counts), sum(counts.values())
    clock = time.perf_counter()
    report.mismatches += _restore_uploads(path / manifest["uploads_file"], Path(uploads), manifest["uploads"])
    report.files = len(manifest["uploads"])
    report.seconds["uploads"] = time.perf_counter() - clock
    if report.mismatches:
        raise BackupError("The restore does not match the backup: " + "; ".join(report.mismatches[:20]))
    return report


def drop_postgresql_database(database, alias="default"):
    """Drop a database made by a restore (tests, drills)."""
    if not _PG_NAME.match(database):
        raise BackupError(f"{database!r} is not a plain PostgreSQL database name.")
    conn = _pg_connect(connections[alias].settings_dict, "postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        conn.close()
