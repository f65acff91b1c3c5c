"""Factories for the subsidies app: registrations, trips with passengers, claims and policy versions."""

import itertools
from datetime import date
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory

from fuyang_portal.demo import make_resident_id
from fuyang_portal.identity import lookup_hash
from subsidies.models import CharterTrip, HealthCode, SubsidyClaim, TravelMode, TripPassenger, WorkerRegistration
from tests.factories import EnterpriseFactory

_people = itertools.count(1)
_invoices = itertools.count(10000001)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def invoice_png(name="invoice.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def resident_id(serial=None, region="520322"):
    serial = next(_people) if serial is None else serial
    return make_resident_id(serial, region=region, birth=f"19{80 + serial // 1000 % 20:02d}0101")


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = WorkerRegistration

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"工人{n}")
    id_number = factory.LazyFunction(resident_id)
    id_number_hash = factory.LazyAttribute(lambda o: lookup_hash(o.id_number))
    mobile = factory.Sequence(lambda n: f"139{n % 100000000:08d}")
    origin_province = "520000"
    origin_city = "520300"
    origin_county = "520322"
    return_date = date(2020, 2, 18)
    travel_mode = TravelMode.CHARTER
    health_code = HealthCode.GREEN


class TripFactory(DjangoModelFactory):
    class Meta:
        model = CharterTrip
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    origin_province = "520000"
    origin_city = "520300"
    origin_county = "520322"
    departure_date = date(2020, 2, 18)
    arrival_date = date(2020, 2, 19)
    seats = 45
    status = CharterTrip.Status.COMPLETED

    @factory.post_generation
    def riders(obj, create, extracted, **kwargs):
        """``TripFactory(riders=3)`` seats three of the firm's registrants who travelled."""
        if create and extracted:
            for _ in range(extracted):
                TripPassenger.objects.create(
                    trip=obj, registration=RegistrationFactory(enterprise=obj.enterprise), travelled=obj.status == CharterTrip.Status.COMPLETED
                )


class ClaimFactory(DjangoModelFactory):
    class Meta:
        model = SubsidyClaim

    trip = factory.SubFactory(TripFactory, riders=5)
    enterprise = factory.SelfAttribute("trip.enterprise")
    bus_company = "贵州遵义客运有限公司"
    plate = "贵C12345"
    departure_date = factory.SelfAttribute("trip.departure_date")
    arrival_date = factory.SelfAttribute("trip.arrival_date")
    origin_province = factory.SelfAttribute("trip.origin_province")
    origin_county = factory.SelfAttribute("trip.origin_county")
    invoice_number = factory.LazyFunction(lambda: f"{next(_invoices):08d}")
    invoice_amount = Decimal("12000.00")
    invoice_image = factory.LazyFunction(invoice_png)
    payee_bank = "中国工商银行富阳支行"
    payee_account = "6222021202012345678"
    status = SubsidyClaim.Status.DRAFT


def submit(claim, *, actor, on):
    """The firm files ``claim`` on the business day ``on``."""
    from fuyang_portal import clock
    from subsidies import services

    with clock.at(on):
        return services.submit_claim(claim, actor=actor)


def approved_claim(amount="10000", filed=date(2020, 2, 25)):
    """A claim through the firm, its township and the district office: approved, awaiting payout."""
    from decimal import Decimal

    from subsidies import services
    from tests.factories import district_user, enterprise_user, township_user

    claim = ClaimFactory(invoice_amount=Decimal(amount))
    submit(claim, actor=enterprise_user(claim.enterprise), on=filed)
    services.township_approve(claim, actor=township_user(claim.enterprise.township))
    services.district_approve(claim, actor=district_user())
    return claim
