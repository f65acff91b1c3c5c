"""Indicators are data the district office edits, with every version kept; a negative weight or weights
summing to zero are refused and change nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from fuyang_portal.workflow import ActionRefused
from leaderboard import services
from leaderboard.definitions import TEN_INDICATORS
from leaderboard.models import Indicator, IndicatorChange, LevelSetting
from tests.factories import township_user

pytestmark = pytest.mark.django_db


def test_the_ten_indicators_of_the_report_are_shipped():
    indicators = list(Indicator.objects.filter(active=True))
    assert [i.code for i in indicators] == [row["code"] for row in TEN_INDICATORS]
    assert {i.name_zh for i in indicators} >= {"规上工业企业复工率", "畅通度", "督查通报", "疫情防控"}
    assert [i.code for i in indicators if i.direction == "lower"] == ["pass-issue-hours", "inspection-deductions"]
    assert [i.code for i in indicators if i.source == "entered"] == ["epidemic-prevention"]
    # 督查通报 comes from the inspection findings on the units' work lists, not from a typed-in figure.
    assert Indicator.objects.get(code="inspection-deductions").metric_path == "programmes.metrics.inspection_deductions"
    assert all(i.levels == ["township", "group", "village"] for i in indicators)
    assert sum(i.weight_township for i in indicators) == 100
    assert dict(LevelSetting.objects.values_list("level", "list_size")) == {"township": 3, "group": 5, "village": 10}
    assert IndicatorChange.objects.count() == 10


def test_an_edit_makes_a_new_version_and_keeps_the_old_one(district):
    indicator = Indicator.objects.get(code="resumption")
    services.update_indicator(indicator, district, {"weight_village": Decimal("20")}, reason="村级更看重复工")
    indicator.refresh_from_db()
    assert indicator.version == 2 and indicator.weight_village == 20
    versions = list(IndicatorChange.objects.filter(indicator=indicator).order_by("version"))
    assert [Decimal(v.snapshot["weight_village"]) for v in versions] == [15, 20]
    assert versions[-1].changed_by == district and versions[-1].reason == "村级更看重复工"


def test_a_negative_weight_is_refused(district):
    indicator = Indicator.objects.get(code="resumption")
    with pytest.raises(ActionRefused) as refused:
        services.update_indicator(indicator, district, {"weight_township": Decimal("-1")})
    assert refused.value.code == ActionRefused.INVALID
    indicator.refresh_from_db()
    assert indicator.weight_township == 15 and indicator.version == 1
    assert IndicatorChange.objects.filter(indicator=indicator).count() == 1


def test_weights_summing_to_zero_are_refused(district):
    indicators = list(Indicator.objects.all())
    for indicator in indicators[:-1]:
        services.update_indicator(indicator, district, {"weight_group": Decimal("0")})
    last = indicators[-1]
    with pytest.raises(ActionRefused) as refused:
        services.update_indicator(last, district, {"weight_group": Decimal("0")})
    assert refused.value.code == ActionRefused.INVALID
    last.refresh_from_db()
    assert last.weight_group == 5 and last.version == 1


def test_the_edit_page_shows_the_refusal_and_changes_nothing(client, district):
    indicator = Indicator.objects.get(code="satisfaction")
    client.force_login(district)
    data = {
        "name_zh": indicator.name_zh,
        "name_en": indicator.name_en,
        "levels": ["township", "group", "village"],
        "direction": "higher",
        "weight_township": "-5",
        "weight_group": "10",
        "weight_village": "10",
        "active": "on",
        "reason": "test",
    }
    response = client.post(reverse("leaderboard:indicator-edit", args=[indicator.pk]), data)
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    indicator.refresh_from_db()
    assert indicator.weight_township == 10 and indicator.version == 1
    data["weight_township"] = "12"
    assert client.post(reverse("leaderboard:indicator-edit", args=[indicator.pk]), data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.weight_township == 12 and indicator.version == 2


def test_township_staff_cannot_edit_indicators(client):
    indicator = Indicator.objects.get(code="satisfaction")
    user = township_user()
    with pytest.raises(ActionRefused):
        services.update_indicator(indicator, user, {"weight_township": Decimal("1")})
    client.force_login(user)
    assert client.post(reverse("leaderboard:indicator-edit", args=[indicator.pk]), {}).status_code == 403
    indicator.refresh_from_db()
    assert indicator.version == 1


def test_list_size_is_configurable_per_level(client, district):
    client.force_login(district)
    client.post(reverse("leaderboard:level-setting", args=["village"]), {"village-list_size": "8", "village-min_coverage": "60"})
    assert LevelSetting.objects.get(level="village").list_size == 8
    client.post(reverse("leaderboard:level-setting", args=["village"]), {"village-list_size": "0", "village-min_coverage": "60"})
    assert LevelSetting.objects.get(level="village").list_size == 8
