"""Charter subsidy paid per week on the district office's home page."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from subsidies import dashboards
from subsidies.models import PayoutBatch, PayoutItem, SubsidyClaim
from tests.factories import district_user, enterprise_user, township_user
from tests.subsidies.factories import ClaimFactory

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _story_clock(settings):
    settings.DEMO_CLOCK = "2020-02-24T10:00:00"


def batch(number, paid_at, amounts):
    status = PayoutBatch.Status.PAID if paid_at else PayoutBatch.Status.OPEN
    made = PayoutBatch.objects.create(number=number, status=status, paid_at=paid_at, transfer_reference=f"REF{number}" if paid_at else "")
    for amount in amounts:
        claim = ClaimFactory(status=SubsidyClaim.Status.PAID if paid_at else SubsidyClaim.Status.BATCHED,
                             subsidy_amount=Decimal(amount), approved_amount=Decimal(amount))
        PayoutItem.objects.create(batch=made, claim=claim, amount=Decimal(amount))
    return made


def test_paid_by_week_counts_paid_batches_only(django_assert_num_queries):
    batches = [
        ("B1", datetime(2020, 2, 11, 15, tzinfo=BEIJING), ["3000.50", "1200.00"]),
        ("B2", datetime(2020, 2, 16, 23, 30, tzinfo=BEIJING), ["800.25"]),  # Sunday night, Beijing: that week
        ("B3", datetime(2020, 2, 21, 10, tzinfo=BEIJING), ["5000.00"]),
        ("B4", None, ["999.00"]),  # awaiting the transfer
    ]
    for number, paid_at, amounts in batches:
        batch(number, paid_at, amounts)
    user = district_user()
    with django_assert_num_queries(1):
        [chart] = dashboards.charts(user)
    mondays = [date(2020, 2, 24) - timedelta(weeks=n) for n in reversed(range(dashboards.WEEKS))]
    expected = {m: Decimal("0") for m in mondays}
    for _number, paid_at, amounts in batches:
        if paid_at:
            local = paid_at.astimezone(BEIJING).date()
            expected[local - timedelta(days=local.weekday())] += sum(Decimal(a) for a in amounts)
    assert chart["series"][0]["data"] == [float(expected[m]) for m in mondays]
    assert chart["series"][0]["data"][-3:] == [5000.75, 5000.0, 0.0]


def test_only_the_district_office_sees_the_payouts(client):
    claim = ClaimFactory()
    assert dashboards.charts(township_user(claim.enterprise.township)) == []
    assert dashboards.charts(enterprise_user(claim.enterprise)) == []
