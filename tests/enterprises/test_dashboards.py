"""The resumption curve of the home page: the share of firms resumed by the end of each day (Beijing time),
for the district and each township; a township sees its own curve against the district median."""

from datetime import date, datetime, timedelta
from statistics import median
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from enterprises import dashboards
from tests.enterprises.factories import ApprovedRequestFactory, ResumptionRequestFactory
from tests.factories import EnterpriseFactory, TownshipFactory, agency_user, district_user, township_user

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
TODAY = date(2020, 2, 24)


@pytest.fixture(autouse=True)
def _story_clock(settings):
    settings.DEMO_CLOCK = "2020-02-24T10:00:00"


@pytest.fixture
def district():
    first, second = TownshipFactory(sort_order=1), TownshipFactory(sort_order=2)
    firms = [EnterpriseFactory(township=first) for _ in range(4)] + [EnterpriseFactory(township=second) for _ in range(2)]
    approvals = [
        (firms[0], datetime(2020, 1, 20, 9, tzinfo=BEIJING)),  # before the chart's first day
        (firms[1], datetime(2020, 2, 10, 0, 30, tzinfo=BEIJING)),
        (firms[2], datetime(2020, 2, 20, 23, 30, tzinfo=BEIJING)),  # late in the evening: still the 20th in Beijing
        (firms[4], datetime(2020, 2, 24, 9, tzinfo=BEIJING)),
    ]
    for firm, moment in approvals:
        ApprovedRequestFactory(enterprise=firm, submitted_at=moment - timedelta(hours=2), approved_at=moment)
    ResumptionRequestFactory(enterprise=firms[3])  # a draft counts for nothing
    return first, second, firms, approvals


def expected_rate(firms, approvals, day):
    """Counted by hand: firms whose approval came before the end of ``day`` in Beijing."""
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=BEIJING)
    resumed = sum(1 for firm, moment in approvals if firm in firms and moment < end)
    return round(100.0 * resumed / len(firms), 1)


def days():
    return [TODAY - timedelta(days=n) for n in reversed(range(dashboards.DAYS))]


def test_the_district_curve_and_each_township_computed_in_the_database(district, django_assert_num_queries):
    first, second, firms, approvals = district
    user = district_user()
    with django_assert_num_queries(2):
        [chart] = dashboards.charts(user)
    assert chart["id"] == "resumption" and len(chart["x"]) == dashboards.DAYS and chart["x"][-1] == "02-24"
    assert chart["series"][0]["data"] == [expected_rate(firms, approvals, day) for day in days()]
    choices = {choice["name"]: choice["data"] for choice in chart["choices"]}
    assert choices[first.name] == [expected_rate(firms[:4], approvals, day) for day in days()]
    assert choices[second.name] == [expected_rate(firms[4:], approvals, day) for day in days()]
    # The township furthest behind today is offered first.
    assert chart["choices"][0]["name"] == second.name  # 1 of 2 today, against 3 of 4
    assert chart["series"][0]["data"][days().index(date(2020, 2, 20))] == 50.0  # 3 of 6 by the evening of the 20th


def test_a_township_sees_its_own_curve_against_the_district_median(district):
    first, second, firms, approvals = district
    [chart] = dashboards.charts(township_user(second))
    own, middle = chart["series"]
    assert own["name"] == second.name and "choices" not in chart
    assert own["data"] == [expected_rate(firms[4:], approvals, day) for day in days()]
    assert middle["data"] == [
        round(median([expected_rate(firms[:4], approvals, day), expected_rate(firms[4:], approvals, day)]), 1) for day in days()
    ]


def test_other_roles_get_no_resumption_chart(district):
    assert dashboards.charts(agency_user()) == []


def test_the_district_home_carries_the_charts_for_the_static_script(client, district):
    client.force_login(district_user())
    html = client.get(reverse("home")).content.decode()
    assert '<section id="charts"' in html and 'id="chart-resumption"' in html
    assert 'id="home-charts" type="application/json"' in html
    assert "vendor/echarts/echarts.min.js" in html and "portal/home-charts.js" in html
    assert "<script>" not in html  # no inline script under the Content-Security-Policy


def test_a_firm_home_has_no_charts(client, district):
    from tests.factories import enterprise_user

    client.force_login(enterprise_user(district[2][0]))
    html = client.get(reverse("home")).content.decode()
    assert 'id="charts"' not in html and "echarts" not in html
