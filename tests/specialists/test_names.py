"""The problem tables' overdue column reads the business clock: an assignment still with its agency after its
deadline shows a red 已超期 badge, whether or not the overdue sweep has run yet; the filter agrees."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fuyang_portal import clock
from specialists import services
from specialists.models import Problem
from tests.factories import AgencyFactory, district_user
from tests.specialists.factories import raised_problem

pytestmark = pytest.mark.django_db

BJ = ZoneInfo("Asia/Shanghai")
BADGE = re.compile(r'<span class="badge text-bg-danger">已超期</span>')


def assigned(deadline, district):
    with clock.at(datetime(2020, 2, 5, 9, 0, tzinfo=BJ)):
        problem, specialist = raised_problem()
        services.escalate(problem, specialist.user, "需要区级协调")
        services.assign(Problem.objects.get(pk=problem.pk), district, AgencyFactory(), deadline=deadline)
    return Problem.objects.get(pk=problem.pk)


def overdue_cells(html):
    return re.findall(r'data-label="已超期">(.*?)</td>', html, flags=re.S)


def test_a_past_deadline_is_overdue_by_the_business_clock(client, settings):
    district = district_user()
    late = assigned(date(2020, 2, 7), district)
    assigned(date(2020, 2, 28), district)
    assert not late.overdue  # the sweep has not run: the page still tells
    settings.DEMO_CLOCK = "2020-02-24T10:00:00"
    client.force_login(district)
    html = client.get(reverse("specialists:problems")).content.decode()
    cells = [cell.strip() for cell in overdue_cells(html)]
    assert len(cells) == 2 and len(BADGE.findall(html)) == 1
    assert "—" in cells and "✔" not in html and "✘" not in html
    only_late = client.get(reverse("specialists:problems"), {"overdue": "true"}).context["table"].data
    assert [row.pk for row in only_late] == [late.pk]


def test_before_the_deadline_nothing_is_overdue(client, settings):
    district = district_user()
    assigned(date(2020, 2, 7), district)
    settings.DEMO_CLOCK = "2020-02-06T10:00:00"
    client.force_login(district)
    html = client.get(reverse("specialists:problems")).content.decode()
    assert not BADGE.search(html)
    assert not client.get(reverse("specialists:problems"), {"overdue": "true"}).context["table"].data


def test_an_answered_problem_is_no_longer_overdue(client, settings):
    district = district_user()
    problem = assigned(date(2020, 2, 7), district)
    Problem.objects.filter(pk=problem.pk).update(status=Problem.Status.ANSWERED)
    settings.DEMO_CLOCK = "2020-02-24T10:00:00"
    client.force_login(district)
    assert not BADGE.search(client.get(reverse("specialists:problems")).content.decode())


def test_the_overdue_column_adds_no_query_per_row(client, settings):
    district = district_user()
    settings.DEMO_CLOCK = "2020-02-24T10:00:00"
    assigned(date(2020, 2, 7), district)
    client.force_login(district)
    client.get(reverse("specialists:problems"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("specialists:problems"))
    for n in range(4):
        assigned(date(2020, 2, 7 + n), district)
    client.get(reverse("specialists:problems"))  # warm up: reference lists changed by the new rows are read again once
    with CaptureQueriesContext(connection) as large:
        html = client.get(reverse("specialists:problems")).content.decode()
    assert len(BADGE.findall(html)) == 5
    assert len(large) == len(small)
