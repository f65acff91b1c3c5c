"""The loop's figures as contest metric functions (contract: fuyang_portal.metrics): one aggregate query each,
per unit of a level, with their drill-down rows; built through the services on the 2020 calendar."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fuyang_portal.metrics import Level
from specialists import metrics, services
from tests.factories import TownshipFactory

from .loop_factories import Story, at

pytestmark = pytest.mark.django_db
WEEK = (date(2020, 2, 10), date(2020, 2, 16))


def test_loop_metrics_per_township_in_one_query_each():
    a, b = TownshipFactory(), TownshipFactory()
    prompt, late, other = Story(), Story(), Story()
    for story, township in ((prompt, a), (late, a), (other, b)):
        story.problem.enterprise.township = township
        story.problem.enterprise.save(update_fields=["township"])
    with at(2020, 2, 10, 9):
        for story in (prompt, late, other):
            story.assigned()
    with at(2020, 2, 10, 9, 30):
        services.accept(prompt.problem, prompt.clerk)
        services.accept(other.problem, other.clerk)
        services.answer(prompt.problem, prompt.clerk, "办结")
        services.answer(other.problem, other.clerk, "办结")
    with at(2020, 2, 11, 9):
        services.accept(late.problem, late.clerk)  # past the 2 working hours
        services.confirm(prompt.problem, prompt.firm, 5)
        services.confirm(other.problem, other.firm, 2, "不满意")  # reopens by itself
        services.answer(other.problem, other.clerk, "再次办结")
        services.record_callback(other.problem, other.district, True, "basic")
    with at(2020, 2, 18, 9):
        services.sweep_overdue()  # `late` is still open past its deadline (17 February): 督办 on the 18th
    for fn in (metrics.sign_for_on_time_rate, metrics.satisfaction_rate, metrics.reopen_rate):
        with CaptureQueriesContext(connection) as queries:
            rows = {row.unit_id: row for row in fn(Level.TOWNSHIP, *WEEK)}
        assert len(queries) == 1, fn.__name__
        if fn is metrics.sign_for_on_time_rate:
            assert (rows[a.pk].numerator, rows[a.pk].denominator) == (1, 2) and rows[b.pk].value == 1
        elif fn is metrics.satisfaction_rate:
            assert rows[a.pk].value == 1 and rows[b.pk].value == 1  # 5/5 and "basically satisfied" after the reopen
        else:
            assert rows[a.pk].value == 0 and rows[b.pk].value == 1
    assert metrics.sign_for_on_time_rate_rows(Level.TOWNSHIP, a.pk, *WEEK).count() == 2
    assert metrics.reopen_rate_rows(Level.TOWNSHIP, b.pk, *WEEK).get().pk == other.problem.pk
    next_week = (date(2020, 2, 17), date(2020, 2, 23))
    counts = {row.unit_id: row.value for row in metrics.supervision_count(Level.TOWNSHIP, *next_week)}
    assert counts == {a.pk: 1}
    assert metrics.supervision_count_rows(Level.TOWNSHIP, a.pk, *next_week).get().problem_id == late.problem.pk
    assert metrics.supervision_count(Level.TOWNSHIP, *WEEK) == []
