"""Charter subsidy paid per week on the district office's home page: one GROUP BY over the paid batches."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import DateField, Sum
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext_lazy as _

from fuyang_portal import clock
from fuyang_portal.metrics import period_bounds, week_of
from fuyang_portal.navigation import role_of
from fuyang_portal.roles import Role
from subsidies.models import PayoutBatch, PayoutItem

WEEKS = 8


def paid_by_week(items, mondays):
    """Yuan paid (batches marked paid) in each week starting on each of ``mondays``."""
    since, _unused = period_bounds(mondays[0], mondays[0])
    _unused, until = period_bounds(mondays[-1], mondays[-1] + timedelta(days=6))
    paid = dict(
        items.filter(batch__status=PayoutBatch.Status.PAID, batch__paid_at__gte=since, batch__paid_at__lt=until)
        .values_list(TruncWeek("batch__paid_at", output_field=DateField()))
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    return [paid.get(monday) or Decimal("0") for monday in mondays]


def charts(user):
    if role_of(user) != Role.DISTRICT:
        return []
    this_monday = week_of(clock.today())[0]
    mondays = [this_monday - timedelta(weeks=n) for n in reversed(range(WEEKS))]
    amounts = paid_by_week(PayoutItem.objects.visible_to(user), mondays)
    return [{
        "id": "subsidy-paid",
        "title": str(_("Charter subsidy paid per week (yuan)")),
        "x": [monday.strftime("%m-%d") for monday in mondays],
        "series": [{"name": str(_("Paid")), "type": "bar", "data": [float(amount) for amount in amounts]}],
        "axes": [{"name": str(_("yuan"))}],
    }]
