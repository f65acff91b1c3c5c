"""Computing a week: the ranking matches an independent calculation; rows are replaced atomically and
idempotently; the number of queries does not grow with the number of units."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.models import Scale
from fuyang_portal.workflow import ActionRefused
from leaderboard import services
from leaderboard.models import ContestWeek, Score, UnitResult
from tests.factories import EnterpriseFactory, TownshipFactory, township_user
from tests.leaderboard.conftest import enter_deductions
from tests.leaderboard.factories import MONDAY, use_test_indicators

pytestmark = pytest.mark.django_db


def independent_ranking(contest):
    """The contest worked out by hand, with exact fractions: totals, ranks (1, 2, 2, 4), lists."""
    raw = {}
    for index, town in enumerate(contest["towns"]):
        rows = contest["firms"].get(index, [])
        a = Fraction(sum(h for h, _ in rows), len(rows)) if rows else None
        b = Fraction(sum(1 for _, s in rows if s == Scale.INDIVIDUAL), len(rows)) if rows else None
        raw[town.pk] = [a, b, Fraction(contest["deductions"][index])]
    weights = [3, 2, 1]
    lower = [False, True, True]
    scores = {pk: [] for pk in raw}
    for i in range(3):
        present = [v[i] for v in raw.values() if v[i] is not None]
        low, high = min(present), max(present)
        for pk, values in raw.items():
            v = values[i]
            if v is None:
                scores[pk].append(None)
            elif high == low:
                scores[pk].append(Fraction(100))
            else:
                share = (high - v) / (high - low) if lower[i] else (v - low) / (high - low)
                scores[pk].append(share * 100)
    totals, eligible = {}, set()
    for pk, values in scores.items():
        used = [(s, w) for s, w in zip(values, weights) if s is not None]
        totals[pk] = sum(s * w for s, w in used) / sum(w for _, w in used)
        if Fraction(sum(w for _, w in used), sum(weights)) >= Fraction(1, 2):
            eligible.add(pk)
    ordered = sorted((totals[pk] for pk in eligible), reverse=True)
    ranks = {pk: (1 + sum(1 for t in ordered if round(t, 2) > round(totals[pk], 2)) if pk in eligible else None) for pk in raw}
    return totals, ranks


def test_ranking_matches_an_independent_calculation_with_ties_no_data_and_both_directions(contest, district):
    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)

    totals, ranks = independent_ranking(contest)
    results = {r.unit_id: r for r in UnitResult.objects.filter(week=week)}
    assert {pk: r.rank for pk, r in results.items()} == ranks
    for pk, total in totals.items():
        assert abs(results[pk].total - Decimal(float(total))) <= Decimal("0.01")
    t = [town.pk for town in contest["towns"]]
    # T2 and T3 tie for third; T4 is fifth: 1, 2, 3, 3, 5.
    assert [results[pk].rank for pk in t[:5]] == [1, 3, 3, 5, 2]
    # Red list: top two; black list: the bottom two, with T2 and T3 tied on its edge.
    assert {pk for pk, r in results.items() if r.list_mark == "red"} == {t[0], t[4]}
    assert {pk for pk, r in results.items() if r.list_mark == "black"} == {t[1], t[2], t[3]}
    # T6 has only its entered figure: a total, no rank, on neither list.
    assert results[t[5]].total == Decimal("100.00")
    assert results[t[5]].rank is None and not results[t[5]].eligible and results[t[5]].list_mark == "none"


def test_each_score_keeps_its_numerator_denominator_and_no_data_flag(contest, district):
    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    t = contest["towns"]
    headcount = Score.objects.get(week=week, unit_id=t[3].pk, indicator__code="headcount")
    assert (headcount.numerator, headcount.denominator, headcount.raw_value) == (Decimal(40), Decimal(2), Decimal(20))
    assert headcount.score == Decimal(0)  # the lowest mean headcount scores 0
    missing = Score.objects.get(week=week, unit_id=t[5].pk, indicator__code="individual")
    assert missing.no_data and missing.score is None and missing.raw_value is None


def test_computing_twice_gives_the_same_rows(contest, district):
    enter_deductions(contest, district, MONDAY)

    def snapshot():
        return (
            sorted(Score.objects.values_list("unit_id", "indicator__code", "raw_value", "numerator", "denominator", "score", "no_data")),
            sorted(UnitResult.objects.values_list("unit_id", "total", "rank", "list_mark", "movement")),
        )

    services.compute_week("township", MONDAY, actor=district)
    first = snapshot()
    week = services.compute_week("township", MONDAY)  # the scheduled task, no actor
    assert snapshot() == first
    assert ContestWeek.objects.filter(week_start=MONDAY, level="township").count() == 1
    assert Score.objects.filter(week=week).count() == 6 * 3


def test_a_failure_mid_computation_leaves_the_previous_rows(contest, district, monkeypatch):
    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    before = sorted(UnitResult.objects.filter(week=week).values_list("unit_id", "total", "rank"))

    EnterpriseFactory(township=contest["towns"][5], registered_headcount=999)  # would change the ranking
    original = UnitResult.objects.bulk_create

    def dies(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("worker killed")

    monkeypatch.setattr(UnitResult.objects, "bulk_create", dies)
    with pytest.raises(RuntimeError):
        services.compute_week("township", MONDAY, actor=district)
    assert sorted(UnitResult.objects.filter(week=week).values_list("unit_id", "total", "rank")) == before
    assert Score.objects.filter(week=week).count() == 18


def test_query_count_does_not_grow_with_the_number_of_units(district):
    use_test_indicators(
        ("headcount", "higher", 3, "computed", "mean_headcount"),
        ("individual", "lower", 2, "computed", "individual_share"),
        ("deductions", "lower", 1, "entered", ""),
    )

    def add_towns(n):
        for _ in range(n):
            town = TownshipFactory()
            EnterpriseFactory(township=town, registered_headcount=10 + town.pk % 7)
            EnterpriseFactory(township=town, scale=Scale.INDIVIDUAL)

    def count(week_start):
        with CaptureQueriesContext(connection) as queries:
            services.compute_week("township", week_start, actor=district)
        return len(queries)

    add_towns(3)
    services.compute_week("township", MONDAY, actor=district)  # warm caches (content types)
    small = count(MONDAY)
    add_towns(30)
    large = count(MONDAY)
    assert small == large


def test_a_week_must_start_on_a_monday_and_the_level_must_exist(contest, district):
    from datetime import timedelta

    with pytest.raises(ActionRefused) as tuesday:
        services.compute_week("township", MONDAY + timedelta(days=1), actor=district)
    assert tuesday.value.code == ActionRefused.INVALID
    with pytest.raises(ActionRefused):
        services.compute_week("county", MONDAY, actor=district)
    assert not ContestWeek.objects.exists()


def test_only_the_district_office_computes(contest):
    user = township_user(contest["towns"][0])
    with pytest.raises(ActionRefused) as refused:
        services.compute_week("township", MONDAY, actor=user)
    assert refused.value.code == ActionRefused.FORBIDDEN
    assert not ContestWeek.objects.exists()


def test_movement_is_the_rank_change_against_the_previous_published_week(contest, district):
    from datetime import timedelta

    enter_deductions(contest, district, MONDAY)
    first = services.compute_week("township", MONDAY, actor=district)
    services.publish_week(first, district)
    second_monday = MONDAY + timedelta(weeks=1)
    t = contest["towns"]
    # Week two: T4 gets a big firm (its mean headcount jumps), everything else is as before.
    EnterpriseFactory(township=t[3], registered_headcount=1000, scale=Scale.SME)
    contest["deductions"] = [10, 0, 0, 5, 20, 0]
    enter_deductions(contest, district, second_monday)
    second = services.compute_week("township", second_monday, actor=district)
    before = dict(UnitResult.objects.filter(week=first).values_list("unit_id", "rank"))
    after = {r.unit_id: r for r in UnitResult.objects.filter(week=second)}
    assert after[t[3].pk].rank < before[t[3].pk]
    for pk, result in after.items():
        if before[pk] is None or result.rank is None:
            assert result.movement is None
        else:
            assert result.movement == before[pk] - result.rank
            assert result.previous_rank == before[pk]
