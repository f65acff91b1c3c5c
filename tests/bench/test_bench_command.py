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
    _inspections()
    expected = reference.all_levels(WEEK)
    weeks, _frozen = services.compute_all_levels(WEEK)
    compared = 0
    for week in weeks:
        got = {row.unit_id: row.total for row in UnitResult.objects.filter(week=week) if row.total is not None}
        assert got == expected[week.level]
        compared += len(got)
    assert compared > 100


def _inspections():
    """督查 findings on the lists of each level: found in the week, and some rectified past their deadline (+2); half
    the items done (the work-list completion), some after the week."""
    from datetime import timedelta

    from fuyang_portal import clock
    from fuyang_portal.models import CommunityGroup, Township
    from programmes import services
    from tests.factories import district_user, township_user
    from tests.programmes.factories import indicator_code

    district = district_user()
    units = [(t, {}) for t in Township.objects.order_by("pk")[:3]]
    units += [(g.community.township, {"community": g.community}) for g in CommunityGroup.objects.select_related("community__township")[:3]]
    units += [(v.township, {"village": v}) for t, _ in units[:3] for v in t.villages.order_by("pk")[:2]]
    cadres = {}
    for n, (township, place) in enumerate(units):
        cadre = cadres.get(township.pk) or cadres.setdefault(township.pk, township_user(township))
        item = services.add_item(cadre, services.create_work_list(cadre, title="清单", **place), category="checkpoint",
                                 indicator_code=indicator_code(), title="卡点", responsible_unit="执法队", responsible_person=cadre,
                                 deadline=WEEK)
        day = WEEK + timedelta(days=n % 5)
        points = n % 3 * 2
        with clock.at(day):
            finding = services.inspect_item(item, district, outcome="problems" if points else "passed", points=points,
                                            description="问题" if points else "", rectify_by=day + timedelta(days=1) if points else None)
        if n % 3 == 1:
            with clock.at(day + timedelta(days=3)):
                services.rectify_finding(finding, district, "已整改")  # late: +2
        if n % 2 == 0:  # work-list completion: half the items done, some after the week
            with clock.at(day + timedelta(days=n % 9)):
                services.report_progress(item, cadre, note="已完成", done=True)
