"""The bench command refuses anything but PostgreSQL; its reference SQL gives the contest's own totals."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bench.scale import Generator
from enterprises.models import Enterprise
from fuyang_portal.demo import load_places

pytestmark = pytest.mark.django_db

WEEK = date(2020, 3, 23)


def test_bench_says_clearly_it_needs_postgresql(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command("bench")
    assert not Enterprise.objects.exists()  # nothing generated


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the reference statement is PostgreSQL SQL (DISTINCT ON, PERCENTILE_CONT)")
def test_the_hand_written_sql_gives_the_same_totals_as_the_contest():
    from bench import reference
    from leaderboard import services
    from leaderboard.models import UnitResult

    load_places()
    Generator(400, seed=9).run()
    expected = reference.all_levels(WEEK)
    weeks, _frozen = services.compute_all_levels(WEEK)
    compared = 0
    for week in weeks:
        got = {row.unit_id: row.total for row in UnitResult.objects.filter(week=week) if row.total is not None}
        assert got == expected[week.level]
        compared += len(got)
    assert compared > 100
