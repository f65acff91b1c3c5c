"""Factories of labour matching: partner counties and their accounts, vacancies in any state, candidates."""

import itertools
from datetime import timedelta

import factory
from factory.django import DjangoModelFactory

from fuyang_portal import clock
from fuyang_portal.demo import make_resident_id
from fuyang_portal.identity import lookup_hash
from fuyang_portal.roles import Role
from labour.models import Candidate, CandidateStatus, CountyAccount, PartnerCounty, Trade, Vacancy, VacancyStatus
from tests.factories import EnterpriseFactory, UserFactory

_serial = itertools.count(700)
JINPING, JINYUN = "522628", "331122"


def resident_id(serial=None, region=JINPING):
    return make_resident_id(serial if serial is not None else next(_serial), region=region, birth="19900115")


class PartnerCountyFactory(DjangoModelFactory):
    class Meta:
        model = PartnerCounty
        django_get_or_create = ("region_code",)

    name = "锦屏县"
    region_code = JINPING
    pairing = "东西部扶贫协作"


def jinyun():
    return PartnerCountyFactory(name="缙云县", region_code=JINYUN, pairing="山海协作")


def county_user(county=None, **kwargs):
    user = UserFactory(role=Role.COUNTY, **kwargs)
    user.county_account = CountyAccount.objects.create(user=user, county=county or PartnerCountyFactory())
    return user


class VacancyFactory(DjangoModelFactory):
    class Meta:
        model = Vacancy

    enterprise = factory.SubFactory(EnterpriseFactory)
    position = "普工"
    trade = Trade.GENERAL
    headcount = 3
    wage_min = 4500
    wage_max = 6000
    housing = True
    meals = True
    start_date = factory.LazyFunction(lambda: clock.today() + timedelta(days=3))
    contact_name = "陈经理"
    contact_mobile = "13857112345"
    status = VacancyStatus.PUBLISHED
    published_at = factory.LazyAttribute(lambda o: clock.now() if o.status in (VacancyStatus.PUBLISHED, VacancyStatus.FILLED) else None)


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    vacancy = factory.SubFactory(VacancyFactory)
    county = factory.SubFactory(PartnerCountyFactory)
    name = factory.Sequence(lambda n: f"杨{n}")
    id_number = factory.LazyFunction(resident_id)
    id_number_hash = factory.LazyAttribute(lambda o: lookup_hash(o.id_number))
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    earliest_travel_date = factory.LazyFunction(lambda: clock.today() + timedelta(days=1))
    status = CandidateStatus.REFERRED


def row(serial=None, **values):
    """One row of a referral, valid unless told otherwise."""
    serial = serial if serial is not None else next(_serial)
    return {
        "name": f"吴{serial}", "id_number": resident_id(serial), "mobile": f"138{serial:08d}",
        "earliest_travel_date": (clock.today() + timedelta(days=2)).isoformat(), "skills": "缝纫", **values,
    }
