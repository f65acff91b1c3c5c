"""The fixes the benchmark called for keep each figure as it was and run in a fixed number of queries."""

import statistics
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bench.scale import Generator
from enterprises import metrics
from fuyang_portal.demo import load_places
from fuyang_portal.metrics import Level

pytestmark = pytest.mark.django_db

WEEK = date(2020, 3, 23)


@pytest.mark.parametrize("level", list(Level))
def test_pass_issue_median_hours_is_the_median_of_the_drilled_rows_in_one_query(level, django_assert_num_queries):
    load_places()
    Generator(300, seed=3).run()
    end = WEEK + timedelta(days=6)
    with django_assert_num_queries(1):
        rows = metrics.pass_issue_median_hours(level, WEEK, end)
    assert len(rows) > 5
    odd = even = 0
    for row in rows:
        hours = [item.hours for item in metrics.pass_issue_median_hours_rows(level, row.unit_id, WEEK, end)]
        assert row.denominator == len(hours)
        assert row.statistic == row.numerator == Decimal(str(round(statistics.median(hours), 4)))
        odd += len(hours) % 2
        even += 1 - len(hours) % 2
    assert odd and even  # both shapes of the middle (one row, two rows) are covered
