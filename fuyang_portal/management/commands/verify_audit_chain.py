"""Verify the audit log's hash chain and report the first row that breaks it (changed, inserted or removed)."""

from django.core.management.base import BaseCommand, CommandError

from fuyang_portal import audit


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exits with an error naming the first broken row."

    def add_arguments(self, parser):
        parser.add_argument("--seal", action="store_true", help="chain the rows not sealed yet before verifying")

    def handle(self, *args, seal=False, **options):
        if seal:
            self.stdout.write(f"sealed {audit.seal()} new rows")
        checked, broken = audit.verify()
        if broken is not None:
            raise CommandError(f"audit chain broken at row id {broken} (after {checked} good rows)")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {checked} rows"))
