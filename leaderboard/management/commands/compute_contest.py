"""Compute a week's contest drafts (what the Monday beat job does), timing each level."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from fuyang_portal.metrics import Level
from fuyang_portal.workflow import ActionRefused
from leaderboard import services


class Command(BaseCommand):
    help = "Compute the drafts of a contest week (default: last week) for all three levels or one, and print the time taken."

    def add_arguments(self, parser):
        parser.add_argument("--week", help="Monday of the week, YYYY-MM-DD (default: last week, Beijing time)")
        parser.add_argument("--level", choices=Level.values, help="One level only")

    def handle(self, *args, **options):
        week_start = date.fromisoformat(options["week"]) if options["week"] else services.last_week()
        levels = [Level(options["level"])] if options["level"] else list(Level)
        started = time.perf_counter()
        for level in levels:
            level_started = time.perf_counter()
            try:
                week = services.compute_week(level, week_start)
            except ActionRefused as refusal:
                if refusal.code != ActionRefused.CONFLICT:
                    raise CommandError(str(refusal.message)) from None
                self.stdout.write(f"{level.value}: {refusal.message}")
                continue
            count = week.results.count()
            self.stdout.write(f"{level.value}: {count} units in {time.perf_counter() - level_started:.2f}s")
        self.stdout.write(self.style.SUCCESS(f"{week_start}: {time.perf_counter() - started:.2f}s in all"))
