"""The resumption curve on the home page: the share of firms approved to resume by the end of each day.

Two aggregate queries whatever the number of firms: each township's firms and those resumed before the first
day (one GROUP BY), and the approvals of each day by township (one GROUP BY on the Beijing date); the running
totals are then added up over the days (24 townships × the days shown).
"""

from datetime import timedelta
from statistics import median

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, ResumptionRequest
from fuyang_portal import clock
from fuyang_portal.metrics import period_bounds
from fuyang_portal.navigation import role_of
from fuyang_portal.roles import Role

DAYS = 28


def resumption_by_day(firms, start, end):
    """Per township of ``firms`` (a queryset of Enterprise), in township order: ``{"id", "name", "total",
    "resumed": [firms resumed by the end of each day from start to end]}``."""
    first_at, _unused = period_bounds(start, start)
    _unused, last_at = period_bounds(end, end)
    before = Exists(ResumptionRequest.objects.approved_before(first_at).filter(enterprise=OuterRef("pk")))
    townships = list(
        firms.values("township_id", "township__name", "township__sort_order")
        .annotate(total=Count("pk"), before=Count("pk", filter=Q(before)))
        .order_by("township__sort_order", "township_id")
    )
    # At most one approved request per firm (a constraint), so approvals count firms.
    daily = {
        (row["enterprise__township_id"], row["day"]): row["n"]
        for row in ResumptionRequest.objects.filter(
            status="approved", approved_at__gte=first_at, approved_at__lt=last_at, enterprise__in=firms.values("pk")
        )
        .values("enterprise__township_id", day=TruncDate("approved_at"))
        .annotate(n=Count("pk"))
        .order_by()
    }
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    series = []
    for row in townships:
        running, resumed = row["before"], []
        for day in days:
            running += daily.get((row["township_id"], day), 0)
            resumed.append(running)
        series.append({"id": row["township_id"], "name": row["township__name"], "total": row["total"], "resumed": resumed})
    return days, series


def _rate(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _rates(row):
    return [_rate(count, row["total"]) for count in row["resumed"]]


def district_rates(series):
    """The district's rate of each day: every township's firms together."""
    total = sum(row["total"] for row in series)
    return [_rate(sum(row["resumed"][i] for row in series), total) for i in range(len(series[0]["resumed"]) if series else 0)]


def median_rates(series):
    """The median of the townships' rates of each day (townships with firms)."""
    rated = [_rates(row) for row in series if row["total"]]
    return [round(median(rates[i] for rates in rated), 1) for i in range(len(rated[0]))] if rated else []


def charts(user):
    role = role_of(user)
    if role not in (Role.DISTRICT, Role.TOWNSHIP):
        return []
    end = clock.today()
    start = end - timedelta(days=DAYS - 1)
    labels = [day.strftime("%m-%d") for day in [start + timedelta(days=n) for n in range(DAYS)]]
    chart = {"id": "resumption", "title": str(_("Share of firms resumed, by day")), "x": labels, "unit": "%", "max": 100}
    if role == Role.DISTRICT:
        _days, series = resumption_by_day(Enterprise.objects.visible_to(user), start, end)
        townships = [{"name": row["name"], "data": _rates(row)} for row in series if row["total"]]
        # The township picked first is the one furthest behind today.
        townships.sort(key=lambda row: (row["data"][-1] is None, row["data"][-1] or 0))
        chart.update(
            series=[{"name": str(_("Whole district")), "data": district_rates(series)}],
            choices=townships,
            choice_label=str(_("Township")),
        )
        return [chart]
    # A township sees its own curve against the district median: a district figure published to every
    # township (like the contest's), computed from every firm and showing none of another township's rows.
    _days, own = resumption_by_day(Enterprise.objects.visible_to(user), start, end)
    _days, everyone = resumption_by_day(Enterprise.objects.all(), start, end)
    chart["series"] = [
        {"name": own[0]["name"] if own else str(user.township), "data": _rates(own[0]) if own else []},
        {"name": str(_("District median")), "data": median_rates(everyone), "dashed": True},
    ]
    return [chart]
