"""Problems per week on the district office's home page: opened, closed (confirmed by the firm) and the share
closed on time, as the contest counts them."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from specialists import dashboards
from specialists.models import Problem
from tests.factories import EnterpriseFactory, district_user, township_user

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _story_clock(settings):
    settings.DEMO_CLOCK = "2020-02-24T10:00:00"


def moment(day, hour=10, minute=0):
    return datetime.combine(day, datetime.min.time(), tzinfo=BEIJING).replace(hour=hour, minute=minute)


@pytest.fixture
def problems():
    firm, author = EnterpriseFactory(), district_user()
    rows = [
        # raised, confirmed, on time
        (moment(date(2020, 2, 3)), moment(date(2020, 2, 7)), True),
        (moment(date(2020, 2, 4)), moment(date(2020, 2, 16, ), 23, 50), False),  # Sunday night: still that week in Beijing
        (moment(date(2020, 2, 10), 0, 10), moment(date(2020, 2, 17)), True),  # Monday just after midnight
        (moment(date(2020, 2, 18)), None, None),
        (moment(date(2020, 2, 24), 8), None, None),
        (moment(date(2019, 12, 2)), moment(date(2019, 12, 3)), True),  # before the chart
    ]
    for raised, closed, on_time in rows:
        Problem.objects.create(
            enterprise=firm, raised_by=author, category="funds", description="缺口罩", raised_at=raised,
            status=Problem.Status.CONFIRMED if closed else Problem.Status.RAISED, closed_at=closed, on_time=on_time,
        )
    return rows


def test_opened_closed_and_on_time_by_week(problems, django_assert_num_queries):
    user = district_user()
    with django_assert_num_queries(2):
        [chart] = dashboards.charts(user)
    mondays = [date(2020, 2, 24) - timedelta(weeks=n) for n in reversed(range(dashboards.WEEKS))]
    assert chart["x"] == [monday.strftime("%m-%d") for monday in mondays]

    def week(value):
        local = value.astimezone(BEIJING).date()
        return local - timedelta(days=local.weekday())

    opened, closed, on_time = ({m: 0 for m in mondays} for _ in range(3))
    for raised, confirmed, in_time in problems:
        if week(raised) in opened:
            opened[week(raised)] += 1
        if confirmed and week(confirmed) in closed:
            closed[week(confirmed)] += 1
            on_time[week(confirmed)] += 1 if in_time else 0
    series = {s["name"]: s["data"] for s in chart["series"]}
    assert list(series.values())[0] == [opened[m] for m in mondays]
    assert list(series.values())[1] == [closed[m] for m in mondays]
    assert list(series.values())[2] == [round(100.0 * on_time[m] / closed[m], 1) if closed[m] else None for m in mondays]
    assert list(series.values())[1][-4:] == [1, 1, 1, 0] and list(series.values())[2][-4:] == [100.0, 0.0, 100.0, None]


def test_only_the_district_office_gets_the_problem_chart(problems):
    assert dashboards.charts(township_user()) == []
