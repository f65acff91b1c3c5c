"""Metric functions for the contest's tests, with the contract of fuyang_portal/metrics.py.

``mean_headcount`` and ``individual_share`` aggregate real Enterprise rows in one query each, as the
domain apps' functions do; ``table`` returns figures a test sets by hand in ``TABLE``.
"""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from enterprises.models import Enterprise, Scale
from fuyang_portal.metrics import MetricRow, enterprise_unit

TABLE = {}  # level -> {unit_id: (numerator, denominator)}


def mean_headcount(level, start, end):
    unit = enterprise_unit(level)
    rows = Enterprise.objects.exclude(**{f"{unit}__isnull": True}).values(unit).annotate(n=Count("pk"), staff=Sum("registered_headcount"))
    return [MetricRow(row[unit], Decimal(row["staff"]), Decimal(row["n"])) for row in rows]


def mean_headcount_rows(level, unit_id, start, end):
    return Enterprise.objects.filter(**{enterprise_unit(level): unit_id})


def individual_share(level, start, end):
    unit = enterprise_unit(level)
    rows = (
        Enterprise.objects.exclude(**{f"{unit}__isnull": True})
        .values(unit)
        .annotate(n=Count("pk"), small=Count("pk", filter=Q(scale=Scale.INDIVIDUAL)))
    )
    return [MetricRow(row[unit], Decimal(row["small"]), Decimal(row["n"])) for row in rows]


def individual_share_rows(level, unit_id, start, end):
    return Enterprise.objects.filter(**{enterprise_unit(level): unit_id, "scale": Scale.INDIVIDUAL})


def table(level, start, end):
    return [MetricRow(unit_id, Decimal(num), Decimal(den)) for unit_id, (num, den) in TABLE.get(level, {}).items()]


def median_table(level, start, end):
    return [MetricRow(unit_id, Decimal(v), Decimal(n), statistic=Decimal(v)) for unit_id, (v, n) in TABLE.get(level, {}).items()]
