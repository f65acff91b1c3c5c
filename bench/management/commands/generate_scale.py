"""python manage.py generate_scale --firms 100000: the district ten times over, for the benchmark."""

import time

from django.core.management.base import BaseCommand, CommandError

from bench.scale import PER_FIRM, Generator, scaled
from fuyang_portal.demo import load_places


class Command(BaseCommand):
    help = "Generate seeded district-scale data (firms, specialists, visits, problems, passes, registrations, claims)."

    def add_arguments(self, parser):
        parser.add_argument("--firms", type=int, default=100_000, help="Number of firms; every other table scales with it.")
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, firms, seed, **options):
        if firms < 1:
            raise CommandError("--firms must be at least 1.")
        load_places()
        started = time.perf_counter()
        self.stdout.write(
            f"Generating {firms:,} firms, {scaled('specialists', firms):,} specialists, "
            f"{firms * (PER_FIRM['visits'] + PER_FIRM['problems']):,} visits and problems…"
        )
        try:
            report = Generator(firms, seed=seed, out=self.stdout.write).run()
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        for label, count in report.counts.items():
            self.stdout.write(f"  {label:<40} {count:>10,} rows  {report.seconds[label]:7.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - started:.0f} s."))
