"""The demo: the weeks ranked by Monday 24 February 2020, 10:00 (those ending 9, 16 and 23 February) at the
three levels, published in order with movement, each row written by the services as the district office at
its story time; idempotent."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from fuyang_portal.models import Transition, User
from leaderboard.models import ContestWeek, InspectionScore, UnitResult

pytestmark = pytest.mark.django_db
STORY_END = datetime(2020, 2, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_demo_publishes_the_weeks_ended_by_the_story_with_movement_and_runs_twice_unchanged(story):
    district = User.objects.get(username="district")
    weeks = ContestWeek.objects.order_by("level", "week_start")
    assert weeks.count() == 9 and set(weeks.values_list("status", flat=True)) == {"published"}
    assert sorted({w.week_start.isoformat() for w in weeks}) == ["2020-02-03", "2020-02-10", "2020-02-17"]
    assert UnitResult.objects.filter(week__level="village", week__week_start="2020-02-03").count() == 276
    assert UnitResult.objects.filter(week__level="group", week__week_start="2020-02-03").count() == 50
    last = ContestWeek.objects.get(level="township", week_start="2020-02-17")
    assert last.published_by == district and last.published_at == datetime(2020, 2, 24, 9, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    moved = UnitResult.objects.filter(week=last).exclude(movement=0).exclude(movement__isnull=True)
    assert moved.exists()
    assert UnitResult.objects.filter(week=last, list_mark="red").count() >= 3

    # Every history row of the contest has its actor (the district office) and a time of the story.
    types = ContentType.objects.filter(app_label="leaderboard")
    history = Transition.objects.filter(content_type__in=types)
    assert history.filter(content_type__model="inspectionscore").count() == InspectionScore.objects.count() == 3 * (24 + 50 + 276)  # three weeks, the one entered indicator, every unit
    assert set(history.values_list("actor", flat=True)) == {district.pk}
    assert max(history.values_list("at", flat=True)) <= STORY_END
    assert set(InspectionScore.objects.values_list("entered_by", flat=True)) == {district.pk}
    assert max(InspectionScore.objects.values_list("updated_at", flat=True)) <= STORY_END
    assert max(ContestWeek.objects.values_list("computed_at", flat=True)) <= STORY_END
    # A second load writing nothing is proven for the whole demo in test_clock.py.
