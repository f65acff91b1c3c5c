"""Helpers for the problem loop's tests (issue 18): a problem at each stage, on the business clock."""

from datetime import datetime
from zoneinfo import ZoneInfo

from fuyang_portal import clock
from specialists import services
from specialists.models import Problem
from tests.factories import AgencyFactory, agency_user, district_user, enterprise_user

from .factories import raised_problem

BJ = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=9, minute=0):
    return clock.at(datetime(year, month, day, hour, minute, tzinfo=BJ))


class Story:
    """One problem and its people: the firm's specialist and account, the district office, a lead agency and
    its clerk."""

    def __init__(self, category="funds"):
        self.problem, self.specialist = raised_problem(category=category)
        self.district = district_user()
        self.agency = AgencyFactory()
        self.clerk = agency_user(self.agency)
        self.firm = enterprise_user(self.problem.enterprise)

    def reload(self):
        self.problem = Problem.objects.get(pk=self.problem.pk)
        return self.problem

    def escalated(self):
        services.escalate(self.problem, self.specialist.user, "需要区里协调")
        return self.reload()

    def assigned(self, co_agencies=(), **kwargs):
        self.escalated()
        services.assign(self.problem, self.district, self.agency, co_agencies=co_agencies, **kwargs)
        return self.reload()

    def accepted(self, **kwargs):
        self.assigned(**kwargs)
        services.accept(self.problem, self.clerk)
        return self.reload()

    def answered(self, **kwargs):
        self.accepted(**kwargs)
        services.answer(self.problem, self.clerk, "已协调办结")
        return self.reload()
