"""The contest's indicators, on a hand-made data set, at each level, with their drill-down rows."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fuyang_portal.metrics import Level
from specialists import metrics
from specialists.models import Problem
from tests.factories import CommunityGroupFactory, EnterpriseFactory, TownshipFactory, UserFactory, VillageFactory

from .factories import SpecialistFactory, VisitFactory

pytestmark = pytest.mark.django_db
BJ = ZoneInfo("Asia/Shanghai")
WEEK = (date(2020, 2, 3), date(2020, 2, 9))


def at(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=BJ)


@pytest.fixture
def world():
    """Two townships. A: two firms (one in a village, one in a community group); B: one firm."""
    a, b = TownshipFactory(), TownshipFactory()
    village = VillageFactory(township=a)
    group = CommunityGroupFactory(community__township=a)
    a1 = EnterpriseFactory(township=a, village=village)
    a2 = EnterpriseFactory(township=a, community=group.community)
    b1 = EnterpriseFactory(township=b)
    specialist = SpecialistFactory()
    raiser = UserFactory()
    # Visits: A has 3 in the week (+1 before, +1 the Monday after), B has 1.
    for firm, day in [(a1, date(2020, 2, 3)), (a1, date(2020, 2, 9)), (a2, date(2020, 2, 5)), (a1, date(2020, 2, 2)),
                      (a2, date(2020, 2, 10)), (b1, date(2020, 2, 4))]:
        VisitFactory(enterprise=firm, specialist=specialist, visited_on=day)

    def problem(firm, raised, closed=None, rating=None, on_time=None):
        return Problem.objects.create(
            enterprise=firm, raised_by=raiser, category="funds", description="x", raised_at=raised,
            status="confirmed" if closed else "raised", closed_at=closed, rating=rating, on_time=on_time,
        )

    problems = {
        # A: open through the week, closed in it on time, rated 5
        "a_closed_on_time": problem(a1, at(date(2020, 1, 30)), at(date(2020, 2, 4)), 5, True),
        # A: raised in the week, closed on Sunday 23:30 Beijing (still in the week), late, rated 2
        "a_closed_late": problem(a2, at(date(2020, 2, 6)), at(date(2020, 2, 9), 23), 2, False),
        # A: raised before, still open
        "a_open": problem(a1, at(date(2020, 1, 20))),
        # A: closed before the week: not open in it
        "a_closed_before": problem(a1, at(date(2020, 1, 20)), at(date(2020, 2, 2), 23), 4, True),
        # A: raised after the week (Monday 00:30 Beijing): not counted
        "a_after": problem(a1, datetime(2020, 2, 10, 0, 30, tzinfo=BJ)),
        # B: closed in the week, on time, rated 4
        "b_closed": problem(b1, at(date(2020, 2, 1)), at(date(2020, 2, 7)), 4, True),
    }
    return {"a": a, "b": b, "village": village, "group": group, "problems": problems}


def as_dict(rows):
    return {row.unit_id: (row.numerator, row.denominator) for row in rows}


def one_query(fn, *args):
    with CaptureQueriesContext(connection) as queries:
        rows = fn(*args)
    assert len(queries) == 1
    return rows


def test_visits_per_firm(world):
    rows = as_dict(one_query(metrics.visits_per_firm, Level.TOWNSHIP, *WEEK))
    assert rows[world["a"].pk] == (Decimal(3), Decimal(2))
    assert rows[world["b"].pk] == (Decimal(1), Decimal(1))
    assert as_dict(metrics.visits_per_firm(Level.VILLAGE, *WEEK)) == {world["village"].pk: (Decimal(2), Decimal(1))}
    assert as_dict(metrics.visits_per_firm(Level.GROUP, *WEEK)) == {world["group"].pk: (Decimal(1), Decimal(1))}
    assert metrics.visits_per_firm_rows(Level.TOWNSHIP, world["a"].pk, *WEEK).count() == 3


def test_problems_closed_over_open(world):
    rows = as_dict(one_query(metrics.problems_closed_rate, Level.TOWNSHIP, *WEEK))
    # A: open in the week = closed_on_time, closed_late, open; closed = 2
    assert rows[world["a"].pk] == (Decimal(2), Decimal(3))
    assert rows[world["b"].pk] == (Decimal(1), Decimal(1))
    drill = metrics.problems_closed_rate_rows(Level.TOWNSHIP, world["a"].pk, *WEEK)
    names = {v.pk: k for k, v in world["problems"].items()}
    assert {names[p.pk]: p.closed_in_period for p in drill} == {"a_closed_on_time": True, "a_closed_late": True, "a_open": False}


def test_on_time_closure_rate(world):
    rows = as_dict(one_query(metrics.on_time_closure_rate, Level.TOWNSHIP, *WEEK))
    assert rows == {world["a"].pk: (Decimal(1), Decimal(2)), world["b"].pk: (Decimal(1), Decimal(1))}
    assert metrics.on_time_closure_rate_rows(Level.TOWNSHIP, world["a"].pk, *WEEK).count() == 2


def test_mean_satisfaction(world):
    rows = one_query(metrics.mean_satisfaction, Level.TOWNSHIP, *WEEK)
    by_unit = {row.unit_id: row for row in rows}
    assert (by_unit[world["a"].pk].numerator, by_unit[world["a"].pk].denominator) == (Decimal(7), Decimal(2))
    assert by_unit[world["a"].pk].value == Decimal("3.5")
    assert by_unit[world["b"].pk].value == Decimal(4)
    assert as_dict(metrics.mean_satisfaction(Level.VILLAGE, *WEEK)) == {world["village"].pk: (Decimal(5), Decimal(1))}
    assert metrics.mean_satisfaction_rows(Level.GROUP, world["group"].pk, *WEEK).get() == world["problems"]["a_closed_late"]
