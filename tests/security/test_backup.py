"""Backups proven by restoring them (等保 8.1.4.9): the database and the private uploads are dumped, verified, kept
N generations, and a restore into a fresh database finds every row and every upload's checksum."""

import hashlib
import json
import sqlite3
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from fuyang_portal import backup
from fuyang_portal.models import User
from tests.factories import EnterpriseFactory, township_user
from tests.subsidies.factories import RegistrationFactory

ON_POSTGRESQL = connection.vendor == "postgresql"


def _uploads(root, count=5):
    """Files like the portal's (plans, invoices), some in sub-folders, with distinct contents."""
    written = {}
    for n in range(count):
        path = Path(root) / ("plans" if n % 2 else "invoices") / f"2020/02/file-{n}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4\n" + (f"upload {n} ".encode() * (n * 300 + 1)))
        written[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return written


def _rows():
    township = township_user()
    enterprise = EnterpriseFactory(township=township.township)
    registrations = RegistrationFactory.create_batch(3, enterprise=enterprise)
    return registrations


def _hashes(root):
    root = Path(root)
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}


def _source_counts():
    """Every table of the portal's own database, counted here (not read from the manifest)."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


# --- the proof on PostgreSQL (CI) ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRESQL, reason="pg_dump/pg_restore need PostgreSQL (CI runs on it); the SQLite round trip is below")
def test_postgresql_backup_restores_into_a_scratch_database_with_every_row_and_upload(tmp_path):
    import psycopg2

    registrations = _rows()
    uploaded = _uploads(settings.PRIVATE_MEDIA_ROOT, count=7)
    made = backup.create_backup(tmp_path / "backups", keep=3)
    expected_counts = _source_counts()
    assert expected_counts["subsidies_workerregistration"] == 3

    scratch = f"scratch_backup_{uuid.uuid4().hex[:12]}"
    try:
        report = backup.restore_backup(made, database=scratch, uploads=tmp_path / "restored")
        params = connection.settings_dict
        restored = psycopg2.connect(dbname=scratch, host=params["HOST"] or "127.0.0.1", port=params["PORT"] or 5432,
                                    user=params["USER"] or "postgres", password=params["PASSWORD"] or None)
        try:
            with restored.cursor() as cursor:
                counts = {}
                for table in expected_counts:
                    cursor.execute(f'SELECT count(*) FROM "{table}"')
                    counts[table] = cursor.fetchone()[0]
                cursor.execute("SELECT reference, id_number FROM subsidies_workerregistration ORDER BY reference")
                stored = cursor.fetchall()
        finally:
            restored.close()
        # Every table, every row; the rows are the same ones (the encrypted IDs open to the same numbers).
        assert counts == expected_counts
        from fuyang_portal.identity import decrypt

        assert [(ref, decrypt(token)) for ref, token in stored] == sorted((r.reference, r.id_number) for r in registrations)
        # Every upload, byte for byte.
        assert _hashes(tmp_path / "restored") == uploaded
        assert report.files == 7 and report.tables >= len(expected_counts)
    finally:
        backup.drop_postgresql_database(scratch)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRESQL, reason="pg_restore --list checks a PostgreSQL dump")
def test_a_postgresql_dump_is_verified_by_pg_restore_list_and_matches_its_manifest(tmp_path):
    _rows()
    made = backup.create_backup(tmp_path, keep=1)
    manifest = backup.read_manifest(made)
    assert manifest["vendor"] == "postgresql" and (made / "database.dump").read_bytes()[:5] == b"PGDMP"
    assert manifest["tables_verified"] >= len(manifest["row_counts"])
    assert manifest["row_counts"] == _source_counts()


# --- the same proof on SQLite (the embedded default) -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(ON_POSTGRESQL, reason="the SQLite backup API; PostgreSQL has its own test above")
def test_sqlite_backup_restores_into_a_new_file_with_every_row_and_upload(tmp_path):
    registrations = _rows()
    uploaded = _uploads(settings.PRIVATE_MEDIA_ROOT)
    made = backup.create_backup(tmp_path / "backups", keep=3)
    expected_counts = _source_counts()

    report = backup.restore_backup(made, database=tmp_path / "restored.sqlite3", uploads=tmp_path / "restored")
    restored = sqlite3.connect(tmp_path / "restored.sqlite3")
    counts = {t: restored.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in expected_counts}
    numbers = [row[0] for row in restored.execute("SELECT id_number FROM subsidies_workerregistration ORDER BY id")]
    restored.close()
    assert counts == expected_counts and counts["subsidies_workerregistration"] == 3
    from fuyang_portal.identity import decrypt

    assert [decrypt(n) for n in numbers] == [r.id_number for r in sorted(registrations, key=lambda r: r.pk)]
    assert _hashes(tmp_path / "restored") == uploaded
    assert report.files == 5


# --- generations, verification, refusals (any database) -----------------------------------------------------------


@pytest.fixture
def scratch_target(tmp_path):
    """A restore target that does not exist yet, dropped afterwards on PostgreSQL."""
    name = f"scratch_backup_{uuid.uuid4().hex[:12]}" if ON_POSTGRESQL else str(tmp_path / "scratch.sqlite3")
    yield name
    if ON_POSTGRESQL:
        backup.drop_postgresql_database(name)


@pytest.mark.django_db(transaction=True)
def test_the_manifest_names_every_table_count_and_every_upload_checksum(tmp_path):
    _rows()
    uploaded = _uploads(settings.PRIVATE_MEDIA_ROOT, count=3)
    made = backup.create_backup(tmp_path)
    manifest = json.loads((made / "manifest.json").read_text())
    assert manifest["row_counts"] == _source_counts()
    assert {name: entry["sha256"] for name, entry in manifest["uploads"].items()} == uploaded
    assert manifest["database_sha256"] == hashlib.sha256((made / manifest["database_file"]).read_bytes()).hexdigest()
    assert manifest["uploads_sha256"] == hashlib.sha256((made / "uploads.tar").read_bytes()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_only_the_newest_generations_are_kept(tmp_path):
    made = [backup.create_backup(tmp_path, keep=2) for _ in range(4)]
    assert backup.generations(tmp_path) == made[-2:]
    assert not made[0].exists() and not made[1].exists()
    assert backup.latest(tmp_path) == made[-1]


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_backup_is_no_generation_and_the_next_run_clears_it(tmp_path, monkeypatch):
    good = backup.create_backup(tmp_path, keep=5)

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(backup, "_archive_uploads", disk_full)
    with pytest.raises(OSError):
        backup.create_backup(tmp_path, keep=5)
    assert backup.generations(tmp_path) == [good]
    assert list(tmp_path.glob(".fuyang-*")), "the half-written backup stays hidden"
    monkeypatch.undo()
    backup.create_backup(tmp_path, keep=5)
    assert len(backup.generations(tmp_path)) == 2 and not list(tmp_path.glob(".fuyang-*"))


@pytest.mark.django_db(transaction=True)
def test_a_second_backup_while_one_runs_is_refused(tmp_path):
    with backup._lock(tmp_path), pytest.raises(backup.BackupError, match="Another backup is running"):
            backup.create_backup(tmp_path)
    assert backup.generations(tmp_path) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("artifact", ["uploads.tar", "database"])
def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path, scratch_target, artifact):
    _uploads(settings.PRIVATE_MEDIA_ROOT, count=2)
    made = backup.create_backup(tmp_path / "backups")
    name = backup.read_manifest(made)["database_file"] if artifact == "database" else artifact
    data = bytearray((made / name).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (made / name).write_bytes(bytes(data))
    with pytest.raises(backup.BackupError, match="damaged"):
        backup.restore_backup(made, database=scratch_target, uploads=tmp_path / "restored")
    assert not (tmp_path / "restored").exists()
    if ON_POSTGRESQL:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [scratch_target])
            assert cursor.fetchone() is None
    else:
        assert not Path(scratch_target).exists()


@pytest.mark.django_db(transaction=True)
def test_a_restore_never_overwrites_a_database_or_a_folder_that_holds_files(tmp_path, scratch_target):
    made = backup.create_backup(tmp_path / "backups")
    if ON_POSTGRESQL:
        existing = connection.settings_dict["NAME"]  # the portal's own database
    else:
        existing = tmp_path / "existing.sqlite3"
        existing.write_bytes(b"someone's database")
    with pytest.raises(backup.BackupError, match="exists"):
        backup.restore_backup(made, database=existing, uploads=tmp_path / "a")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("someone's file")
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore_backup(made, database=scratch_target, uploads=busy)
    assert (busy / "keep.txt").read_text() == "someone's file"


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_finds_a_different_count_fails(tmp_path, scratch_target):
    made = backup.create_backup(tmp_path / "backups")
    manifest = backup.read_manifest(made)
    manifest["row_counts"]["fuyang_portal_user"] += 1  # as if a row had been lost on the way
    (made / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(backup.BackupError, match="fuyang_portal_user"):
        backup.restore_backup(made, database=scratch_target, uploads=tmp_path / "restored")


@pytest.mark.django_db(transaction=True)
def test_the_commands_back_up_list_and_restore_the_latest(tmp_path, scratch_target, capsys):
    User.objects.create(username="kept-by-backup")
    _uploads(settings.PRIVATE_MEDIA_ROOT, count=2)
    call_command("backup", dir=str(tmp_path / "b"), keep=2)
    call_command("backup", dir=str(tmp_path / "b"), list=True)
    assert "2 uploads" in capsys.readouterr().out
    call_command("restore", dir=str(tmp_path / "b"), database=str(scratch_target), uploads=str(tmp_path / "r"))
    assert "Every row count and every upload match the backup" in capsys.readouterr().out
    assert _hashes(tmp_path / "r") == _hashes(settings.PRIVATE_MEDIA_ROOT)
    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", dir=str(tmp_path / "empty"), database="scratch_backup_none", uploads=str(tmp_path / "x"))


@pytest.mark.django_db(transaction=True)
def test_the_beat_runs_the_backup_task_which_writes_a_verified_generation(tmp_path, settings):
    from fuyang_portal.celery import app
    from fuyang_portal.tasks import backup_database

    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "fuyang_portal.tasks.backup_database")
    assert entry["task"] in app.tasks
    settings.BACKUP_DIR = tmp_path
    settings.BACKUP_KEEP = 2
    path = Path(backup_database.delay().get())
    assert backup.generations(tmp_path) == [path]
    assert backup.verify_backup(path)["vendor"] == connection.vendor


@pytest.mark.django_db
@pytest.mark.skipif(ON_POSTGRESQL, reason="pg_dump reads its own snapshot; only SQLite's backup waits for the caller's lock")
def test_a_sqlite_backup_inside_a_transaction_is_refused_instead_of_waiting_forever(tmp_path):
    with pytest.raises(backup.BackupError, match="inside a transaction"):
        backup.create_backup(tmp_path)
    assert backup.generations(tmp_path) == []
