"""The load run's people (``make load``): on top of the demo district (``manage.py load_demo``), 10 district
office accounts with an enrolled TOTP device, 50 township staff, 30 agency staff, 70 service specialists each
assigned 8 firms of their township, and 40 firm accounts; all opened through the services as the district office,
with one password given here. Idempotent: an account that exists is reused.

Writes var/cluster/load-accounts.json: the user names per role and, for the district office, the device key the
load client computes its codes from (a key as an authenticator app would hold it; never print it in production).
"""

import json
from itertools import cycle
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from enterprises.accounts import create_firm_account
from enterprises.models import Enterprise
from fuyang_portal.accounts import create_account
from fuyang_portal.models import Agency, Township, User
from fuyang_portal.roles import Role
from specialists import services as specialist_services
from specialists.models import Assignment, Specialist

DEVICE = "load-run"
PEOPLE = {"district": 10, "township": 50, "agency": 30, "specialist": 70, "enterprise": 40}
FIRMS_PER_SPECIALIST = 8


class Command(BaseCommand):
    help = "Open the load run's accounts on the demo district and write var/cluster/load-accounts.json."

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True, help="the password of every load account")
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "var" / "cluster" / "load-accounts.json"))

    def handle(self, *args, password, output, **options):
        actor = User.objects.filter(username="district", role=Role.DISTRICT).first()
        if actor is None:
            raise CommandError("Load the demo first: manage.py load_demo")
        townships = list(Township.objects.order_by("pk"))
        with transaction.atomic():
            people = {
                "district": self.district(actor, password),
                "township": [self.staff(actor, f"load-town-{n:02d}", Role.TOWNSHIP, password, township=township)
                             for n, township in zip(range(1, PEOPLE["township"] + 1), cycle(townships))],
                "agency": [self.staff(actor, f"load-agency-{n:02d}", Role.AGENCY, password, agency=agency)
                           for n, agency in zip(range(1, PEOPLE["agency"] + 1), self.agencies())],
                "specialist": self.specialists(actor, password, townships),
                "enterprise": self.firms(actor, password, townships),
            }
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(json.dumps(people, ensure_ascii=False, indent=1))
        self.stdout.write(", ".join(f"{role}: {len(rows)}" for role, rows in people.items()) + f" -> {output}")

    def staff(self, actor, username, role, password, **scope):
        user = User.objects.filter(username=username).first() or create_account(
            username=username, role=role, password=password, actor=actor, full_name=username, **scope
        )
        return {"username": user.username}

    def district(self, actor, password):
        rows = []
        for n in range(1, PEOPLE["district"] + 1):
            user = User.objects.filter(username=f"load-district-{n:02d}").first() or create_account(
                username=f"load-district-{n:02d}", role=Role.DISTRICT, password=password, actor=actor, full_name=f"区服务企业办 {n}"
            )
            device = TOTPDevice.objects.filter(user=user, name=DEVICE).first() or TOTPDevice.objects.create(
                user=user, name=DEVICE, confirmed=True
            )
            rows.append({"username": user.username, "totp_key": device.key, "step": device.step, "digits": device.digits})
        return rows

    def agencies(self):
        """Agencies with problems assigned to them first (they have queues to answer), then the others."""
        busy = list(Agency.objects.filter(problems__isnull=False).distinct().order_by("pk"))
        return cycle(busy + [agency for agency in Agency.objects.order_by("pk") if agency not in busy])

    def specialists(self, actor, password, townships):
        agencies = list(Agency.objects.order_by("pk"))
        rows = []
        for n in range(1, PEOPLE["specialist"] + 1):
            username = f"load-specialist-{n:02d}"
            township = townships[(n - 1) % len(townships)]
            specialist = Specialist.objects.filter(user__username=username).first()
            if specialist is None:
                # The account first, with the run's password, then its appointment (the service takes an account
                # that has no profile yet).
                agency = agencies[n % len(agencies)]
                account = User.objects.filter(username=username).first() or create_account(
                    username=username, role=Role.SPECIALIST, password=password, actor=actor, full_name=f"专员 {n}",
                    mobile=f"1390571{n:04d}", agency=agency,
                )
                [(specialist, _none)] = specialist_services.appoint_specialists(actor, [{
                    "username": username, "full_name": f"专员 {n}", "agency": agency, "published_mobile": f"1390571{n:04d}",
                    "domains": [], "townships": [township], "account": account,
                }], issue_passwords=False)
            taken = Assignment.objects.active().filter(specialist=specialist).count()
            if taken < FIRMS_PER_SPECIALIST:
                firms = (Enterprise.objects.filter(township=township).exclude(specialist_assignments__specialist=specialist)
                         .order_by("pk")[(n // len(townships)) * FIRMS_PER_SPECIALIST:][:FIRMS_PER_SPECIALIST - taken])
                specialist_services.bulk_assign(actor, specialist, list(firms))
            rows.append({"username": username})
        return rows

    def firms(self, actor, password, townships):
        """Firms without an account yet, spread over the townships (each township's staff then has passes to review)."""
        rows = []
        have = set(User.objects.filter(username__startswith="load-firm-").values_list("username", flat=True))
        for n in range(1, PEOPLE["enterprise"] + 1):
            username = f"load-firm-{n:02d}"
            if username not in have:
                spare = Enterprise.objects.filter(accounts__isnull=True).order_by("pk")
                firm = spare.filter(township=townships[(n - 1) % len(townships)]).first() or spare.first()
                create_firm_account(username=username, enterprise=firm, password=password, actor=actor)
            firm_id = User.objects.filter(username=username).values_list("firm_account__enterprise_id", flat=True).get()
            rows.append({"username": username, "enterprise": firm_id})
        return rows
