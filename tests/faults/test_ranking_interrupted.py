"""A ranking computation cut off in the middle leaves no half-written week, and the rerun gives exactly the rows
of an undisturbed run.

With REDIS_URL (CI) the test starts its own Celery worker on its own queue, SIGKILLs it while ``compute_week``
is inside its transaction, starts a fresh worker and reruns the task there. Without REDIS_URL the same
computation runs in-process and an exception cuts it off after the old rows were deleted and the new scores
written, before the results are."""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import connection

from enterprises.models import Scale
from leaderboard import services
from leaderboard.models import ContestWeek, Score, UnitResult
from tests.factories import EnterpriseFactory, TownshipFactory, district_user
from tests.leaderboard.factories import MONDAY, set_list_size, use_test_indicators

ROOT = Path(django_settings.BASE_DIR)


def _contest():
    indicators = use_test_indicators(
        ("headcount", "higher", 3, "computed", "mean_headcount"),
        ("individual", "lower", 2, "computed", "individual_share"),
    )
    indicators[0].metric_path = "tests.faults.slow_metrics.slow_headcount"
    indicators[0].save(update_fields=["metric_path"])
    set_list_size("township", 2)
    towns = [TownshipFactory(name=f"F{i}", sort_order=i) for i in range(1, 7)]
    for index, town in enumerate(towns[:5]):
        for n in range(index + 1):
            EnterpriseFactory(township=town, registered_headcount=10 * (index + 1) + n, scale=Scale.INDIVIDUAL if n % 2 else Scale.SME)
    return towns


def rows(week):
    """The computed rows of a week, without ids or times: what a rerun must reproduce exactly."""
    scores = list(
        Score.objects.filter(week=week).order_by("unit_id", "indicator__code").values_list(
            "unit_id", "indicator__code", "raw_value", "numerator", "denominator", "score", "weight", "no_data"
        )
    )
    results = list(
        UnitResult.objects.filter(week=week).order_by("unit_id").values_list(
            "unit_id", "unit_name", "total", "coverage", "eligible", "rank", "list_mark", "previous_rank", "movement"
        )
    )
    return scores, results


class Cut(Exception):
    pass


@pytest.mark.worker  # with REDIS_URL, tasks go through the broker to a real worker (tests/conftest.py)
@pytest.mark.django_db(transaction=True)
def test_an_interrupted_ranking_leaves_no_half_written_week_and_the_rerun_matches(tmp_path):
    _contest()
    district = district_user()
    if django_settings.REDIS_URL:
        _with_a_real_worker_killed(tmp_path, district)
    else:
        _in_process_cut_off(district)


def _in_process_cut_off(district):
    second = MONDAY + timedelta(weeks=1)
    undisturbed = rows(services.compute_week("township", MONDAY, actor=district))
    assert undisturbed[0] and undisturbed[1]

    # A first computation of a new week, cut off after the scores were written: nothing of that week remains.
    real_bulk_create = UnitResult.objects.bulk_create
    calls = []

    def cut_after_scores(*args, **kwargs):
        calls.append(Score.objects.filter(week__week_start=second).count())
        raise Cut("worker lost")

    with mock.patch.object(UnitResult.objects, "bulk_create", side_effect=cut_after_scores), pytest.raises(Cut):
        services.compute_week("township", second, actor=district)
    assert calls and calls[0] > 0  # it really was cut off in the middle, with scores already written
    assert not ContestWeek.objects.filter(week_start=second).exists()
    assert not Score.objects.filter(week__week_start=second).exists()

    # A recomputation cut off in the middle keeps the previous rows, whole.
    week = ContestWeek.objects.get(week_start=MONDAY)
    computed_at = week.computed_at
    with mock.patch.object(UnitResult.objects, "bulk_create", side_effect=cut_after_scores), pytest.raises(Cut):
        services.compute_week("township", MONDAY, actor=district)
    week.refresh_from_db()
    assert week.computed_at == computed_at and rows(week) == undisturbed

    # The reruns give the undisturbed rows.
    assert UnitResult.objects.bulk_create == real_bulk_create
    assert rows(services.compute_week("township", MONDAY, actor=district)) == undisturbed
    rerun_second = rows(services.compute_week("township", second, actor=district))
    assert [r[:7] for r in rerun_second[1]] == [r[:7] for r in undisturbed[1]]  # same figures a week later


def _start_worker(queue, env_extra, log):
    env = dict(os.environ, DATABASE_URL=_test_database_url(), REDIS_URL=django_settings.REDIS_URL, **env_extra)
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "fuyang_portal", "worker", "-Q", queue, "--concurrency=1",
         "--pool=solo", f"--hostname=faults-{queue}@%h", "--without-gossip", "--without-mingle", "--loglevel=info"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def _test_database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait(condition, timeout, what, log):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    log.flush()
    raise AssertionError(f"timed out waiting for {what}:\n" + Path(log.name).read_text()[-3000:])


def _stop(worker):
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def _with_a_real_worker_killed(tmp_path, district):
    from leaderboard.tasks import compute_week

    assert connection.vendor == "postgresql", "the worker test needs the shared PostgreSQL test database"
    undisturbed = rows(services.compute_week("township", MONDAY, actor=district))
    week = ContestWeek.objects.get(week_start=MONDAY)
    computed_at = week.computed_at
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    marker = tmp_path / "computing"
    log = open(tmp_path / "worker.log", "w")
    worker = _start_worker(queue, {"FAULT_MARKER": str(marker), "FAULT_PAUSE": "60"}, log)
    try:
        compute_week.apply_async(args=("township", MONDAY.isoformat()), queue=queue)
        _wait(marker.exists, 60, "the worker to start computing", log)
        os.killpg(worker.pid, signal.SIGKILL)  # in the middle: inside compute_week's transaction
        worker.wait(timeout=10)
    finally:
        _stop(worker)
    week.refresh_from_db()
    assert week.computed_at == computed_at and rows(week) == undisturbed, "the killed run left a half-written week"

    restarted = _start_worker(queue, {}, log)
    try:
        result = compute_week.apply_async(args=("township", MONDAY.isoformat()), queue=queue)
        assert result.get(timeout=120)["week"] == week.pk
    finally:
        _stop(restarted)
        log.close()
    week.refresh_from_db()
    assert week.computed_at > computed_at
    assert rows(week) == undisturbed
