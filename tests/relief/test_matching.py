"""Matching: a published 免申即享 policy writes one pending award to every eligible firm, amount computed in
Decimal (half up, capped), in one query per policy; a second run (or two at once) writes nothing more."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from enterprises.models import Scale
from fuyang_portal import clock
from relief import rules, services
from relief.models import Award
from tests.factories import EnterpriseFactory, district_user
from tests.relief.factories import make_policy

pytestmark = pytest.mark.django_db


def test_publishing_awards_eligible_firms_with_their_amount():
    sme = EnterpriseFactory(scale=Scale.SME, registered_headcount=41)
    big = EnterpriseFactory(scale=Scale.SME, registered_headcount=1000)
    EnterpriseFactory(scale=Scale.ABOVE_SCALE)
    with clock.at(date(2020, 2, 10)):
        item = make_policy()
    awards = {a.enterprise_id: a for a in Award.objects.filter(policy=item)}
    assert set(awards) == {sme.pk, big.pk}
    assert awards[sme.pk].amount == Decimal("12300.00")
    assert awards[big.pk].amount == Decimal("20000.00")  # the cap
    assert "capped" in awards[big.pk].basis["how"] or "封顶" in awards[big.pk].basis["how"]
    assert all(a.status == Award.Status.PENDING for a in awards.values())


def test_half_up_to_the_fen():
    firm = EnterpriseFactory(registered_headcount=3)
    item = make_policy(benefit={"base": "registered_headcount", "rate": "0.335"})
    assert Award.objects.get(policy=item, enterprise=firm).amount == Decimal("1.01")  # 1.005 → 1.01


def test_matching_again_writes_nothing():
    EnterpriseFactory.create_batch(3)
    item = make_policy()
    assert Award.objects.filter(policy=item).count() == 3
    again = services.match_policy(item.pk)
    assert again.created == 0 and Award.objects.filter(policy=item).count() == 3


def test_two_matchings_at_once_write_each_award_once():
    """The second run does not see the first's awards (as if concurrent): the unique constraint keeps one each."""
    firms = EnterpriseFactory.create_batch(4)
    item = make_policy(publish=False)
    services.publish_policy(item, district_user())  # its matching waits for the commit: not run here
    assert not Award.objects.filter(policy=item).exists()
    first = services.match_policy(item.pk)
    # A run that read the eligible firms before the first committed: same rows inserted again.
    from relief.models import Award as AwardModel
    rows = [AwardModel(policy=item, version=item.current_version, enterprise=f, period="2020-02", amount=Decimal("1")) for f in firms]
    AwardModel.objects.bulk_create(rows, ignore_conflicts=True)
    assert first.created == 4
    assert Award.objects.filter(policy=item).count() == 4


def test_eligibility_is_one_query_whatever_the_number_of_firms():
    EnterpriseFactory.create_batch(30)
    rule = {"all": [
        {"fact": "scale", "op": "in", "value": ["sme"]},
        {"fact": "staff_on_site", "op": "gte", "value": 0},
        {"fact": "resumed_on", "op": "unset"},
        {"fact": "registered_workers", "op": "lt", "value": 5},
        {"not": {"fact": "tags", "op": "has_any", "value": ["exporter"]}},
    ]}
    from tests.relief.factories import tag
    tag("exporter")
    with CaptureQueriesContext(connection) as queries:
        found = list(rules.eligible_firms(rule, {"base": "staff_on_site", "rate": "1"}).values_list("pk", flat=True))
    assert len(found) == 30
    assert len(queries) == 1


def test_only_published_auto_policies_in_force_are_matched():
    EnterpriseFactory()
    draft = make_policy(publish=False)
    assert services.match_policy(draft.pk).created == 0
    assert not Award.objects.filter(policy=draft).exists()
    with clock.at(date(2021, 3, 1)):
        late = make_policy(publish=False, valid_until=date(2020, 12, 31))
        services.publish_policy(late, district_user())
    assert not Award.objects.filter(policy=late).exists()


def test_a_revision_does_not_award_a_firm_twice_for_the_period():
    EnterpriseFactory.create_batch(2)
    item = make_policy()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.revise_policy(item, district_user(), note="提高标准", benefit={"fixed": "5000"})
    assert Award.objects.filter(policy=item).count() == 2
    assert item.versions.count() == 2
