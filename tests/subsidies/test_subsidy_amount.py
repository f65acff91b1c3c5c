from decimal import Decimal

import pytest

from subsidies.models import DEFAULT_POLICY, SubsidyPolicy
from subsidies.services import compute_subsidy


def policy(**overrides):
    return SubsidyPolicy(version=1, **{**DEFAULT_POLICY, **overrides})


def test_half_of_the_fee_rounded_half_up_to_the_fen():
    calc = compute_subsidy(Decimal("12345.67"), policy())
    assert calc.raw == Decimal("6172.84")  # 6172.835 rounds up, not to even
    assert calc.amount == Decimal("6172.84")
    assert calc.capped_by == []


def test_rounding_half_up_on_an_odd_rate():
    assert compute_subsidy(Decimal("0.05"), policy(rate=Decimal("0.5"))).amount == Decimal("0.03")
    assert compute_subsidy(Decimal("100.01"), policy(rate=Decimal("0.333"))).amount == Decimal("33.30")


def test_per_trip_cap_limits_the_amount():
    calc = compute_subsidy(Decimal("50000"), policy(per_trip_cap=Decimal("20000")))
    assert calc.raw == Decimal("25000.00")
    assert calc.amount == Decimal("20000.00")
    assert calc.capped_by == ["trip_cap"]


def test_enterprise_cap_limits_to_what_is_left():
    calc = compute_subsidy(Decimal("10000"), policy(per_enterprise_cap=Decimal("100000")), granted_before=Decimal("97000.50"))
    assert calc.amount == Decimal("2999.50")
    assert calc.enterprise_remaining == Decimal("2999.50")
    assert calc.capped_by == ["enterprise_cap"]


def test_nothing_left_when_the_enterprise_cap_is_spent():
    calc = compute_subsidy(Decimal("10000"), policy(), granted_before=Decimal("150000"))
    assert calc.amount == Decimal("0.00")


@pytest.mark.parametrize("amount", ["1", "999.99", "40000"])
def test_amount_is_a_decimal_to_the_fen(amount):
    calc = compute_subsidy(Decimal(amount), policy())
    assert isinstance(calc.amount, Decimal)
    assert calc.amount.as_tuple().exponent == -2
