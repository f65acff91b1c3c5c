"""A unit's page explains its rank: per indicator the figure, the level's lowest and highest figure, the
score, the weight and its contribution; the contributions add up to the total; last week beside it; every
link opens; a fixed number of queries whatever the number of units or indicators."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enterprises.models import Scale
from leaderboard import services
from leaderboard.models import (
    Basis,
    ContestWeek,
    Indicator,
    LevelSetting,
    Score,
    UnitResult,
)
from tests.factories import EnterpriseFactory, TownshipFactory, township_user
from tests.leaderboard.conftest import enter_deductions
from tests.leaderboard.factories import MONDAY

pytestmark = pytest.mark.django_db

SECOND = MONDAY + timedelta(weeks=1)


def rules(level="township", size=2, min_coverage=80):
    # No appeal window: these weeks are published as soon as they are computed.
    LevelSetting.objects.update_or_create(level=level, defaults={"list_size": size, "min_coverage": min_coverage, "appeal_hours": 0})


@pytest.fixture
def two_weeks(contest, district):
    """The contest's six townships published for two weeks; in the second, T4 gains a large firm."""
    rules()
    enter_deductions(contest, district, MONDAY)
    first = services.compute_week("township", MONDAY, actor=district)
    services.publish_week(first, district)
    EnterpriseFactory(township=contest["towns"][3], registered_headcount=1000, scale=Scale.SME)
    enter_deductions(contest, district, SECOND)
    second = services.compute_week("township", SECOND, actor=district)
    services.publish_week(second, district)
    return first, second


def unit_page(client, week, unit_id):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # words compared in English, whatever the translations
    return client.get(reverse("leaderboard:unit", args=[week.level, unit_id]) + f"?week={week.pk}")


def test_the_contributions_add_up_to_the_total_for_every_unit(client, two_weeks, contest, district):
    _first, week = two_weeks
    client.force_login(district)
    results = list(UnitResult.objects.filter(week=week))
    assert len(results) == 6 and sum(r.total is not None for r in results) == 6
    for result in results:
        response = unit_page(client, week, result.unit_id)
        assert response.status_code == 200
        explanation = response.context["explanation"]
        rows = list(Score.objects.filter(week=week, unit_id=result.unit_id))
        used = [s for s in rows if s.score is not None and s.weight > 0]
        weights = sum(s.weight for s in used)
        exact = {s.indicator_id: s.score * s.weight / weights for s in used}
        counted = {line.indicator.pk: line.contribution for line in explanation.counted}
        # Each contribution is score × weight / Σ weights with data, to the hundredth, and they add up to the total.
        assert counted.keys() == exact.keys()
        assert all(abs(counted[pk] - exact[pk]) <= Decimal("0.01") for pk in exact)
        assert sum(counted.values()) == result.total
        # The page says so: "Total x = a + b + c", the same figures.
        body = response.content.decode()
        sentence = re.sub(r"\s+", " ", re.search(r'<p id="total-as-sum">(.*?)<span', body, re.DOTALL).group(1))
        shown = [Decimal(n) for n in re.findall(r"\d+\.\d\d", sentence.split("=", 1)[1])]
        assert sum(shown) == result.total and f"{result.total:.2f}" in sentence.split("=", 1)[0]


def test_the_lowest_and_highest_figures_are_those_of_the_weeks_rows(client, two_weeks, contest, district):
    _first, week = two_weeks
    client.force_login(district)
    explanation = unit_page(client, week, contest["towns"][5].pk).context["explanation"]
    assert len(explanation.lines) == 3
    for line in explanation.lines:
        raw = [s.raw_value for s in Score.objects.filter(week=week, indicator=line.indicator) if s.raw_value is not None]
        assert (line.low, line.high) == ((min(raw), max(raw)) if raw else (None, None))
        assert line.low < line.high  # the contest's figures differ, so the range says something
    # T6 has no firms: its two computed indicators have no data and are not counted; the range is still shown.
    assert [line.has_data for line in explanation.lines] == [False, False, True]
    assert [i.code for i in explanation.missing] == ["headcount", "individual"]


def test_every_link_of_the_page_opens(client, two_weeks, contest, district):
    first, week = two_weeks
    client.force_login(district)
    unit_id = contest["towns"][1].pk
    body = unit_page(client, week, unit_id).content.decode()
    drills = re.findall(r'href="(/leaderboard/units/township/\d+/weeks/\d+/[\w-]+/)"', body)
    assert sorted(drills) == sorted(reverse("leaderboard:drill", args=["township", unit_id, week.pk, c]) for c in ("headcount", "individual", "deductions"))
    weeks = re.findall(r'href="\?week=(\d+)"', body)
    assert sorted(int(pk) for pk in weeks) == sorted([first.pk, week.pk])
    for url in drills + [reverse("leaderboard:unit", args=["township", unit_id]) + f"?week={pk}" for pk in weeks]:
        assert client.get(url).status_code == 200, url


def test_the_summary_and_last_week(client, two_weeks, contest, district):
    first, week = two_weeks
    t = contest["towns"]
    client.force_login(district)
    result = UnitResult.objects.get(week=week, unit_id=t[3].pk)
    before = UnitResult.objects.get(week=first, unit_id=t[3].pk)
    assert result.rank < before.rank  # T4's new firm lifted it
    response = unit_page(client, week, t[3].pk)
    explanation = response.context["explanation"]
    ranked = UnitResult.objects.filter(week=week, rank__isnull=False).count()
    assert ranked == 5  # T6 has too little data
    best = max(explanation.counted, key=lambda line: (line.score.score, line.score.weight))
    worst = min(explanation.counted, key=lambda line: (line.score.score, -line.score.weight))
    body = response.content.decode()
    summary = f"Ranked {result.rank} of {ranked}; strongest: {best.indicator.name_en}; weakest: {worst.indicator.name_en}."
    assert summary in body and best.indicator != worst.indicator
    # Rank then and now, and each indicator's score last week from the week published before.
    assert explanation.previous_week == first
    assert response.context["current"].previous_rank == before.rank
    for line in explanation.lines:
        assert line.last_score == Score.objects.get(week=first, unit_id=t[3].pk, indicator=line.indicator)
    headcount = explanation.lines[0]
    assert headcount.change == headcount.score.score - headcount.last_score.score and headcount.change > 0
    assert f"▲{headcount.change:.2f}" in body


def test_the_indicators_basis_and_unit_of_measure_are_shown(client, two_weeks, contest, district):
    _first, week = two_weeks
    headcount, individual, _deductions = contest["indicators"]
    Indicator.objects.filter(pk=headcount.pk).update(basis=Basis.REPORT, basis_note="通报第三条", unit="人")
    Indicator.objects.filter(pk=individual.pk).update(basis=Basis.DISTRICT, unit="%")
    client.force_login(district)
    t2 = contest["towns"][1]
    body = unit_page(client, week, t2.pk).content.decode()
    row = {line.indicator.code: line for line in unit_page(client, week, t2.pk).context["explanation"].lines}
    assert "通报第三条" in body and "named in the report" in body and "the district's own rule" in body
    assert f"{row['headcount'].score.raw_value:.2f}人" in body  # 50.00人
    assert f"{row['individual'].score.raw_value * 100:.1f}%" in body  # 50.0%


def test_township_staff_open_their_own_township_only(client, two_weeks, contest):
    _first, week = two_weeks
    t = contest["towns"]
    client.force_login(township_user(t[0]))
    assert unit_page(client, week, t[0].pk).status_code == 200
    # Another township's page: the policy refuses it (403), as the drill-down and the trend do.
    assert unit_page(client, week, t[1].pk).status_code == 403
    assert client.get(reverse("leaderboard:drill", args=["township", t[1].pk, week.pk, "headcount"])).status_code == 403


def test_a_townships_own_draft_is_explained_against_the_whole_level(client, two_weeks, contest, district):
    """Township staff read their own units' drafts (open to objections): the range and the count of ranked
    units are the level's, as the district reads them, not those of the rows the township may read."""
    third = services.compute_week("township", SECOND + timedelta(weeks=1), actor=district)
    t1 = contest["towns"][0]
    client.force_login(district)
    seen_by_district = unit_page(client, third, t1.pk).context["explanation"]
    client.force_login(township_user(t1))
    seen_by_township = unit_page(client, third, t1.pk).context["explanation"]
    assert seen_by_township.week == third
    assert seen_by_township.ranked_count == seen_by_district.ranked_count == UnitResult.objects.filter(week=third, rank__isnull=False).count() > 1
    assert [(line.low, line.high) for line in seen_by_township.lines] == [(line.low, line.high) for line in seen_by_district.lines]
    assert any(line.low != line.high for line in seen_by_township.lines)
    client.force_login(township_user(contest["towns"][1]))
    assert unit_page(client, third, t1.pk).status_code == 403


def measure(client, week, unit_id):
    with CaptureQueriesContext(connection) as queries:
        assert unit_page(client, week, unit_id).status_code == 200
    return [q["sql"] for q in queries]


def test_the_page_reads_a_fixed_number_of_queries(client, two_weeks, contest, district):
    _first, week = two_weeks
    client.force_login(district)
    unit_id = contest["towns"][0].pk
    small = measure(client, week, unit_id)
    # The level's lowest and highest figures: one aggregate over the week's Score rows.
    spread = [sql for sql in small if "leaderboard_score" in sql and "MIN(" in sql.upper() and "MAX(" in sql.upper()]
    assert len(spread) == 1 and "GROUP BY" in spread[0].upper()
    assert len(small) <= 25
    # Fifteen more townships and a fourth indicator: the same number of queries.
    correction = services.open_correction(week, district, "more units")
    for _ in range(15):
        town = TownshipFactory()
        EnterpriseFactory(township=town, registered_headcount=7)
        services.enter_inspection_score(district, level="township", week_start=SECOND, unit_id=town.pk, indicator=contest["indicators"][2], value=1)
    Indicator.objects.create(
        code="headcount2", name_zh="指标headcount2", name_en="Indicator headcount2", levels=["township"], weight_township=1,
        metric_path="tests.leaderboard.fake_metrics.mean_headcount", sort_order=9,
    )
    services.compute_week("township", SECOND, actor=district)
    services.publish_week(correction, district)
    assert UnitResult.objects.filter(week=correction).count() == 21
    assert Score.objects.filter(week=correction, unit_id=unit_id).count() == 4
    large = measure(client, ContestWeek.objects.get(pk=correction.pk), unit_id)
    assert len(large) == len(small)
