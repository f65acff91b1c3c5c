"""manage.py restore (`make restore`): restore a backup (the latest unless named) into a new database and the
uploads into an empty folder, then prove it: every table's row count and every upload's checksum as the backup's
manifest says (fuyang_portal/backup.py). The running portal's own database and uploads are never touched."""

import time

from django.core.management.base import BaseCommand, CommandError

from fuyang_portal import backup as backups


class Command(BaseCommand):
    help = "Restore a backup into a new database and an empty uploads folder, and check it against its manifest."

    def add_arguments(self, parser):
        parser.add_argument("--database", required=True, help="The new database: a PostgreSQL name on the server "
                            "DATABASE_URL names, or a file path for a SQLite backup. Must not exist.")
        parser.add_argument("--uploads", required=True, help="An empty (or new) folder for the uploads.")
        parser.add_argument("--backup", help="A backup folder or its name in --dir (default: the latest).")
        parser.add_argument("--dir", help="Where backups are kept (default: BACKUP_DIR).")
        parser.add_argument("--jobs", type=int, help="Parallel pg_restore jobs (default: BACKUP_RESTORE_JOBS).")

    def handle(self, *args, database, uploads, backup, dir, jobs, **options):
        started = time.perf_counter()
        try:
            report = backups.restore_backup(backup, database=database, uploads=uploads, directory=dir, jobs=jobs)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Restored {report.backup.name} into {report.database}: {report.rows:,} rows in {report.tables} tables "
            f"({report.seconds['database']:.1f} s), {report.files:,} uploads into {report.uploads} "
            f"({report.seconds['uploads']:.1f} s); checksums verified ({report.seconds['verify']:.1f} s)."
        )
        self.stdout.write(self.style.SUCCESS(f"Every row count and every upload match the backup. Total {seconds:.1f} s."))

