"""The contest's figure from relief policies (contract: fuyang_portal/metrics.py): the share of eligible firms a
policy has reached.

``policy_reach(level, start, end)``: per unit, firms with a relief award paid by the end of ``end`` / firms found
eligible (a live award, pending or beyond, written by the end of ``end``). One aggregate query.
``policy_reach_rows(level, unit_id, start, end)``: those firms, each with ``reached``.
"""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from enterprises.models import Enterprise
from fuyang_portal.metrics import MetricRow, enterprise_unit, period_bounds
from relief.models import Award

A = Award.Status
PAID = (A.PAID, A.RECOVERY)


def _until(end):
    return period_bounds(end, end)[1]


def policy_reach(level, start, end):
    until = _until(end)
    unit = enterprise_unit(level, "enterprise__")
    live = Q(created_at__lt=until) & ~Q(status=A.CANCELLED)
    reached = Q(status__in=PAID, paid_at__lt=until)
    values = (
        Award.objects.filter(live, **{f"{unit}__isnull": False})
        .order_by()
        .values(unit)
        .annotate(numerator=Count("enterprise", filter=reached, distinct=True), denominator=Count("enterprise", distinct=True))
        .values_list(unit, "numerator", "denominator")
    )
    return [MetricRow(unit_id=u, numerator=Decimal(n), denominator=Decimal(d)) for u, n, d in values]


def policy_reach_rows(level, unit_id, start, end):
    until = _until(end)
    awards = Award.objects.filter(enterprise=OuterRef("pk"), created_at__lt=until).exclude(status=A.CANCELLED)
    return (
        Enterprise.objects.filter(Exists(awards), **{enterprise_unit(level): unit_id})
        .annotate(reached=Exists(awards.filter(status__in=PAID, paid_at__lt=until)))
        .select_related("township")
    )
