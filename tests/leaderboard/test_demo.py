"""The demo: six published weeks from 3 February 2020 at the three levels, with movement; idempotent."""

import pytest

from enterprises import demo as enterprises_demo
from fuyang_portal import demo as core_demo
from leaderboard import demo
from leaderboard.models import ContestWeek, InspectionScore, UnitResult

pytestmark = pytest.mark.django_db


def test_demo_publishes_six_weeks_per_level_with_movement_and_runs_twice_unchanged():
    core_demo.load()
    enterprises_demo.load()  # the firms and their resumption rows the computed indicators count
    demo.load()
    weeks = ContestWeek.objects.order_by("level", "week_start")
    assert weeks.count() == 18 and set(weeks.values_list("status", flat=True)) == {"published"}
    assert sorted({w.week_start.isoformat() for w in weeks}) == [
        "2020-02-03", "2020-02-10", "2020-02-17", "2020-02-24", "2020-03-02", "2020-03-09"
    ]
    assert UnitResult.objects.filter(week__level="village", week__week_start="2020-02-03").count() == 276
    assert UnitResult.objects.filter(week__level="group", week__week_start="2020-02-03").count() == 50
    last = ContestWeek.objects.get(level="township", week_start="2020-03-09")
    moved = UnitResult.objects.filter(week=last).exclude(movement=0).exclude(movement__isnull=True)
    assert moved.exists()
    assert UnitResult.objects.filter(week=last, list_mark="red").count() >= 3
    before = (InspectionScore.objects.count(), UnitResult.objects.count(), list(weeks.values_list("pk", "published_at")))
    demo.load()
    assert (InspectionScore.objects.count(), UnitResult.objects.count(), list(weeks.values_list("pk", "published_at"))) == before
