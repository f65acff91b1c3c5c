"""The demo: the weeks computed by Monday 24 February 2020, 10:00 (those ending 9, 16 and 23 February) at the
three levels: the first two published in order with movement, the last a draft open to the units' objections;
each row written by the services as the district office at its story time; idempotent."""

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
    assert weeks.count() == 10  # three weeks at three levels, and the township week corrected after an objection
    assert sorted({w.week_start.isoformat() for w in weeks}) == ["2020-02-03", "2020-02-10", "2020-02-17"]
    assert set(weeks.filter(week_start__lt="2020-02-17").values_list("status", flat=True)) == {"published", "superseded"}
    drafts = weeks.filter(week_start="2020-02-17")
    assert set(drafts.values_list("status", flat=True)) == {"draft"} and all(w.computed_at and w.appeal_until > STORY_END for w in drafts)
    assert UnitResult.objects.filter(week__level="village", week__week_start="2020-02-03").count() == 276
    assert UnitResult.objects.filter(week__level="group", week__week_start="2020-02-03").count() == 50
    last = ContestWeek.objects.get(level="township", week_start="2020-02-10", status="published")
    assert last.published_by == district and last.published_at == datetime(2020, 2, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    moved = UnitResult.objects.filter(week=last).exclude(movement=0).exclude(movement__isnull=True)
    assert moved.exists()
    assert UnitResult.objects.filter(week=last, list_mark="red").count() >= 3

    # Every history row of the contest has its actor (the district office) and a time of the story.
    types = ContentType.objects.filter(app_label="leaderboard")
    history = Transition.objects.filter(content_type__in=types)
    # Three weeks, the one entered indicator, every unit; one figure corrected after 富春街道's objection.
    assert InspectionScore.objects.count() == 3 * (24 + 50 + 276)
    assert history.filter(content_type__model="inspectionscore").count() == InspectionScore.objects.count() + 1
    objectors = set(User.objects.filter(username__in=["fuchun", "lushan"]).values_list("pk", flat=True))
    assert set(history.values_list("actor", flat=True)) == {district.pk} | objectors
    assert max(history.values_list("at", flat=True)) <= STORY_END
    assert set(InspectionScore.objects.values_list("entered_by", flat=True)) == {district.pk}
    assert max(InspectionScore.objects.values_list("updated_at", flat=True)) <= STORY_END
    assert max(ContestWeek.objects.values_list("computed_at", flat=True)) <= STORY_END
    # 富春街道 objected to its figure of the second week and the district accepted: that week was published as revision 2,
    # the first kept as replaced; 鹿山街道's objection to this morning's draft waits for a decision.
    from leaderboard.models import Objection

    accepted = Objection.objects.get(unit_id=User.objects.get(username="fuchun").township_id)
    assert accepted.status == "accepted" and accepted.week_start.isoformat() == "2020-02-10"
    second = ContestWeek.objects.filter(level="township", week_start="2020-02-10").order_by("revision")
    assert [(w.revision, w.status) for w in second] == [(1, "superseded"), (2, "published")]
    pending = Objection.objects.get(unit_id=User.objects.get(username="lushan").township_id)
    assert pending.status == "open" and pending.week.status == "draft"
    # A second load writing nothing is proven for the whole demo in test_clock.py.
