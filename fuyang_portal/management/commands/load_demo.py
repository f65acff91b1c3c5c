"""Load the demo: the district core first, then each domain app's ``demo.load()`` in dependency order.
Running it twice changes nothing."""

from importlib import import_module

from django.core.management.base import BaseCommand

from fuyang_portal import demo

DEMO_ORDER = ("enterprises", "specialists", "subsidies", "leaderboard")


class Command(BaseCommand):
    help = "Load the district's places, agencies, pairings, demo accounts and each app's demo rows (idempotent)."

    def handle(self, *args, **options):
        demo.load()
        self.stdout.write("core: places, agencies, pairings, accounts")
        for app in DEMO_ORDER:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as missing:
                if missing.name != f"{app}.demo":
                    raise
                continue
            module.load()
            self.stdout.write(f"{app}: loaded")
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Every demo account's password is {demo.DEMO_PASSWORD}"))
