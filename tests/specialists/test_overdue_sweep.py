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


def test_sweep_flags_overdue_and_notifies_once(django_capture_on_commit_callbacks):
    """Issue 18 changed the notices on purpose: 催办 at the deadline (and after it), 督办 one working day after it,
    each written once as a Supervision row; the day-before reminder became the rule's 75% reminder
    (tests/specialists/test_supervision.py)."""
    today = timezone.localdate()
    agency, district = AgencyFactory(), district_user()
    clerk, bystander = agency_user(agency), agency_user(AgencyFactory())
    late = assigned(agency, district, today - timedelta(days=1))
    due_today = assigned(agency, district, today)
    later = assigned(agency, district, next_working_day(next_working_day(today)) + timedelta(days=1))
    for problem in (late, due_today, later):
        services.accept(problem, clerk)
    Problem.objects.update(remind_on=None)
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.sweep_overdue.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.sweep_overdue.delay().get()

    assert first["flagged"] == 1 and first["urged"] == 2
    assert second == {"flagged": 0, "reminded": 0, "urged": 0, "supervised": 0, "auto_closed": 0}
    assert set(Problem.objects.filter(overdue=True)) == {late}
    urls = set(Notification.objects.filter(recipient=clerk).values_list("url", flat=True))
    assert urls == {late.get_absolute_url(), due_today.get_absolute_url()}
    assert not Notification.objects.filter(recipient=bystander).exists()
    assert later.get_absolute_url() not in set(Notification.objects.values_list("url", flat=True))


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
