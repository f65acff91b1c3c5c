from django.core.management.base import BaseCommand

from relief import bench


class Command(BaseCommand):
    help = "Time each relief rule's one-statement matching against hand-written SQL over N firms (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--firms", type=int, default=100_000)

    def handle(self, *args, firms, **options):
        bench.run(firms, self.stdout)
