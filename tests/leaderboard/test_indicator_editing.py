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


def test_the_indicators_of_each_level_are_shipped_with_their_basis():
    """The report's ten, then the sets per level (migration 0006): villages and community groups are ranked on their
    own duties; every indicator names its basis; each level's active weights sum to 100."""
    indicators = list(Indicator.objects.filter(active=True))
    assert [i.code for i in indicators][:10] == [row["code"] for row in TEN_INDICATORS]
    assert {i.name_zh for i in indicators} >= {"规上工业企业复工率", "畅通度", "督查通报", "疫情防控", "工作清单完成率", "返岗人员登记"}
    assert [i.code for i in indicators if i.direction == "lower"] == ["pass-issue-hours", "inspection-deductions"]
    assert [i.code for i in indicators if i.source == "entered"] == ["epidemic-prevention"]
    # 督查通报 comes from the inspection findings on the units' work lists, not from a typed-in figure.
    assert Indicator.objects.get(code="inspection-deductions").metric_path == "programmes.metrics.inspection_deductions"
    by_level = {level: {i.code for i in Indicator.objects.for_level(level)} for level in ("township", "group", "village")}
    assert by_level["village"] == {"resumption", "inspection-deductions", "epidemic-prevention", "worklist-completion", "worker-registrations"}
    assert by_level["group"] == {"resumption", "visits-per-firm", "problems-closed", "satisfaction", "inspection-deductions",
                                 "epidemic-prevention", "worklist-completion"}
    assert "pass-issue-hours" in by_level["township"] and "pass-issue-hours" not in by_level["village"]
    for level in ("township", "group", "village"):
        assert sum(i.weight_for(level) for i in Indicator.objects.for_level(level)) == 100
    assert all(i.basis in ("report", "district") and i.basis_note for i in indicators)
    assert {i.code for i in indicators if i.basis == "report"} == {
        "above-scale-resumption", "resumption", "visits-per-firm", "pass-issue-hours", "inspection-deductions"}
    assert not Indicator.objects.get(code="hotline-response").active  # only 春江 keeps a hotline: not yet fair to rank on
    assert dict(LevelSetting.objects.values_list("level", "list_size")) == {"township": 3, "group": 5, "village": 10}
    assert set(LevelSetting.objects.values_list("min_coverage", "appeal_hours")) == {(80, 8)}
    # Each shipped change is a version in the history, by no person: the ten at v1 then v2, the three new at v1.
    assert IndicatorChange.objects.count() == 10 + 10 + 3 and not IndicatorChange.objects.exclude(changed_by=None).exists()


def test_an_edit_makes_a_new_version_and_keeps_the_old_one(district):
    indicator = Indicator.objects.get(code="resumption")
    shipped = indicator.version
    services.update_indicator(indicator, district, {"weight_village": Decimal("25")}, reason="村级更看重复工")
    indicator.refresh_from_db()
    assert indicator.version == shipped + 1 and indicator.weight_village == 25
    versions = list(IndicatorChange.objects.filter(indicator=indicator).order_by("version"))
    assert [Decimal(v.snapshot["weight_village"]) for v in versions] == [15, 20, 25]
    assert versions[-1].changed_by == district and versions[-1].reason == "村级更看重复工"


def test_a_negative_weight_is_refused(district):
    indicator = Indicator.objects.get(code="resumption")
    with pytest.raises(ActionRefused) as refused:
        services.update_indicator(indicator, district, {"weight_township": Decimal("-1")})
    assert refused.value.code == ActionRefused.INVALID
    indicator.refresh_from_db()
    assert indicator.weight_township == 15 and indicator.version == 2
    assert IndicatorChange.objects.filter(indicator=indicator).count() == 2


def test_weights_summing_to_zero_are_refused(district):
    indicators = [i for i in Indicator.objects.filter(active=True) if i.applies_to("group") and i.weight_group > 0]
    for indicator in indicators[:-1]:
        services.update_indicator(indicator, district, {"weight_group": Decimal("0")})
    last = indicators[-1]
    before, version = last.weight_group, last.version
    with pytest.raises(ActionRefused) as refused:
        services.update_indicator(last, district, {"weight_group": Decimal("0")})
    assert refused.value.code == ActionRefused.INVALID
    last.refresh_from_db()
    assert last.weight_group == before and last.version == version


def test_the_edit_page_shows_the_refusal_and_changes_nothing(client, district):
    indicator = Indicator.objects.get(code="satisfaction")
    client.force_login(district)
    data = {
        "name_zh": indicator.name_zh,
        "name_en": indicator.name_en,
        "levels": ["township", "group"],
        "direction": "higher",
        "basis": "district",
        "basis_note": indicator.basis_note,
        "weight_township": "-5",
        "weight_group": "10",
        "weight_village": "10",
        "active": "on",
        "reason": "test",
    }
    response = client.post(reverse("leaderboard:indicator-edit", args=[indicator.pk]), data)
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    indicator.refresh_from_db()
    assert indicator.weight_township == 10 and indicator.version == 2
    data["weight_township"] = "12"
    assert client.post(reverse("leaderboard:indicator-edit", args=[indicator.pk]), data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.weight_township == 12 and indicator.version == 3


def test_township_staff_cannot_edit_indicators(client):
    indicator = Indicator.objects.get(code="satisfaction")
    user = township_user()
    with pytest.raises(ActionRefused):
        services.update_indicator(indicator, user, {"weight_township": Decimal("1")})
    client.force_login(user)
    assert client.post(reverse("leaderboard:indicator-edit", args=[indicator.pk]), {}).status_code == 403
    indicator.refresh_from_db()
    assert indicator.version == 2


def test_list_size_is_configurable_per_level(client, district):
    client.force_login(district)
    client.post(reverse("leaderboard:level-setting", args=["village"]), {"village-list_size": "8", "village-min_coverage": "60", "village-appeal_hours": "16"})
    assert (LevelSetting.objects.get(level="village").list_size, LevelSetting.objects.get(level="village").appeal_hours) == (8, 16)
    client.post(reverse("leaderboard:level-setting", args=["village"]), {"village-list_size": "0", "village-min_coverage": "60", "village-appeal_hours": "16"})
    assert LevelSetting.objects.get(level="village").list_size == 8
    client.post(reverse("leaderboard:level-setting", args=["village"]), {"village-list_size": "8", "village-min_coverage": "60", "village-appeal_hours": "81"})
    assert LevelSetting.objects.get(level="village").appeal_hours == 16
