"""The fault suite's district (``make faults``): the core's places and accounts, eight firms each with an account
and a service specialist, written through the services as the district office; prints each firm's API token and id."""

import json

from django.core.management.base import BaseCommand
from rest_framework.authtoken.models import Token

from enterprises.accounts import create_firm_account
from enterprises.models import Enterprise
from enterprises.services import register_firm
from fuyang_portal import demo
from fuyang_portal.models import Agency, Township, User
from specialists import services as specialist_services
from specialists.models import Specialist

FIRMS = 8


class Command(BaseCommand):
    help = "Build the fault suite's small district and print the firm accounts' API tokens as JSON."

    def handle(self, *args, **options):
        demo.load()
        district = User.objects.get(username="district")
        township = Township.objects.get(name="富春街道")
        agency = Agency.objects.get(name="区经信局")
        tokens = []
        for n in range(1, FIRMS + 1):
            code = demo.make_credit_code(900000 + n)
            firm = Enterprise.objects.filter(credit_code=code).first() or register_firm(
                district, name=f"故障演练企业{n}", credit_code=code, township=township, scale="sme", registered_headcount=50,
            )
            account = User.objects.filter(username=f"faults-firm-{n}").first() or create_firm_account(
                username=f"faults-firm-{n}", enterprise=firm, actor=district,
            )
            specialist = Specialist.objects.filter(user__username=f"faults-specialist-{n}").first()
            if specialist is None:
                specialist, _password = specialist_services.appoint_specialist(
                    district, username=f"faults-specialist-{n}", full_name=f"演练专员{n}", agency=agency,
                    published_mobile=f"1380571{n:04d}", domains=[], townships=[township],
                )
                specialist_services.assign_specialist(district, specialist, firm)
            tokens.append({"token": Token.objects.get_or_create(user=account)[0].key, "enterprise": firm.pk})
        self.stdout.write(json.dumps({"firms": tokens}))
