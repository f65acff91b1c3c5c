"""The contest's indicator from labour matching (contract: fuyang_portal.metrics).

``fill_rate(level, start, end)``: for every unit with places published by the end of the period, workers
arrived at the gate by the end of the period / places of the vacancies published by then (withdrawn
vacancies are not counted). One aggregate query; ``fill_rate_rows`` gives the vacancies counted.
"""

from decimal import Decimal

from django.db.models import Sum

from fuyang_portal.metrics import MetricRow, enterprise_unit, period_bounds
from labour.models import Vacancy, VacancyStatus
from labour.stats import COUNTED, _arrived_subquery


def _counted(start, end):
    until = period_bounds(start, end)[1]
    return Vacancy.objects.filter(status__in=COUNTED, published_at__lt=until)


def fill_rate(level, start, end):
    unit = enterprise_unit(level, "enterprise__")
    values = (
        _counted(start, end)
        .filter(**{f"{unit}__isnull": False})
        .annotate(arrived_n=_arrived_subquery(until=end))
        .order_by()
        .values(unit)
        .annotate(arrived=Sum("arrived_n"), places=Sum("headcount"))
        .values_list(unit, "arrived", "places")
    )
    return [MetricRow(unit_id=u, numerator=Decimal(a or 0), denominator=Decimal(p or 0)) for u, a, p in values]


def fill_rate_rows(level, unit_id, start, end):
    """The vacancies counted, each with ``arrived_n``: its workers arrived by the end of the period."""
    return (
        _counted(start, end)
        .filter(**{enterprise_unit(level, "enterprise__"): unit_id})
        .annotate(arrived_n=_arrived_subquery(until=end))
        .select_related("enterprise")
    )
