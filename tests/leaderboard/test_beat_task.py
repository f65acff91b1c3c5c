"""The Monday 01:00 job: computes last week's drafts for all three levels through Celery, and gives the
ranking an independent calculation gives (see test_compute_week)."""

from datetime import date, timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings

from leaderboard import services, tasks
from leaderboard.models import ContestWeek, UnitResult
from tests.leaderboard.conftest import enter_deductions
from tests.leaderboard.factories import MONDAY
from tests.leaderboard.test_compute_week import independent_ranking


def test_beat_schedule_runs_the_job_on_mondays_at_01_00_beijing_time():
    entry = settings.CELERY_BEAT_SCHEDULE["leaderboard-weekly-draft"]
    assert entry["task"] == "leaderboard.tasks.compute_last_week"
    assert entry["schedule"] == crontab(minute=0, hour=1, day_of_week="mon")
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


def test_last_week_is_the_monday_before_this_weeks():
    assert services.last_week(date(2020, 2, 10)) == MONDAY  # a Monday: the week just ended
    assert services.last_week(date(2020, 2, 16)) == MONDAY  # a Sunday
    assert services.last_week(date(2020, 2, 17)) == MONDAY + timedelta(weeks=1)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_beat_task_through_celery_ranks_as_the_independent_calculation(contest, district, real_worker):
    enter_deductions(contest, district, MONDAY)
    outcome = tasks.compute_last_week.delay(today="2020-02-10").get(timeout=120)
    assert (outcome["week_start"], outcome["computed"], outcome["frozen"]) == ("2020-02-03", ["township", "group", "village"], [])
    # In CI (REDIS_URL set) a worker process took it through the broker; locally it ran in-process.
    assert outcome["eager"] is (not real_worker)
    week = ContestWeek.objects.get(level="township", week_start=MONDAY)
    assert week.status == ContestWeek.Status.DRAFT and week.computed_by is None
    _totals, ranks = independent_ranking(contest)
    assert dict(UnitResult.objects.filter(week=week).values_list("unit_id", "rank")) == ranks
    # Running it again (a retry) gives the same rows, and a published level is left frozen.
    services.publish_week(week, district)
    again = tasks.compute_last_week.delay(today="2020-02-10").get(timeout=120)
    assert again["frozen"] == ["township"] and again["computed"] == ["group", "village"]
    assert dict(UnitResult.objects.filter(week=week).values_list("unit_id", "rank")) == ranks
