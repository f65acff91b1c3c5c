"""Who sees which rows: each role through visible_to, and the firm list of a specialist."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enterprises.models import Enterprise
from specialists import services
from specialists.models import Assignment, Problem, Specialist, TrackedProject, Visit
from tests.factories import AgencyFactory, EnterpriseFactory, agency_user, district_user, enterprise_user, township_user

from .factories import AssignmentFactory, SpecialistFactory, TrackedProjectFactory, VisitFactory, raised_problem

pytestmark = pytest.mark.django_db


def test_a_specialist_sees_only_firms_actively_assigned_to_them():
    specialist = SpecialistFactory()
    mine, ended, future, other = EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()
    today = timezone.localdate()
    AssignmentFactory(specialist=specialist, enterprise=mine)
    AssignmentFactory(specialist=specialist, enterprise=ended, ends_on=today - timedelta(days=1))
    AssignmentFactory(specialist=specialist, enterprise=future, starts_on=today + timedelta(days=3))
    AssignmentFactory(enterprise=other)
    AssignmentFactory(specialist=SpecialistFactory(), enterprise=mine)  # shared firm: listed once
    assert list(Enterprise.objects.visible_to(specialist.user)) == [mine]


def test_problem_rows_per_role():
    problem, specialist = raised_problem()
    agency = AgencyFactory()
    services.escalate(problem, specialist.user)
    services.assign(problem, district_user(), agency)
    other_problem, _ = raised_problem()
    firm = problem.enterprise
    seen = lambda user: set(Problem.objects.visible_to(user))  # noqa: E731
    assert seen(district_user()) == {problem, other_problem}
    assert seen(specialist.user) == {problem}
    assert seen(township_user(firm.township)) == {problem}
    assert seen(agency_user(agency)) == {problem}
    assert seen(agency_user(AgencyFactory())) == set()
    assert seen(enterprise_user(firm)) == {problem}
    assert seen(enterprise_user(EnterpriseFactory())) == set()


def test_visits_projects_and_assignments_per_role():
    specialist = SpecialistFactory()
    firm = EnterpriseFactory()
    AssignmentFactory(specialist=specialist, enterprise=firm)
    visit = VisitFactory(specialist=specialist, enterprise=firm)
    project = TrackedProjectFactory(specialist=specialist, enterprise=firm)
    VisitFactory(), TrackedProjectFactory()
    for user in (specialist.user, township_user(firm.township), enterprise_user(firm), agency_user(specialist.agency)):
        assert list(Visit.objects.visible_to(user)) == [visit]
        assert list(TrackedProject.objects.visible_to(user)) == [project]
        assert Assignment.objects.visible_to(user).count() == 1
    assert Visit.objects.visible_to(agency_user(AgencyFactory())).count() == 0


def test_an_enterprise_sees_its_specialists_but_not_others():
    firm = EnterpriseFactory()
    mine = SpecialistFactory()
    AssignmentFactory(specialist=mine, enterprise=firm)
    SpecialistFactory()
    assert list(Specialist.objects.visible_to(enterprise_user(firm))) == [mine]
