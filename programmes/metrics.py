"""The contest's figures from the townships' programmes (contract: fuyang_portal.metrics).

Each ``fn(level, start, end)`` returns one MetricRow per unit of ``level`` with data in the period
``start``..``end`` (dates, inclusive, Beijing time), from ONE aggregate query; ``fn_rows(level, unit_id, start,
end)`` returns the rows behind a unit's figure, for the drill-down.

The inspection score (督查通报), a stated rule instead of a typed-in number
------------------------------------------------------------------------------
For a unit and a period, over the findings on the unit's OWN work lists (a township's lists without a community or
village; a community group's; a village's), so a township with many villages is not deducted more for its size:

  deductions = Σ points of the findings recorded in the period (0 for a passed inspection, 1–10 set by the
               inspector when problems were found)
             + LATE_POINTS (2) × the findings whose rectification deadline fell in the period, had passed by
               today, and were not rectified by that deadline
  inspection score = max(0, 100 − deductions)

``inspection_deductions`` (lower is better) is the first figure, for the indicator "inspection-deductions";
``inspection_score`` (higher is better, 0–100) the second. A unit with no finding counted has no row.
"""

from decimal import Decimal

from django.db.models import BooleanField, Case, Count, ExpressionWrapper, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from fuyang_portal import clock
from fuyang_portal.metrics import Level, MetricRow, period_bounds
from programmes.models import Finding, HotlineCall, HotlineCoverage, WorkItem

LATE_POINTS = 2
FULL_SCORE = Decimal("100")
RESPONSE_MINUTES = 24 * 60

# How a work-list item reaches its unit at each level: each level is judged on its own lists.
ITEM_UNIT = {
    Level.TOWNSHIP: "work_list__township_id",
    Level.GROUP: "work_list__community__group__id",
    Level.VILLAGE: "work_list__village_id",
}
TOWNSHIP_OWN_LIST = {"work_list__community__isnull": True, "work_list__village__isnull": True}


def item_unit(level, prefix=""):
    return prefix + ITEM_UNIT[Level(level)]


def own_lists(level, prefix=""):
    """The filter keeping a level's own lists (a township's: those of neither a community nor a village)."""
    if Level(level) != Level.TOWNSHIP:
        return {}
    return {prefix + key: value for key, value in TOWNSHIP_OWN_LIST.items()}


# ------------------------------------------------------------------ inspection findings


def _found_in(start, end):
    return Q(inspected_on__range=(start, end))


def _late_in(start, end):
    """Problems whose rectification deadline fell in the period, has passed, and was not met."""
    return (
        Q(outcome=Finding.Outcome.PROBLEMS, rectify_by__range=(start, end), rectify_by__lt=clock.today())
        & (Q(rectified_on__isnull=True) | Q(rectified_on__gt=F("rectify_by")))
    )


def _deductions(level, start, end):
    unit = item_unit(level, "item__")
    found, late = _found_in(start, end), _late_in(start, end)
    return (
        Finding.objects.filter(found | late, **{f"{unit}__isnull": False}, **own_lists(level, "item__"))
        .order_by()
        .values(unit)
        .annotate(
            points=Coalesce(Sum("points", filter=found), 0),
            late=Count("pk", filter=late),
            counted=Count("pk"),
        )
        .values_list(unit, "points", "late", "counted")
    )


def inspection_deductions(level, start, end):
    """Points deducted in the period by the rule above (statistic), over the findings counted (sample size)."""
    rows = []
    for unit_id, points, late, counted in _deductions(level, start, end):
        total = Decimal(points) + LATE_POINTS * Decimal(late)
        rows.append(MetricRow(unit_id=unit_id, numerator=total, denominator=Decimal(counted), statistic=total))
    return rows


def inspection_score(level, start, end):
    """100 − the deductions, not below 0."""
    rows = []
    for unit_id, points, late, counted in _deductions(level, start, end):
        score = max(Decimal(0), FULL_SCORE - Decimal(points) - LATE_POINTS * Decimal(late))
        rows.append(MetricRow(unit_id=unit_id, numerator=score, denominator=Decimal(counted), statistic=score))
    return rows


def inspection_deductions_rows(level, unit_id, start, end):
    """The findings counted, each with ``deducted`` (its points if recorded in the period) and ``late_in_period``
    (LATE_POINTS more)."""
    found, late = _found_in(start, end), _late_in(start, end)
    return (
        Finding.objects.filter(found | late, **{item_unit(level, "item__"): unit_id}, **own_lists(level, "item__"))
        .select_related("item__work_list__township", "inspector")
        .annotate(
            deducted=Case(When(found, then=F("points")), default=Value(0), output_field=IntegerField()),
            late_in_period=ExpressionWrapper(late, output_field=BooleanField()),
        )
        .order_by("inspected_on", "pk")
    )


inspection_score_rows = inspection_deductions_rows


# ------------------------------------------------------------------ work-list completion


def _due_by(end):
    return Q(deadline__lte=end)


def _done_by(end):
    until = period_bounds(end, end)[1]
    return Q(status=WorkItem.Status.DONE, done_at__lt=until)


def worklist_completion_rate(level, start, end):
    """Items due by the end of the period and done by then / items due by the end of the period."""
    unit = item_unit(level)
    values = (
        WorkItem.objects.filter(_due_by(end), **{f"{unit}__isnull": False}, **own_lists(level))
        .order_by()
        .values(unit)
        .annotate(done=Count("pk", filter=_done_by(end)), due=Count("pk"))
        .values_list(unit, "done", "due")
    )
    return [MetricRow(unit_id=u, numerator=Decimal(d), denominator=Decimal(n)) for u, d, n in values]


def worklist_completion_rate_rows(level, unit_id, start, end):
    """The items due (the denominator); ``done_in_time`` marks the numerator."""
    return (
        WorkItem.objects.filter(_due_by(end), **{item_unit(level): unit_id}, **own_lists(level))
        .select_related("work_list__township", "responsible_person")
        .annotate(done_by_end=ExpressionWrapper(_done_by(end), output_field=BooleanField()))
        .order_by("deadline", "pk")
    )


# ------------------------------------------------------------------ the hotline (townships only: it is theirs)


def _received_in(start, end):
    since, until = period_bounds(start, end)
    return Q(received_at__gte=since, received_at__lt=until)


def _answered_in_time():
    return Q(response_minutes__isnull=False, response_minutes__lte=RESPONSE_MINUTES)


def hotline_response_rate(level, start, end):
    """Calls received in the period whose caller was answered within 24 hours / calls received in the period."""
    if Level(level) != Level.TOWNSHIP:
        return []
    values = (
        HotlineCall.objects.filter(_received_in(start, end))
        .order_by()
        .values("township_id")
        .annotate(in_time=Count("pk", filter=_answered_in_time()), calls=Count("pk"))
        .values_list("township_id", "in_time", "calls")
    )
    return [MetricRow(unit_id=u, numerator=Decimal(a), denominator=Decimal(c)) for u, a, c in values]


def hotline_response_rate_rows(level, unit_id, start, end):
    if Level(level) != Level.TOWNSHIP:
        return HotlineCall.objects.none()
    return (
        HotlineCall.objects.filter(_received_in(start, end), township_id=unit_id)
        .select_related("caller_enterprise", "township")
        .annotate(answered_in_time=ExpressionWrapper(_answered_in_time(), output_field=BooleanField()))
        .order_by("received_at", "pk")
    )


def hotline_coverage_rate(level, start, end):
    """Hours the hotline was staffed in the period / 24 × the days of the period (days not recorded count 0)."""
    if Level(level) != Level.TOWNSHIP:
        return []
    days = (end - start).days + 1
    values = (
        HotlineCoverage.objects.filter(day__range=(start, end))
        .order_by()
        .values("township_id")
        .annotate(hours=Sum("hours"))
        .values_list("township_id", "hours")
    )
    return [MetricRow(unit_id=u, numerator=Decimal(h), denominator=Decimal(24 * days)) for u, h in values]


def hotline_coverage_rate_rows(level, unit_id, start, end):
    if Level(level) != Level.TOWNSHIP:
        return HotlineCoverage.objects.none()
    return HotlineCoverage.objects.filter(day__range=(start, end), township_id=unit_id).select_related("township").order_by("day")
