"""Labour records for one side of the access matrix's world (tests/security/world.py): the side's partner county
with its account, a published vacancy of the side's firm and a candidate the county referred to it."""

from labour.models import CandidateStatus
from tests.labour.factories import CandidateFactory, PartnerCountyFactory, VacancyFactory, county_user

COUNTIES = {"甲": ("锦屏县", "522628"), "乙": ("缙云县", "331122")}


def labour_objects(firm, label):
    name, region = COUNTIES[label]
    county = PartnerCountyFactory(name=name, region_code=region)
    vacancy = VacancyFactory(enterprise=firm)
    candidate = CandidateFactory(vacancy=vacancy, county=county, status=CandidateStatus.REFERRED)
    return {"county": county, "county_user": county_user(county), "vacancy": vacancy, "candidate": candidate}
