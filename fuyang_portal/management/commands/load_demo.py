"""Load the demo: the district core first, then every app's ``demo.load()`` in INSTALLED_APPS order (an app
comes after the apps it builds on). Running it twice changes nothing."""

from django.core.management.base import BaseCommand

from fuyang_portal import demo
from fuyang_portal.discovery import app_modules


class Command(BaseCommand):
    help = "Load the district's places, agencies, pairings, demo accounts and each app's demo rows (idempotent)."

    def handle(self, *args, **options):
        demo.load()
        self.stdout.write("core: places, agencies, pairings, accounts")
        for config, module in app_modules("demo"):
            module.load()
            self.stdout.write(f"{config.name}: loaded")
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Every demo account's password is {demo.DEMO_PASSWORD}"))
        self.stdout.write("Second factor (district office and administrators): add the key to an authenticator app, or run")
        self.stdout.write("`manage.py demo_code <user>` for the current code.")
        for username, key in demo.enrol_demo_devices():
            self.stdout.write(f"  {username}: {key}")
