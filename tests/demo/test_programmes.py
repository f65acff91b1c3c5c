"""The demo holds the townships' own measures from the report, counted from rows: 新登镇's 23-item work list with
a responsible unit and person per item, 党员代购 and 服务驿站; 春江街道's 24-hour hotline, 1,159 temporary lodgings,
20+ car runs for 80+ people and 600 health-check vouchers; the inspection score computed from findings."""

from datetime import date, datetime

import pytest
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone

from fuyang_portal import clock
from fuyang_portal.metrics import Level
from fuyang_portal.models import Township, Transition, User
from programmes import demo, metrics
from programmes.models import (
    CarRun,
    Finding,
    HealthVoucher,
    HotlineCall,
    HotlineCoverage,
    Lodging,
    Occupancy,
    ServiceStation,
    ShoppingRun,
    WorkItem,
    WorkList,
)

pytestmark = pytest.mark.django_db


def test_the_report_s_township_measures_are_rows(story, client):
    xindeng, chunjiang = Township.objects.get(name="新登镇"), Township.objects.get(name="春江街道")
    work_list = WorkList.objects.get(township=xindeng, title=demo.WORK_LIST_TITLE)
    items = WorkItem.objects.filter(work_list=work_list)
    assert items.count() == 23
    assert not items.filter(responsible_unit="").exists() and items.values("responsible_person").distinct().count() > 5
    assert set(items.values_list("category", flat=True)) == {"checkpoint", "reporting", "inspection", "innovation"}
    assert ServiceStation.objects.filter(township=xindeng).count() == 3 and ShoppingRun.objects.filter(township=xindeng).exists()

    assert Lodging.objects.filter(township=chunjiang).count() == 1159
    assert HealthVoucher.objects.filter(township=chunjiang).count() == 600
    assert HealthVoucher.objects.filter(status="redeemed", clinic__township=chunjiang).exists()
    runs = CarRun.objects.filter(township=chunjiang)
    assert runs.count() >= 20 and runs.aggregate(n=Sum("people"))["n"] >= 80
    # Every occupant and every voucher holder is a registered returning worker of a 春江 firm.
    assert not Occupancy.objects.exclude(registration__enterprise__township=chunjiang).exists()
    assert not HealthVoucher.objects.exclude(registration__enterprise__township=chunjiang).exists()
    # 24 hours a day, every day since 3 February.
    coverage = HotlineCoverage.objects.filter(township=chunjiang)
    assert coverage.count() == (date(2020, 2, 24) - date(2020, 2, 3)).days and set(coverage.values_list("hours", flat=True)) == {24}
    # Nothing is written after the story's moment, Monday 24 February 2020, 10:00.
    from django.contrib.contenttypes.models import ContentType

    story_moment = timezone.make_aware(datetime(2020, 2, 24, 10, 0))
    programme_types = ContentType.objects.filter(app_label="programmes")
    assert not Transition.objects.filter(content_type__in=programme_types, at__gt=story_moment).exists()
    raised = HotlineCall.objects.filter(status="raised")
    assert raised.exists() and all(call.problem.hotline_call == call for call in raised)


def test_the_inspection_score_comes_from_findings_that_can_be_opened(story, client):
    xindeng = Township.objects.get(name="新登镇")
    start, end = date(2020, 2, 17), date(2020, 2, 23)
    with clock.at(date(2020, 2, 24)):
        score = {r.unit_id: r.value for r in metrics.inspection_score(Level.TOWNSHIP, start, end)}[xindeng.pk]
        rows = list(metrics.inspection_score_rows(Level.TOWNSHIP, xindeng.pk, start, end))
    deducted = sum(r.deducted + (metrics.LATE_POINTS if r.late_in_period else 0) for r in rows)
    assert 0 < deducted and score == 100 - deducted
    client.force_login(User.objects.get(username="district"))
    for finding in rows:
        assert client.get(finding.get_absolute_url()).status_code == 200
    assert Finding.objects.filter(status="rectified").exists() and Finding.objects.filter(status="open").exists()


def test_the_contest_s_inspection_scores_come_from_findings_that_can_be_opened(story, client):
    """Every unit at every level was inspected on its own work list each week; the published 督查通报 figure of each
    unit is the rule applied to those findings by hand, and its drill-down lists them, each one opening."""
    from leaderboard.models import ContestWeek, Score
    from tests.programmes.test_inspection_score import independent_deductions

    own_list = {"township": {"work_list__community": None, "work_list__village": None}, "group": {}, "village": {}}
    unit_of = {"township": "work_list__township_id", "group": "work_list__community__group__id", "village": "work_list__village_id"}
    client.force_login(User.objects.get(username="district"))
    for level in ("township", "group", "village"):
        week = ContestWeek.objects.get(level=level, week_start=date(2020, 2, 10), status="published")
        scores = {s.unit_id: s for s in Score.objects.filter(week=week, indicator__code="inspection-deductions")}
        findings = {}
        for f in Finding.objects.filter(**{f"item__{k}": v for k, v in own_list[level].items()}).values(
            "inspected_on", "points", "outcome", "rectify_by", "rectified_on", unit=F(f"item__{unit_of[level]}")
        ):
            if f["unit"] is not None:  # another level's list
                findings.setdefault(f["unit"], []).append(f)
        assert set(findings) == set(scores) and not any(s.no_data for s in scores.values())
        for unit_id, score in scores.items():
            # Computed on Monday the 17th: deadlines passed by then count late.
            assert score.raw_value == independent_deductions(findings[unit_id], week.week_start, week.week_end, date(2020, 2, 17))
        worst = max(scores.values(), key=lambda s: (s.raw_value, s.unit_id))
        assert worst.raw_value > 0 and worst.score == 0
        response = client.get(reverse("leaderboard:drill", args=[level, worst.unit_id, week.pk, "inspection-deductions"]))
        assert response.status_code == 200 and response.context["rows"]
        for row in response.context["rows"]:
            assert client.get(row["url"]).status_code == 200


def test_the_figures_page_shows_the_townships_and_the_demo_loads_once(story, client):
    client.force_login(User.objects.get(username="district"))
    response = client.get(reverse("programmes:figures") + "?week=2020-02-17")
    row = next(r for r in response.context["rows"] if r["township"].name == "春江街道")
    assert (row["lodgings"], row["vouchers"]) == (1159, 600) and row["runs"] >= 20 and row["carried"] >= 80
    client.force_login(User.objects.get(username="xindeng"))
    assert client.get(reverse("programmes:items") + "?mine=").status_code == 200
    before = Transition.objects.count()
    demo.load()
    assert Transition.objects.count() == before
