"""The contest's indicators from the specialists' work (contract: fuyang_portal.metrics).

Each ``fn(level, start, end)`` returns one MetricRow per unit of ``level`` with data in the period
``start``..``end`` (dates, inclusive, Beijing time), from ONE aggregate query. Each has a companion
``fn_rows(level, unit_id, start, end)`` returning the queryset of rows counted, for drill-down.
"""

from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum

from enterprises.models import Enterprise
from fuyang_portal.metrics import MetricRow, enterprise_unit, period_bounds
from specialists.models import Problem, Supervision, Visit


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


# ------------------------------------------------------------------ the problem loop (issue 18)
#
# By the firm's unit, like the indicators above, so that the contest can rank townships, groups and villages on
# how the agencies served their firms; ``agency_scorecard`` gives the same figures per agency (the district
# office's scorecard page and API).


def _assigned_in_period(start, end):
    since, until = period_bounds(start, end)
    return Q(first_assigned_at__gte=since, first_assigned_at__lt=until)


def sign_for_on_time_rate(level, start, end):
    """Assignments first handed over in the period that the lead agency signed for (签收) within the rule's
    working hours / those signed for."""
    return _problem_metric(level, start, end, Q(signed_on_time=True), _assigned_in_period(start, end) & Q(signed_on_time__isnull=False))


def sign_for_on_time_rate_rows(level, unit_id, start, end):
    return Problem.objects.filter(
        _assigned_in_period(start, end), signed_on_time__isnull=False, **{enterprise_unit(level, "enterprise__"): unit_id}
    ).select_related("enterprise", "agency")


def _closed_any_way(start, end):
    since, until = period_bounds(start, end)
    return Q(status=Problem.Status.CONFIRMED, closed_at__gte=since, closed_at__lt=until)


def satisfaction_rate(level, start, end):
    """Problems closed in the period with the firm satisfied or basically satisfied (its rating of 3 to 5, the
    callback's answer, or 默认满意) / problems closed in the period with a satisfaction recorded."""
    closed = _closed_any_way(start, end) & ~Q(satisfaction="")
    return _problem_metric(level, start, end, Q(satisfaction__in=("satisfied", "basic")), closed)


def satisfaction_rate_rows(level, unit_id, start, end):
    return Problem.objects.filter(
        _closed_any_way(start, end), ~Q(satisfaction=""), **{enterprise_unit(level, "enterprise__"): unit_id}
    ).select_related("enterprise", "agency")


def reopen_rate(level, start, end):
    """Problems closed in the period that had been reopened at least once / problems closed in the period."""
    return _problem_metric(level, start, end, Q(reopen_count__gt=0), _closed_any_way(start, end))


def reopen_rate_rows(level, unit_id, start, end):
    return Problem.objects.filter(_closed_any_way(start, end), **{enterprise_unit(level, "enterprise__"): unit_id}).select_related(
        "enterprise", "agency"
    )


def supervision_count(level, start, end):
    """督办 notices sent in the period about the unit's firms' problems (a count: lower is better)."""
    since, until = period_bounds(start, end)
    unit = enterprise_unit(level, "problem__enterprise__")
    values = (
        Supervision.objects.filter(kind=Supervision.Kind.SUPERVISE, at__gte=since, at__lt=until, **{f"{unit}__isnull": False})
        .order_by()
        .values(unit)
        .annotate(n=Count("pk"))
        .values_list(unit, "n")
    )
    return [MetricRow(unit_id=u, numerator=Decimal(n), denominator=Decimal(1), statistic=Decimal(n)) for u, n in values]


def supervision_count_rows(level, unit_id, start, end):
    since, until = period_bounds(start, end)
    return Supervision.objects.filter(
        kind=Supervision.Kind.SUPERVISE, at__gte=since, at__lt=until, **{enterprise_unit(level, "problem__enterprise__"): unit_id}
    ).select_related("problem__enterprise", "agency")


def agency_scorecard(start=None, end=None):
    """Every agency with problems assigned (as lead) in the period (default: ever), in ONE query: how fast it
    signs for and finishes, how satisfied firms were, how often it was reopened and supervised.

    Each row: the Agency with ``assigned``, ``signed``, ``signed_on_time``, ``answered``, ``answered_on_time``,
    ``closed``, ``rated``, ``satisfied``, ``reopened``, ``returned``, ``open_now``, ``late_now``, ``supervised``,
    ``urged`` and the rates ``sign_for_rate``, ``on_time_rate``, ``satisfaction_rate``, ``reopen_rate`` (None
    without a denominator)."""
    from django.db.models import F, FloatField, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Cast, Coalesce, NullIf

    from fuyang_portal import clock
    from fuyang_portal.models import Agency

    problem = Q()
    notices = Q()
    if start is not None and end is not None:
        since, until = period_bounds(start, end)
        problem = Q(problems__first_assigned_at__gte=since, problems__first_assigned_at__lt=until)
        notices = Q(at__gte=since, at__lt=until)

    def n(condition=Q()):
        return Count("problems", filter=problem & condition, distinct=True)

    def count_notices(kind):
        rows = Supervision.objects.filter(notices, agency=OuterRef("pk"), kind=kind).order_by().values("agency")
        return Coalesce(Subquery(rows.annotate(c=Count("pk")).values("c")[:1], output_field=IntegerField()), Value(0))

    def rate(numerator, denominator):
        return Cast(F(numerator), FloatField()) / NullIf(Cast(F(denominator), FloatField()), 0.0)

    S = Problem.Status
    today = clock.today()
    return (
        Agency.objects.annotate(
            assigned=n(Q(problems__first_assigned_at__isnull=False)),
            signed=n(Q(problems__signed_on_time__isnull=False)),
            signed_on_time=n(Q(problems__signed_on_time=True)),
            answered=n(Q(problems__answered_at__isnull=False)),
            answered_on_time=n(Q(problems__answered_at__isnull=False, problems__on_time=True)),
            closed=n(Q(problems__status=S.CONFIRMED)),
            rated=n(Q(problems__status=S.CONFIRMED) & ~Q(problems__satisfaction="")),
            satisfied=n(Q(problems__status=S.CONFIRMED, problems__satisfaction__in=("satisfied", "basic"))),
            reopened=n(Q(problems__reopen_count__gt=0)),
            returned=n(Q(problems__return_count__gt=0)),
            open_now=n(Q(problems__status__in=Problem.AGENCY_STATES)),
            late_now=n(Q(problems__status__in=Problem.AGENCY_STATES, problems__deadline__lt=today)),
            supervised=count_notices(Supervision.Kind.SUPERVISE),
            urged=count_notices(Supervision.Kind.URGE),
        )
        .filter(Q(assigned__gt=0) | Q(supervised__gt=0))
        .annotate(
            sign_for_rate=rate("signed_on_time", "signed"),
            on_time_rate=rate("answered_on_time", "answered"),
            satisfaction_rate=rate("satisfied", "rated"),
            reopen_rate=rate("reopened", "answered"),
        )
        .order_by("code")
    )
