"""Factories for the programmes app: built through its services where a service exists."""

import itertools
from datetime import date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fuyang_portal import clock
from programmes import services
from programmes.models import Category
from tests.factories import EnterpriseFactory, TownshipFactory, township_user
from tests.subsidies.factories import RegistrationFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
_serial = itertools.count(1)

# The story's Monday morning: every test runs on the business clock at this moment unless it says otherwise.
MONDAY = timezone.make_aware(datetime(2020, 2, 24, 10, 0))


def photo(name="site.png", content=PNG, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def indicator_code():
    """An indicator code the leaderboard's table holds: loaded by its migration, and defined again where a test
    database was emptied (the browser tests' live server flushes it)."""
    from decimal import Decimal

    from leaderboard.models import Indicator, Source

    Indicator.objects.get_or_create(code="epidemic-prevention", defaults=dict(
        name_zh="疫情防控", name_en="Epidemic-prevention inspection score", levels=["township", "group", "village"], direction="higher",
        weight_township=Decimal(5), weight_group=Decimal(5), weight_village=Decimal(5), source=Source.ENTERED, min_value=Decimal(0),
        max_value=Decimal(100), sort_order=10,
    ))
    return "epidemic-prevention"


def work_list(township=None, cadre=None, title="工作清单"):
    township = township or TownshipFactory()
    cadre = cadre or township_user(township)
    return services.create_work_list(cadre, title=title), cadre


def work_item(township=None, cadre=None, person=None, deadline=date(2020, 2, 20), **row):
    work_list_, cadre = work_list(township, cadre)
    person = person or cadre
    row = {"category": Category.CHECKPOINT, "indicator_code": indicator_code(), "title": f"卡点任务{next(_serial)}",
           "responsible_unit": "镇综合执法队", "responsible_person": person, "deadline": deadline, **row}
    return services.add_item(cadre, work_list_, **row), cadre


def registration(township, **kwargs):
    return RegistrationFactory(enterprise=EnterpriseFactory(township=township), **kwargs)


def clinic_user(township, cadre=None, name=None):
    cadre = cadre or township_user(township)
    clinic = services.add_clinic(cadre, name=name or f"卫生院{next(_serial)}")
    user = services.open_clinic_account(cadre, clinic=clinic, username=f"clinic{next(_serial)}", password="Correct-Horse-42")
    return user, clinic


def with_clock(moment=MONDAY):
    return clock.at(moment)
