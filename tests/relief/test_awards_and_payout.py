"""Awards without application: the firm confirms (its account the first time), the district office batches them in
the SAME payout batches as the charter claims (one mechanism, one code path: a mixed batch is tested once for
both), marks the batch paid; pre-payment checks hold what may not be paid, with the reason; a paid award found
ineligible gets a recovery record."""

from decimal import Decimal

import pytest

from fuyang_portal.models import Transition
from fuyang_portal.workflow import ActionRefused
from relief import services
from relief.models import Award, Recovery
from subsidies import services as payouts
from subsidies.exports import transfer_workbook
from subsidies.models import PayoutBatch, PayoutItem, SubsidyClaim
from tests.factories import (
    EnterpriseFactory,
    district_user,
    enterprise_user,
    township_user,
)
from tests.relief.factories import make_policy
from tests.subsidies.factories import approved_claim

pytestmark = pytest.mark.django_db
A = Award.Status
BANK = {"bank": "杭州银行富阳支行", "account_name": "测试企业", "account_number": "6228480012345678"}


def confirmed_award(**policy):
    firm = EnterpriseFactory(registered_headcount=10)
    item = make_policy(**policy)
    award = Award.objects.get(policy=item, enterprise=firm)
    services.confirm_award(award, enterprise_user(firm), **BANK)
    award.refresh_from_db()
    return award


def test_the_firm_confirms_with_its_account_the_first_time_only():
    firm = EnterpriseFactory(registered_headcount=10)
    user = enterprise_user(firm)
    first = Award.objects.get(policy=make_policy(), enterprise=firm)
    with pytest.raises(ActionRefused) as refused:
        services.confirm_award(first, user)
    assert refused.value.code == ActionRefused.INVALID
    services.confirm_award(first, user, **BANK)
    second = Award.objects.get(policy=make_policy(), enterprise=firm)
    services.confirm_award(second, user)  # the account is known now
    second.refresh_from_db()
    assert second.status == A.CONFIRMED and second.payee_account == BANK["account_number"]


def test_a_firm_cannot_confirm_another_firms_award():
    firm = EnterpriseFactory()
    award = Award.objects.get(policy=make_policy(), enterprise=firm)
    stranger = enterprise_user(EnterpriseFactory())
    with pytest.raises(ActionRefused) as refused:
        services.confirm_award(award, stranger, **BANK)
    assert refused.value.code == ActionRefused.FORBIDDEN
    assert not Award.objects.visible_to(stranger).filter(pk=award.pk).exists()  # the page and API answer 404


def test_claims_and_awards_share_one_batch_and_one_payment():
    """One batch holding a charter claim and a policy award: one bank file, one mark-paid paying both."""
    district = district_user()
    claim = approved_claim()
    award = confirmed_award()
    batch = payouts.create_payout_batch(actor=district, claims=[claim], sources=[award])
    claim.refresh_from_db()
    award.refresh_from_db()
    assert (claim.status, award.status) == (SubsidyClaim.Status.BATCHED, A.BATCHED)
    assert batch.items.count() == 2
    rows = payouts.payout_rows(batch)
    assert [r[0] for r in rows] == [claim.pk, award.reference]
    assert rows[1][1] == award.enterprise.name and rows[1][4] == BANK["account_number"] and rows[1][5] == award.amount
    assert transfer_workbook(batch)  # the bank file is written for both kinds
    payouts.mark_batch_paid(batch, actor=district, transfer_reference="ICBC-1")
    claim.refresh_from_db()
    award.refresh_from_db()
    assert (claim.status, award.status) == (SubsidyClaim.Status.PAID, A.PAID)
    assert award.paid_at is not None
    assert Transition.objects.for_object(award).filter(action="pay").count() == 1
    payouts.mark_batch_paid(batch, actor=district, transfer_reference="ICBC-1")  # a retry pays nothing twice
    assert Transition.objects.for_object(award).filter(action="pay").count() == 1


def test_an_award_is_in_one_batch_only():
    award = confirmed_award()
    district = district_user()
    services.batch_awards(district, [award])
    with pytest.raises(ActionRefused):
        services.batch_awards(district, [award])
    with pytest.raises(ActionRefused):
        payouts.create_payout_batch(actor=district, sources=[award])
    assert PayoutItem.objects.filter(source_id=award.pk).count() == 1


def test_only_the_district_office_batches():
    award = confirmed_award()
    for user in (township_user(award.enterprise.township), enterprise_user(award.enterprise)):
        with pytest.raises(ActionRefused) as refused:
            services.batch_awards(user, [award])
        assert refused.value.code == ActionRefused.FORBIDDEN
    assert not PayoutBatch.objects.exists()


def test_a_pending_award_is_not_paid():
    firm = EnterpriseFactory()
    award = Award.objects.get(policy=make_policy(), enterprise=firm)
    with pytest.raises(ActionRefused) as refused:
        services.batch_awards(district_user(), [award])
    assert refused.value.code == ActionRefused.CONFLICT


def test_beyond_the_budget_is_held_with_the_reason():
    """Budget 4,000: three awards of 3,000 (10 staff × 300): the first is paid, the others held, and the district
    office sees why on each."""
    firms = EnterpriseFactory.create_batch(3, registered_headcount=10)
    item = make_policy(budget="4000.00")
    awards = []
    for firm in firms:
        award = Award.objects.get(policy=item, enterprise=firm)
        services.confirm_award(award, enterprise_user(firm), **BANK)
        awards.append(award)
    batch, held = services.batch_awards(district_user(), awards)
    assert batch.items.count() == 1
    assert set(held) == {awards[1].pk, awards[2].pk}
    for award in awards[1:]:
        award.refresh_from_db()
        assert award.status == A.CONFIRMED
        assert "budget" in award.hold_reason or "预算" in award.hold_reason
    with pytest.raises(ActionRefused) as refused:  # nothing payable: refused, with the reasons
        services.batch_awards(district_user(), awards[1:])
    assert refused.value.code == ActionRefused.CONFLICT


def test_a_duplicate_award_for_the_same_firm_and_period_is_held():
    """A second award of the same policy, firm and period (an older version's row) is not paid twice."""
    award = confirmed_award()
    services.batch_awards(district_user(), [award])
    twin = Award.objects.create(policy=award.policy, version=award.policy.versions.create(
        number=2, summary="x", rule={}, benefit={"fixed": "1"}, period=award.period, valid_from=award.version.valid_from, budget=Decimal("9999")),
        enterprise=award.enterprise, period=award.period, amount=Decimal("10"), status=A.CONFIRMED, payee_account="6228480012345678")
    with pytest.raises(ActionRefused) as refused:
        services.batch_awards(district_user(), [twin])
    assert refused.value.code == ActionRefused.CONFLICT
    twin.refresh_from_db()
    assert twin.hold_reason


def test_recovery_of_an_award_found_ineligible_after_payment():
    award = confirmed_award()
    district = district_user()
    batch, _held = services.batch_awards(district, [award])
    with pytest.raises(ActionRefused):  # not paid yet: nothing to recover
        services.open_recovery(award, district, "注销")
    payouts.mark_batch_paid(batch, actor=district, transfer_reference="TR-9")
    with pytest.raises(ActionRefused) as refused:
        services.open_recovery(award, district, "")
    assert refused.value.code == ActionRefused.INVALID
    services.open_recovery(award, district, "核查发现参保人数虚报")
    award.refresh_from_db()
    recovery = Recovery.objects.get(award=award)
    assert award.status == A.RECOVERY and recovery.amount == award.amount
    services.settle_recovery(recovery, district, "退款-001")
    recovery.refresh_from_db()
    assert recovery.status == Recovery.Status.RECOVERED


def test_cancelling_needs_a_reason_and_the_district_office():
    firm = EnterpriseFactory()
    award = Award.objects.get(policy=make_policy(), enterprise=firm)
    with pytest.raises(ActionRefused) as refused:
        services.cancel_award(award, enterprise_user(award.enterprise), "不要")
    assert refused.value.code == ActionRefused.FORBIDDEN
    services.cancel_award(award, district_user(), "企业已注销")
    award.refresh_from_db()
    assert award.status == A.CANCELLED
