"""Two workers at once: computing the same week twice leaves one draft with one set of rows; publishing
the same draft twice publishes it once. Threads on PostgreSQL; run one after the other on SQLite, which
still proves the outcome."""

import threading

import pytest
from django.db import close_old_connections, connection

from fuyang_portal.models import Transition
from fuyang_portal.workflow import ActionRefused
from leaderboard import services
from leaderboard.models import ContestWeek, Score, UnitResult
from tests.leaderboard.conftest import enter_deductions
from tests.leaderboard.factories import MONDAY


def run_twice(job):
    outcomes = []

    def worker():
        try:
            outcomes.append(("ok", job()))
        except ActionRefused as refusal:
            outcomes.append(("refused", refusal.code))
        finally:
            close_old_connections()
            connection.close()

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        worker()
        worker()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_computations_of_a_new_week_at_once_leave_one_draft_and_one_set_of_rows(contest, district):
    enter_deductions(contest, district, MONDAY)
    outcomes = run_twice(lambda: services.compute_week("township", MONDAY).pk)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    assert ContestWeek.objects.count() == 1
    week = ContestWeek.objects.get()
    assert Score.objects.filter(week=week).count() == 18 and UnitResult.objects.filter(week=week).count() == 6


@pytest.mark.django_db(transaction=True)
def test_publishing_the_same_draft_twice_at_once_publishes_it_once(contest, district):
    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    outcomes = run_twice(lambda: services.publish_week(ContestWeek.objects.get(pk=week.pk), district).status)
    assert sorted(outcomes) == [("ok", "published"), ("refused", ActionRefused.CONFLICT)]
    assert Transition.objects.for_object(week).filter(action="publish").count() == 1
