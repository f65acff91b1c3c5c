"""The contest's metric functions against a hand-made data set, at each level, with their drill-down rows."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from enterprises import metrics
from enterprises.models import PassStatus, ResumptionStatus, Scale
from fuyang_portal.metrics import Level
from tests.enterprises.factories import ApprovedRequestFactory, DailyReportFactory, ResumptionRequestFactory, VehiclePassFactory
from tests.factories import CommunityGroupFactory, EnterpriseFactory, TownshipFactory, VillageFactory

pytestmark = pytest.mark.django_db
BJ = ZoneInfo("Asia/Shanghai")
START, END = datetime.date(2020, 2, 3), datetime.date(2020, 2, 9)


def at(day, hour=10, minute=0):
    return datetime.datetime(2020, 2, day, hour, minute, tzinfo=BJ)


@pytest.fixture
def world():
    t1, t2 = TownshipFactory(), TownshipFactory()
    group = CommunityGroupFactory(community__township=t1)
    village = VillageFactory(township=t1)
    a = EnterpriseFactory(township=t1, community=group.community, scale=Scale.ABOVE_SCALE, registered_headcount=100)
    b = EnterpriseFactory(township=t1, village=village, scale=Scale.ABOVE_SCALE, registered_headcount=200)
    c = EnterpriseFactory(township=t1, village=village, scale=Scale.ABOVE_SCALE, registered_headcount=300)
    d = EnterpriseFactory(township=t1, community=group.community, scale=Scale.SME, registered_headcount=20)
    e = EnterpriseFactory(township=t2, scale=Scale.ABOVE_SCALE, registered_headcount=50)
    ApprovedRequestFactory(enterprise=a, approved_at=at(5))
    ApprovedRequestFactory(enterprise=b, approved_at=at(10, 0, 1))  # after the week
    ResumptionRequestFactory(enterprise=c, status=ResumptionStatus.SUBMITTED)
    ApprovedRequestFactory(enterprise=d, approved_at=at(9, 23, 59))  # last minute of the week, Beijing time
    ApprovedRequestFactory(enterprise=e, approved_at=at(6))
    # reports: a's latest up to the 9th is the 9th (60); d reported once (10); a later report must not count
    DailyReportFactory(enterprise=a, date=datetime.date(2020, 2, 7), staff_on_site=50)
    DailyReportFactory(enterprise=a, date=datetime.date(2020, 2, 9), staff_on_site=60)
    DailyReportFactory(enterprise=a, date=datetime.date(2020, 2, 10), staff_on_site=90)
    DailyReportFactory(enterprise=d, date=datetime.date(2020, 2, 8), staff_on_site=10)
    DailyReportFactory(enterprise=e, date=datetime.date(2020, 2, 4), staff_on_site=45)
    # passes issued in the week after 2, 4 and 10 hours in t1 (median 4); 1 and 3 hours in t2 (median 2)
    for firm, applied, hours in ((a, at(4), 2), (b, at(5), 4), (d, at(6), 10), (e, at(4), 1), (e, at(5), 3)):
        VehiclePassFactory(
            enterprise=firm, status=PassStatus.ISSUED, applied_at=applied,
            issued_at=applied + datetime.timedelta(hours=hours), number=f"N{firm.pk}-{hours}",
        )
    # issued outside the week, and still pending: not counted
    VehiclePassFactory(enterprise=a, status=PassStatus.ISSUED, applied_at=at(1), issued_at=at(2), number="OUT")
    VehiclePassFactory(enterprise=a, applied_at=at(5))
    return {"t1": t1, "t2": t2, "group": group, "village": village, "a": a, "b": b, "c": c, "d": d, "e": e}


def by_unit(rows):
    return {row.unit_id: (row.numerator, row.denominator) for row in rows}


def test_above_scale_resumption_rate_counts_approvals_up_to_the_end_of_the_period(world):
    rows = by_unit(metrics.above_scale_resumption_rate(Level.TOWNSHIP, START, END))
    assert rows == {world["t1"].pk: (1, 3), world["t2"].pk: (1, 1)}


def test_resumption_rate_counts_all_firms_and_the_beijing_end_of_day(world):
    rows = by_unit(metrics.resumption_rate(Level.TOWNSHIP, START, END))
    assert rows == {world["t1"].pk: (2, 4), world["t2"].pk: (1, 1)}


def test_resumption_rate_at_group_and_village_level(world):
    assert by_unit(metrics.resumption_rate(Level.GROUP, START, END)) == {world["group"].pk: (2, 2)}
    assert by_unit(metrics.resumption_rate(Level.VILLAGE, START, END)) == {world["village"].pk: (0, 2)}


def test_resumption_rows_drill_down_to_the_firms_counted(world):
    rows = metrics.above_scale_resumption_rate_rows(Level.TOWNSHIP, world["t1"].pk, START, END)
    assert {(f.pk, f.resumed) for f in rows} == {(world["a"].pk, True), (world["b"].pk, False), (world["c"].pk, False)}


def test_staff_return_rate_uses_each_firms_latest_report_up_to_the_end(world):
    rows = by_unit(metrics.staff_return_rate(Level.TOWNSHIP, START, END))
    assert rows == {world["t1"].pk: (70, 120), world["t2"].pk: (45, 50)}
    drill = metrics.staff_return_rate_rows(Level.TOWNSHIP, world["t1"].pk, START, END)
    assert {(f.pk, f.staff_on_site) for f in drill} == {(world["a"].pk, 60), (world["d"].pk, 10)}


def test_pass_issue_median_hours_per_unit(world):
    rows = metrics.pass_issue_median_hours(Level.TOWNSHIP, START, END)
    found = {row.unit_id: (row.statistic, row.denominator) for row in rows}
    assert found == {world["t1"].pk: (Decimal("4"), 3), world["t2"].pk: (Decimal("2"), 2)}
    assert all(row.value == row.statistic for row in rows)
    drill = metrics.pass_issue_median_hours_rows(Level.TOWNSHIP, world["t1"].pk, START, END)
    assert [round(p.hours, 3) for p in drill] == [2, 4, 10]


def test_each_metric_is_one_query(world, django_assert_num_queries):
    for fn in (metrics.above_scale_resumption_rate, metrics.resumption_rate, metrics.staff_return_rate, metrics.pass_issue_median_hours):
        for level in Level:
            with django_assert_num_queries(1):
                fn(level, START, END)


def test_a_week_with_no_data_gives_no_rows():
    assert metrics.pass_issue_median_hours(Level.TOWNSHIP, START, END) == []
    assert metrics.staff_return_rate(Level.VILLAGE, START, END) == []


def test_pass_issue_median_hours_at_group_and_village_level(world):
    # group: a (2 h) and d (10 h) → even sample, the mean of the two middle values; village: b (4 h) alone
    group = {r.unit_id: (r.statistic, r.denominator) for r in metrics.pass_issue_median_hours(Level.GROUP, START, END)}
    village = {r.unit_id: (r.statistic, r.denominator) for r in metrics.pass_issue_median_hours(Level.VILLAGE, START, END)}
    assert group == {world["group"].pk: (Decimal("6"), 2)}
    assert village == {world["village"].pk: (Decimal("4"), 1)}
