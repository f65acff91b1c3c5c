"""The contest's figure from the worker-return programme (contract: fuyang_portal/metrics.py): a village's (or any
unit's) registrations of returning workers, a duty the village carries out at its checkpoints and doors."""

from decimal import Decimal

from django.db.models import Count, F, Q

from enterprises.models import Enterprise
from fuyang_portal.metrics import MetricRow, enterprise_unit, period_bounds
from subsidies.models import WorkerRegistration


def _registered_in(start, end, prefix=""):
    since, until = period_bounds(start, end)
    return Q(**{f"{prefix}created_at__gte": since, f"{prefix}created_at__lt": until})


def worker_registrations_per_firm(level, start, end):
    """Returning workers registered in the period / the unit's firms (units with firms and none registered: 0)."""
    unit = enterprise_unit(level)
    values = (
        Enterprise.objects.exclude(**{f"{unit}__isnull": True})
        .values(unit_id=F(unit))
        .annotate(
            firms=Count("pk", distinct=True),
            registered=Count("worker_registrations", filter=_registered_in(start, end, "worker_registrations__")),
        )
        .order_by("unit_id")
    )
    return [MetricRow(unit_id=row["unit_id"], numerator=Decimal(row["registered"]), denominator=Decimal(row["firms"])) for row in values]


def worker_registrations_per_firm_rows(level, unit_id, start, end):
    """The registrations counted (the numerator)."""
    return (
        WorkerRegistration.objects.filter(_registered_in(start, end), **{enterprise_unit(level, "enterprise__"): unit_id})
        .select_related("enterprise")
        .order_by("created_at", "pk")
    )
