"""The current second-factor code of a demo account (its device was made by load_demo from a known key); a real
account's device is never read here."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from fuyang_portal.demo import DEMO_DEVICE


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (district, admin, sysadmin, secadmin, auditor)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        device = TOTPDevice.objects.filter(user__username=username, name=DEMO_DEVICE, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no demo device (only the demo accounts do).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
