"""manage.py backup (`make backup`): dump the database and the private uploads into BACKUP_DIR, verify them, keep
BACKUP_KEEP generations (fuyang_portal/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from fuyang_portal import backup


class Command(BaseCommand):
    help = "Back up the database and the private uploads, verify the backup and keep the newest generations."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Where backups are kept (default: BACKUP_DIR).")
        parser.add_argument("--keep", type=int, help="Generations to keep (default: BACKUP_KEEP).")
        parser.add_argument("--list", action="store_true", help="List the backups kept, oldest first, and stop.")

    def handle(self, *args, dir, keep, list, **options):
        if list:
            for path in backup.generations(dir):
                manifest = backup.read_manifest(path)
                self.stdout.write(
                    f"{path}  {manifest['vendor']}  {sum(manifest['row_counts'].values()):,} rows in "
                    f"{len(manifest['row_counts'])} tables, {len(manifest['uploads']):,} uploads, "
                    f"{manifest['database_bytes'] / 1e6:.1f} MB database"
                )
            return
        try:
            path = backup.create_backup(dir, keep)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        manifest = backup.read_manifest(path)
        self.stdout.write(
            f"Backed up {sum(manifest['row_counts'].values()):,} rows in {len(manifest['row_counts'])} tables "
            f"({manifest['database_bytes'] / 1e6:.1f} MB, {manifest['database_seconds']:.1f} s) and "
            f"{len(manifest['uploads']):,} uploads ({manifest['uploads_seconds']:.1f} s); verified."
        )
        self.stdout.write(self.style.SUCCESS(str(path)))
