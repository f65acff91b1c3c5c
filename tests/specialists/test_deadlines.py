"""Deadlines count working days on China's official calendar, in Beijing time."""

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from specialists import services
from specialists.models import DeadlineRule, Problem
from specialists.workdays import add_working_days, is_workday
from tests.factories import AgencyFactory, district_user

from .factories import raised_problem

BEIJING = ZoneInfo("Asia/Shanghai")


def test_2020_extended_spring_festival_is_not_working_time():
    # The State Council extended the 2020 holiday to 2 February; 1 February (a Saturday) was not a make-up day.
    assert not is_workday(date(2020, 1, 31))
    assert not is_workday(date(2020, 2, 2))
    assert is_workday(date(2020, 2, 3))
    assert add_working_days(date(2020, 1, 27), 3) == date(2020, 2, 5)


def test_make_up_saturday_counts_as_a_working_day():
    # 2020-01-19 (a Sunday) was a make-up working day before the holiday.
    assert is_workday(date(2020, 1, 19))
    assert add_working_days(date(2020, 1, 18), 1) == date(2020, 1, 19)


@pytest.mark.django_db
def test_assignment_deadline_uses_the_category_rule_and_beijing_date():
    DeadlineRule.objects.filter(category="funds").update(working_days=4)
    problem, specialist = raised_problem(category="funds")
    services.escalate(problem, specialist.user)
    # 2020-01-31 17:00 UTC is already 1 February in Beijing; four working days later is 6 February.
    with mock.patch("django.utils.timezone.now", return_value=datetime(2020, 1, 31, 17, 0, tzinfo=ZoneInfo("UTC"))):
        services.assign(problem, district_user(), AgencyFactory())
    assert Problem.objects.get(pk=problem.pk).deadline == date(2020, 2, 6)


@pytest.mark.django_db
def test_district_office_edits_the_rule():
    rule = DeadlineRule.objects.get(category="supplies")
    rule.working_days = 1
    rule.save()
    assert services.deadline_for("supplies", date(2020, 2, 7)) == date(2020, 2, 10)
