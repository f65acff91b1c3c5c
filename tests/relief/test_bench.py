"""The bench's matching: one statement per rule, and the same firms as a hand-written SQL statement."""

import io

import pytest

from relief import bench

pytestmark = pytest.mark.django_db


def test_each_rule_is_one_query_and_agrees_with_hand_written_sql():
    assert bench.top_up(2000) == 2000
    results = bench.measure()
    assert len(results) == len(bench.CASES)
    for label, queries, ours, theirs, ratio, rows in results:
        assert queries == 1, label
        assert rows > 0, label


def test_the_command_rolls_its_firms_back():
    from enterprises.models import Enterprise

    out = io.StringIO()
    bench.run(500, out)
    assert "ratio" in out.getvalue()
    assert Enterprise.objects.count() == 0
