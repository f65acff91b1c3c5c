"""Eligibility as data: a rule naming an unknown field is refused with the field named; each condition is explained
per firm; the SQL compiled from a rule and the Python explanation agree."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from enterprises.models import (
    DailyReport,
    Enterprise,
    ResumptionRequest,
    ResumptionStatus,
    Scale,
)
from fuyang_portal.workflow import ActionRefused
from relief import rules, services
from relief.models import Policy
from tests.factories import EnterpriseFactory, district_user
from tests.relief.factories import make_policy, tag

pytestmark = pytest.mark.django_db


def test_an_unknown_field_is_refused_with_its_name():
    with pytest.raises(ActionRefused) as refused:
        make_policy(rule={"all": [{"fact": "turnover", "op": "gte", "value": 1}]})
    assert "turnover" in refused.value.message
    assert refused.value.code == ActionRefused.INVALID
    assert not Policy.objects.exists()


@pytest.mark.parametrize("rule, named", [
    ({"fact": "scale", "op": "gte", "value": "sme"}, "gte"),
    ({"fact": "scale", "op": "in", "value": ["giant"]}, "giant"),
    ({"fact": "registered_headcount", "op": "gte", "value": "10"}, "registered_headcount"),
    ({"fact": "resumed_on", "op": "before", "value": "20-02-2020"}, "20-02-2020"),
    ({"fact": "tags", "op": "has_any", "value": ["no-such-tag"]}, "no-such-tag"),
    ({"all": {"fact": "scale"}}, "all"),
    ({"any": [{"fcat": "scale"}]}, "None"),
])
def test_malformed_rules_are_refused(rule, named):
    with pytest.raises(ValidationError) as refused:
        rules.validate_rule(rule)
    assert named in " ".join(refused.value.messages)


def test_a_benefit_over_an_unknown_field_is_refused():
    with pytest.raises(ActionRefused) as refused:
        make_policy(benefit={"base": "profit", "rate": "0.1"})
    assert "profit" in refused.value.message


def test_the_explanation_names_each_condition_with_the_firms_figure():
    firm = EnterpriseFactory(scale=Scale.SME, registered_headcount=12)
    rule = {"all": [{"fact": "scale", "op": "in", "value": ["sme"]}, {"fact": "registered_headcount", "op": "gte", "value": 20}]}
    eligible, lines = rules.explain(rule, rules.firm_facts(Enterprise.objects.filter(pk=firm.pk))[firm.pk])
    assert not eligible
    assert [line["ok"] for line in lines] == [True, False]
    assert "12" in lines[1]["text"]


def _resume(firm, day):
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=15))
    Enterprise.objects.filter(pk=firm.pk).mark_resumed(moment)  # as the approval services keep it
    return ResumptionRequest.objects.create(enterprise=firm, planned_date=day, status=ResumptionStatus.APPROVED, approved_at=moment)


def test_sql_and_python_agree_on_every_kind_of_condition():
    exporter = tag("exporter")
    firms = []
    for i in range(12):
        firm = EnterpriseFactory(scale=[Scale.SME, Scale.INDIVIDUAL, Scale.ABOVE_SCALE][i % 3], registered_headcount=i * 7)
        if i % 2:
            _resume(firm, date(2020, 2, 10 + i))
        if i % 4 == 0:
            firm.tags.add(exporter)
        if i % 3 == 1:
            DailyReport.objects.create(enterprise=firm, date=date(2020, 2, 20), staff_on_site=i * 3, staff_away=1, capacity_percent=50)
        firms.append(firm)
    rule = {"any": [
        {"all": [{"fact": "scale", "op": "in", "value": ["sme", "individual"]}, {"fact": "resumed_on", "op": "before", "value": "2020-02-17"}]},
        {"not": {"fact": "resumed_on", "op": "after", "value": "2020-02-15"}, },
        {"fact": "tags", "op": "has_all", "value": ["exporter"]},
        {"fact": "staff_on_site", "op": "gt", "value": 20},
    ]}
    rules.validate_rule(rule)
    sql = set(rules.eligible_firms(rule).values_list("pk", flat=True))
    facts = rules.firm_facts(Enterprise.objects.all())
    python = {pk for pk, f in facts.items() if rules.explain(rule, f)[0]}
    assert sql == python
    assert 0 < len(sql) < 12


def test_amounts_are_decimal_half_up_and_capped():
    assert rules.compute_amount({"fixed": "1000", "base": "registered_headcount", "rate": "0.125", "cap": "1000.05"},
                                {"registered_headcount": 1})[0] == Decimal("1000.05")
    assert rules.compute_amount({"base": "registered_headcount", "rate": "0.005"}, {"registered_headcount": 1})[0] == Decimal("0.01")
    assert rules.compute_amount({"base": "registered_headcount", "rate": "0.004"}, {"registered_headcount": 1})[0] == Decimal("0.00")


def test_a_revision_keeps_the_old_version_and_refuses_unknown_terms():
    item = make_policy()
    district = district_user()
    with pytest.raises(ActionRefused):
        services.revise_policy(item, district, note="", budget=Decimal("1"))
    with pytest.raises(ActionRefused):
        services.revise_policy(item, district, note="x", turnover=1)
    services.revise_policy(item, district, note="追加预算", budget=Decimal("2000000"))
    assert list(item.versions.order_by("number").values_list("budget", flat=True)) == [Decimal("1000000.00"), Decimal("2000000.00")]
