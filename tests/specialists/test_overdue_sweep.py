"""The beat sweep flags overdue assignments and reminds agency and district once, the day before and on the day."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from fuyang_portal.models import Notification
from specialists import services, tasks
from specialists.models import Problem
from specialists.workdays import next_working_day
from tests.factories import AgencyFactory, agency_user, district_user

from .factories import raised_problem

pytestmark = pytest.mark.django_db


def assigned(agency, district, deadline):
    problem, specialist = raised_problem()
    services.escalate(problem, specialist.user)
    services.assign(problem, district, agency)
    Problem.objects.filter(pk=problem.pk).update(deadline=deadline)
    return problem


def test_sweep_flags_overdue_and_reminds_once(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    agency, district = AgencyFactory(), district_user()
    clerk, bystander = agency_user(agency), agency_user(AgencyFactory())
    late = assigned(agency, district, today - timedelta(days=1))
    due_today = assigned(agency, district, today)
    due_next = assigned(agency, district, next_working_day(today))
    later = assigned(agency, district, next_working_day(next_working_day(today)) + timedelta(days=1))
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.sweep_overdue.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.sweep_overdue.delay().get()

    assert first == {"flagged": 1, "reminded": 2}
    assert second == {"flagged": 0, "reminded": 2}
    assert set(Problem.objects.filter(overdue=True)) == {late}
    for user in (clerk, district):
        titles = list(Notification.objects.filter(recipient=user).values_list("url", flat=True))
        assert sorted(titles) == sorted([due_today.get_absolute_url(), due_next.get_absolute_url()])
    assert not Notification.objects.filter(recipient=bystander).exists()
    assert later.pk not in {int(url.rstrip("/").split("/")[-1]) for url in Notification.objects.values_list("url", flat=True)}


def test_answered_problems_are_not_flagged():
    agency, district = AgencyFactory(), district_user()
    clerk = agency_user(agency)
    problem = assigned(agency, district, date.today() + timedelta(days=5))
    services.accept(problem, clerk)
    services.answer(problem, clerk, "已办结")
    Problem.objects.filter(pk=problem.pk).update(deadline=date(2020, 2, 3))
    assert services.sweep_overdue()["flagged"] == 0


def test_a_granted_extension_clears_the_overdue_flag():
    agency, district = AgencyFactory(), district_user()
    problem = assigned(agency, district, timezone.localdate() - timedelta(days=2))
    services.sweep_overdue()
    services.request_extension(problem, agency_user(agency), 3, "需要更多时间")
    services.decide_extension(problem, district, True)
    problem.refresh_from_db()
    assert not problem.overdue and problem.deadline > timezone.localdate()
