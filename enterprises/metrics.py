"""The contest's metric functions from the enterprises app (contract: fuyang_portal/metrics.py).

Each ``fn(level, start, end)`` returns one MetricRow per unit of ``level`` that has rows, from one aggregate
query; each ``fn_rows(level, unit_id, start, end)`` returns the queryset of the rows that unit's figure counts,
so the leaderboard can drill down from a score to its firms or passes.

The figures rank every unit of the district, so they read every firm (the leaderboard's rows are published to
every role); a page that lists the rows behind a figure narrows them with ``visible_to`` itself.
"""

from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from enterprises.models import DailyReport, Enterprise, Pass, PassStatus, ResumptionRequest, Scale
from fuyang_portal.metrics import Level, MetricRow, enterprise_unit, period_bounds


def _rows(values):
    return [
        MetricRow(unit_id=row["unit_id"], numerator=Decimal(row["numerator"] or 0), denominator=Decimal(row["denominator"] or 0))
        for row in values
    ]


def _in_unit(queryset, level, unit_id, prefix=""):
    return queryset.filter(**{enterprise_unit(level, prefix): unit_id})


def _resumed_by(end):
    _, end_at = period_bounds(end, end)
    return Exists(ResumptionRequest.objects.approved_before(end_at).filter(enterprise=OuterRef("pk")))


def _resumption(level, end, firms):
    unit = enterprise_unit(Level(level))
    return _rows(
        firms.exclude(**{f"{unit}__isnull": True})
        .values(unit_id=F(unit))
        .annotate(
            denominator=Count("pk"),
            numerator=Sum(Case(When(_resumed_by(end), then=Value(1)), default=Value(0), output_field=IntegerField())),
        )
        .order_by("unit_id")
    )


# --- resumption rates ------------------------------------------------------------------------------


def above_scale_resumption_rate(level, start, end):
    """Above-scale industrial firms approved to resume by the end of ``end`` / above-scale firms."""
    return _resumption(level, end, Enterprise.objects.filter(scale=Scale.ABOVE_SCALE))


def above_scale_resumption_rate_rows(level, unit_id, start, end):
    return _in_unit(Enterprise.objects.filter(scale=Scale.ABOVE_SCALE), level, unit_id).annotate(resumed=_resumed_by(end))


def resumption_rate(level, start, end):
    """All firms approved to resume by the end of ``end`` / all firms."""
    return _resumption(level, end, Enterprise.objects.all())


def resumption_rate_rows(level, unit_id, start, end):
    return _in_unit(Enterprise.objects.all(), level, unit_id).annotate(resumed=_resumed_by(end))


# --- staff return -----------------------------------------------------------------------------------------


def _latest_reports(end):
    """Each firm's latest report dated up to ``end``."""
    return DailyReport.objects.latest_per_firm(end)


def staff_return_rate(level, start, end):
    """Staff on site in each firm's latest report up to ``end`` / registered headcount of those firms."""
    unit = enterprise_unit(Level(level), "enterprise__")
    return _rows(
        _latest_reports(end)
        .exclude(**{f"{unit}__isnull": True})
        .values(unit_id=F(unit))
        .annotate(numerator=Sum("staff_on_site"), denominator=Sum("enterprise__registered_headcount"))
        .order_by("unit_id")
    )


def staff_return_rate_rows(level, unit_id, start, end):
    """The firms that reported, with ``staff_on_site`` from their latest report up to ``end``."""
    latest = DailyReport.objects.filter(enterprise=OuterRef("pk"), date__lte=end).order_by("-date")
    return (
        _in_unit(Enterprise.objects.all(), level, unit_id)
        .filter(Exists(latest))
        .annotate(staff_on_site=Subquery(latest.values("staff_on_site")[:1]), report_date=Subquery(latest.values("date")[:1]))
    )


# --- pass issue time -----------------------------------------------------------------------------------


class HoursBetween(Func):
    """Hours from ``start`` to ``end`` (two datetime expressions), as a float, on SQLite and PostgreSQL."""

    output_field = FloatField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="((julianday(%(expressions)s)) * 24.0)", arg_joiner=") - julianday(", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0)", arg_joiner=" - ", **extra)

    def as_sql(self, compiler, connection, **extra):
        if "template" not in extra:
            # Other databases: fall back to PostgreSQL's spelling.
            extra.setdefault("template", "(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0)")
            extra.setdefault("arg_joiner", " - ")
        return super().as_sql(compiler, connection, **extra)


def _issued_in(start, end):
    start_at, end_at = period_bounds(start, end)
    return Pass.objects.filter(issued_at__gte=start_at, issued_at__lt=end_at, status__in=(PassStatus.ISSUED, PassStatus.REVOKED, PassStatus.EXPIRED))


def pass_issue_median_hours(level, start, end):
    """Median hours from application to issue of the passes issued in the period, per unit.

    One statement: it ranks each pass within its unit by its hours (ROW_NUMBER) next to the unit's count
    (COUNT OVER) and returns only the middle one or two passes of each unit, with that count; the median is
    the mean of those one or two values. (Measured at 100,000 firms, the earlier shape, which counted each
    unit's sample in a correlated subquery, took seconds per level: docs/benchmarks.md.) Window functions
    and this shape work the same on SQLite and PostgreSQL.
    """
    unit = enterprise_unit(Level(level), "enterprise__")
    hours = HoursBetween("issued_at", "applied_at")
    ranked = (
        _issued_in(start, end)
        .exclude(**{f"{unit}__isnull": True})
        .annotate(
            unit_id=F(unit),
            hours=hours,
            position=Window(RowNumber(), partition_by=[F(unit)], order_by=[hours.asc(), F("pk").asc()]),
            sample=Window(Count("pk"), partition_by=[F(unit)]),
        )
    )
    # The middle rows: positions floor((n+1)/2) and floor((n+2)/2) (the same row when n is odd).
    middle = ranked.filter(Q(position=(F("sample") + 1) / 2) | Q(position=(F("sample") + 2) / 2)).values_list(
        "unit_id", "hours", "sample"
    )
    units = {}
    for unit_id, value, sample in middle:  # at most two rows per unit
        units.setdefault(unit_id, ([], sample))[0].append(value)
    rows = []
    for unit_id, (values, sample) in sorted(units.items()):
        median = _hours(sum(values) / len(values))
        rows.append(MetricRow(unit_id=unit_id, numerator=median, denominator=Decimal(sample), statistic=median))
    return rows


def _hours(value):
    return Decimal(str(round(value, 4)))


def pass_issue_median_hours_rows(level, unit_id, start, end):
    """The passes issued in the period in this unit, with ``hours`` from application to issue."""
    return _in_unit(_issued_in(start, end), level, unit_id, "enterprise__").annotate(
        hours=HoursBetween("issued_at", "applied_at")
    ).order_by("hours", "pk")
