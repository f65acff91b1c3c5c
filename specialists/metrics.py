"""The contest's indicators from the specialists' work (contract: fuyang_portal.metrics).

Each ``fn(level, start, end)`` returns one MetricRow per unit of ``level`` with data in the period
``start``..``end`` (dates, inclusive, Beijing time), from ONE aggregate query. Each has a companion
``fn_rows(level, unit_id, start, end)`` returning the queryset of rows counted, for drill-down.
"""

from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum

from enterprises.models import Enterprise
from fuyang_portal.metrics import MetricRow, enterprise_unit, period_bounds
from specialists.models import Problem, Visit


# ------------------------------------------------------------------ visits per firm


def visits_per_firm(level, start, end):
    """Visits in the period / firms in the unit (every unit with firms; a unit with no visit scores 0)."""
    unit = enterprise_unit(level)
    values = (
        Enterprise.objects.filter(**{f"{unit}__isnull": False})
        .order_by()
        .values(unit)
        .annotate(
            visits=Count("specialist_visits", filter=Q(specialist_visits__visited_on__range=(start, end)), distinct=True),
            firms=Count("pk", distinct=True),
        )
        .values_list(unit, "visits", "firms")
    )
    return [MetricRow(unit_id=u, numerator=Decimal(v), denominator=Decimal(f)) for u, v, f in values]


def visits_per_firm_rows(level, unit_id, start, end):
    """The visits counted (the numerator's rows)."""
    return Visit.objects.filter(**{enterprise_unit(level, "enterprise__"): unit_id, "visited_on__range": (start, end)}).select_related(
        "enterprise", "specialist__user"
    )


# ------------------------------------------------------------------ problems closed / open in the period


def _open_in_period(start, end):
    """Problems open at any moment of the period: raised before it ends, not closed before it starts."""
    since, until = period_bounds(start, end)
    return Q(raised_at__lt=until) & (Q(closed_at__isnull=True) | Q(closed_at__gte=since))


def _closed_in_period(start, end):
    since, until = period_bounds(start, end)
    return Q(status=Problem.Status.CONFIRMED, closed_at__gte=since, closed_at__lt=until)


def _problem_metric(level, start, end, numerator_q, denominator_q):
    unit = enterprise_unit(level, "enterprise__")
    values = (
        Problem.objects.filter(denominator_q, **{f"{unit}__isnull": False})
        .order_by()
        .values(unit)
        .annotate(numerator=Count("pk", filter=numerator_q), denominator=Count("pk"))
        .values_list(unit, "numerator", "denominator")
    )
    return [MetricRow(unit_id=u, numerator=Decimal(n), denominator=Decimal(d)) for u, n, d in values]


def problems_closed_rate(level, start, end):
    """Problems closed (confirmed by the firm) in the period / problems open at any time in it."""
    return _problem_metric(level, start, end, _closed_in_period(start, end), _open_in_period(start, end))


def problems_closed_rate_rows(level, unit_id, start, end):
    """The problems open at any time in the period (the denominator); ``closed_in_period`` marks the numerator."""
    return (
        Problem.objects.filter(_open_in_period(start, end), **{enterprise_unit(level, "enterprise__"): unit_id})
        .select_related("enterprise", "agency")
        .annotate(closed_in_period=ExpressionWrapper(_closed_in_period(start, end), output_field=BooleanField()))
    )


# ------------------------------------------------------------------ closed on time / closed


def on_time_closure_rate(level, start, end):
    """Problems closed in the period that were handled (resolved or answered) by their deadline / closed in the period."""
    closed = _closed_in_period(start, end)
    return _problem_metric(level, start, end, Q(on_time=True), closed)


def on_time_closure_rate_rows(level, unit_id, start, end):
    return Problem.objects.filter(_closed_in_period(start, end), **{enterprise_unit(level, "enterprise__"): unit_id}).select_related(
        "enterprise", "agency"
    )


# ------------------------------------------------------------------ mean satisfaction


def mean_satisfaction(level, start, end):
    """Sum of the ratings given in the period / number of ratings given in it (1–5)."""
    unit = enterprise_unit(level, "enterprise__")
    values = (
        Problem.objects.filter(_closed_in_period(start, end), rating__isnull=False, **{f"{unit}__isnull": False})
        .order_by()
        .values(unit)
        .annotate(total=Sum("rating"), ratings=Count("pk"))
        .values_list(unit, "total", "ratings")
    )
    return [MetricRow(unit_id=u, numerator=Decimal(t), denominator=Decimal(n)) for u, t, n in values]


def mean_satisfaction_rows(level, unit_id, start, end):
    return Problem.objects.filter(
        _closed_in_period(start, end), rating__isnull=False, **{enterprise_unit(level, "enterprise__"): unit_id}
    ).select_related("enterprise")
