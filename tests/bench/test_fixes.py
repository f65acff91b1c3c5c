"""The fixes the benchmark called for keep each figure as it was and run in a fixed number of queries."""

import statistics
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Q

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


def test_the_district_queue_is_served_by_its_partial_index(client, django_assert_max_num_queries):
    """The district queue filters on exactly the partial index's condition and sorts on its columns, so
    PostgreSQL reads the first page from the index in order instead of sorting every escalation."""
    from django.db import connection

    from fuyang_portal.roles import Role
    from specialists.models import DISTRICT_QUEUE, Problem
    from specialists.views import ProblemQueueView
    from tests.factories import district_user

    index = next(i for i in Problem._meta.indexes if i.name == "problem_district_queue_idx")
    _title, condition, ordering = ProblemQueueView.QUEUES[Role.DISTRICT]
    assert condition is DISTRICT_QUEUE and index.condition == DISTRICT_QUEUE
    assert list(index.fields) == ["escalated_at", "id"] and ordering == ("escalated_at", "pk")
    # The same rows as the statuses say, in the index's order.
    S = Problem.Status
    assert DISTRICT_QUEUE == Q(status__in=[S.ESCALATED, S.RETURNED]) | Q(extension=Problem.Extension.REQUESTED, status__in=list(Problem.AGENCY_STATES))
    load_places()
    Generator(120, seed=5).run()
    client.force_login(district_user())
    response = client.get("/specialists/problems/queue/")
    expected = list(Problem.objects.filter(DISTRICT_QUEUE).order_by("escalated_at", "pk").values_list("pk", flat=True)[:25])
    assert expected and [row.record.pk for row in response.context["table"].page.object_list] == expected
    if connection.vendor == "postgresql":
        queryset = Problem.objects.filter(DISTRICT_QUEUE).order_by("escalated_at", "pk")[:25]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            sql, params = queryset.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "problem_district_queue_idx" in plan
