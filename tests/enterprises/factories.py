"""Factories for the enterprises app's records."""

import datetime
import itertools

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from enterprises.models import DailyReport, Enterprise, HealthCode, Pass, PassKind, ResumptionRequest, ResumptionStatus, VehicleType
from fuyang_portal.demo import make_resident_id
from tests.factories import EnterpriseFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
_people = itertools.count(1)
_plates = itertools.count(10000)


def pdf_file(name="plan.pdf"):
    return ContentFile(PDF_BYTES, name=name)


class ResumptionRequestFactory(DjangoModelFactory):
    class Meta:
        model = ResumptionRequest

    enterprise = factory.SubFactory(EnterpriseFactory)
    planned_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=3))
    staff_local = 20
    staff_outside = 5
    masks = 500
    thermometers = 4
    disinfectant_litres = 20
    resumption_plan = factory.LazyFunction(lambda: pdf_file("resume.pdf"))
    prevention_plan = factory.LazyFunction(lambda: pdf_file("prevent.pdf"))


class ApprovedRequestFactory(ResumptionRequestFactory):
    status = ResumptionStatus.APPROVED
    submitted_at = factory.LazyFunction(timezone.now)
    approved_at = factory.LazyFunction(timezone.now)

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def firm_resumed(request, create, extracted, **kwargs):
        # As the approval services do: the firm records when it resumed.
        if create:
            Enterprise.objects.filter(pk=request.enterprise_id).mark_resumed(request.approved_at)
            request.enterprise.resumed_at = request.approved_at


class DailyReportFactory(DjangoModelFactory):
    class Meta:
        model = DailyReport

    enterprise = factory.SubFactory(EnterpriseFactory)
    date = factory.LazyFunction(timezone.localdate)
    staff_on_site = 30
    staff_away = 10
    capacity_percent = 60


def plate(n=None):
    n = next(_plates) if n is None else n
    return f"浙A{n:05d}"


def resident_id(n=None):
    n = next(_people) if n is None else n
    return make_resident_id(n, birth=f"1985{1 + n % 12:02d}{1 + n % 27:02d}")


class VehiclePassFactory(DjangoModelFactory):
    class Meta:
        model = Pass

    kind = PassKind.VEHICLE
    enterprise = factory.SubFactory(EnterpriseFactory)
    plate = factory.LazyFunction(plate)
    vehicle_type = VehicleType.VAN
    driver_name = "王师傅"
    mobile = "13905710001"
    route = "富阳—杭州"
    valid_from = factory.LazyFunction(timezone.localdate)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class EmployeePassFactory(DjangoModelFactory):
    class Meta:
        model = Pass

    kind = PassKind.EMPLOYEE
    enterprise = factory.SubFactory(EnterpriseFactory)
    holder_name = "张小明"
    mobile = "13905710002"
    origin = "安徽省阜阳市"
    health_code = HealthCode.GREEN
    valid_from = factory.LazyFunction(timezone.localdate)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


    @classmethod
    def _create(cls, model_class, *args, id_number=None, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.set_id_number(id_number or resident_id())
        obj.save()
        return obj


