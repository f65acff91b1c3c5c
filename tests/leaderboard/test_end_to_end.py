"""End to end on real rows: the shipped indicators, computed by the enterprises app's metric functions
from resumption requests, published, and drilled down to the firms counted."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from enterprises.models import Scale
from fuyang_portal import clock
from leaderboard import services
from leaderboard.models import Indicator, Score, UnitResult
from programmes import services as programmes
from tests.enterprises.factories import ApprovedRequestFactory
from tests.factories import EnterpriseFactory, TownshipFactory
from tests.leaderboard.factories import MONDAY, set_list_size
from tests.programmes.factories import work_item

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
ENTERPRISE_CODES = ["above-scale-resumption", "resumption", "staff-return", "pass-issue-hours"]


@pytest.fixture
def world(district):
    # The enterprises app's four indicators, the inspection deductions and the entered one; the specialists' are tested with their app.
    Indicator.objects.exclude(code__in=ENTERPRISE_CODES + ["inspection-deductions", "epidemic-prevention"]).update(active=False)
    a, b, c = (TownshipFactory(name=name, sort_order=n) for n, name in enumerate(["甲镇", "乙镇", "丙镇"]))
    set_list_size("township", 3, min_coverage=50)  # six of the indicators only: half the weights with data is enough here
    in_week = datetime(2020, 2, 5, 10, tzinfo=BEIJING)
    after_week = datetime(2020, 2, 10, 0, 30, tzinfo=BEIJING)  # Monday 00:30 of the next week: not counted
    for _ in range(2):
        ApprovedRequestFactory(enterprise=EnterpriseFactory(township=a, scale=Scale.ABOVE_SCALE), approved_at=in_week)
    ApprovedRequestFactory(enterprise=EnterpriseFactory(township=a, scale=Scale.SME), approved_at=in_week)
    EnterpriseFactory(township=a, scale=Scale.SME)
    ApprovedRequestFactory(enterprise=EnterpriseFactory(township=b, scale=Scale.ABOVE_SCALE), approved_at=after_week)
    ApprovedRequestFactory(enterprise=EnterpriseFactory(township=b, scale=Scale.SME), approved_at=in_week)
    EnterpriseFactory(township=c, scale=Scale.SME)
    entered = Indicator.objects.filter(source="entered")
    rows = [(n, t.code, {i: "90" for i in entered}) for n, t in enumerate([a, b, c], start=2)]
    assert not services.import_inspection_scores(district, level="township", week_start=MONDAY, rows=rows).errors
    # 督查通报: the district's inspections of 甲镇's and 乙镇's work-list items in the week (丙镇 was not inspected).
    for township, points in ((a, 3), (b, 0)):
        item, _ = work_item(township)
        with clock.at(datetime(2020, 2, 6, 15, tzinfo=BEIJING)):
            programmes.inspect_item(item, district, outcome="problems" if points else "passed", points=points,
                                    description="卡点登记不全" if points else "", rectify_by=date(2020, 2, 8) if points else None)
    return {"a": a, "b": b, "c": c}


def figures(week, township, code):
    score = Score.objects.get(week=week, unit_id=township.pk, indicator__code=code)
    return score.numerator, score.denominator, score.score, score.no_data


def test_real_metric_rows_give_the_scores_the_rules_say(world, district):
    week = services.compute_week("township", MONDAY, actor=district)
    a, b, c = world["a"], world["b"], world["c"]
    assert figures(week, a, "above-scale-resumption") == (2, 2, 100, False)
    assert figures(week, b, "above-scale-resumption") == (0, 1, 0, False)  # approved after the week ended
    assert figures(week, c, "above-scale-resumption")[3] is True  # no above-scale firm: no data, not zero
    assert figures(week, a, "resumption") == (3, 4, 100, False)
    assert figures(week, b, "resumption") == (1, 2, Decimal("66.67"), False)
    assert figures(week, c, "resumption") == (0, 1, 0, False)
    assert figures(week, a, "staff-return")[3] and figures(week, a, "pass-issue-hours")[3]  # no reports, no passes
    # 3 points, plus 2 because the deadline of the 8th passed unrectified; over the 1 finding counted: the worst.
    assert figures(week, a, "inspection-deductions") == (5, 1, 0, False)
    assert figures(week, b, "inspection-deductions") == (0, 1, 100, False)
    assert figures(week, c, "inspection-deductions")[3] is True  # not inspected: no data, not zero
    ranks = dict(UnitResult.objects.filter(week=week).values_list("unit_id", "rank"))
    assert ranks[a.pk] == 1 and ranks[b.pk] == 2
    # 丙镇 has data on 20 of the 60 active weight points (resumption 15, epidemic prevention 5): unranked.
    c_result = UnitResult.objects.get(week=week, unit_id=c.pk)
    assert ranks[c.pk] is None and c_result.coverage == Decimal("33.33") and not c_result.eligible


def test_a_published_score_drills_down_to_the_firms_counted(client, world, district):
    week = services.compute_week("township", MONDAY, actor=district)
    services.publish_week(week, district)
    client.force_login(district)
    response = client.get(reverse("leaderboard:drill", args=["township", world["a"].pk, week.pk, "resumption"]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 4 and sum(1 for row in rows if row["extra"] == [True]) == 3
    # The inspection score opens on the finding behind it, with the points it deducted and its late flag.
    response = client.get(reverse("leaderboard:drill", args=["township", world["a"].pk, week.pk, "inspection-deductions"]))
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row["extra"] == [3, True] and row["url"]  # 3 points, and late (+2) == row["object"].get_absolute_url()
    assert client.get(row["url"]).status_code == 200
    response = client.get(reverse("leaderboard:drill", args=["township", world["a"].pk, week.pk, "epidemic-prevention"]))
    assert response.status_code == 200 and len(response.context["rows"]) == 1


def test_visits_per_firm_from_real_visits_and_its_drill_down(client, world, district):
    from datetime import date

    from tests.specialists.factories import VisitFactory

    Indicator.objects.filter(code="visits-per-firm").update(active=True)
    a, b = world["a"], world["b"]
    firm_a = a.enterprises.first()
    VisitFactory(enterprise=firm_a, visited_on=date(2020, 2, 4))
    VisitFactory(enterprise=firm_a, visited_on=date(2020, 2, 9))  # Sunday: still in the week
    VisitFactory(enterprise=firm_a, visited_on=date(2020, 2, 10))  # next Monday: not counted
    VisitFactory(enterprise=b.enterprises.first(), visited_on=date(2020, 2, 6))
    week = services.compute_week("township", MONDAY, actor=district)
    assert figures(week, a, "visits-per-firm") == (2, 4, 100, False)  # 2 visits / 4 firms = 0.5
    assert figures(week, b, "visits-per-firm") == (1, 2, 100, False)  # 1 / 2 = 0.5: equal, both 100
    assert figures(week, world["c"], "visits-per-firm") == (0, 1, 0, False)
    client.force_login(district)
    response = client.get(reverse("leaderboard:drill", args=["township", a.pk, week.pk, "visits-per-firm"]))
    assert response.status_code == 200 and len(response.context["rows"]) == 2
