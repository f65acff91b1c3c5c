"""Per township, what its programmes did in a week, and to date: a fixed number of grouped queries, whatever the
number of townships or rows (the district office sees every township side by side, a township its own)."""

from django.db.models import Count, Q, Sum

from fuyang_portal.metrics import period_bounds
from programmes.models import (CarRun, Finding, HealthVoucher, HotlineCall, HotlineCoverage, ItemUpdate, Lodging,
                               Occupancy, ShoppingRun, WorkItem)
from programmes.metrics import RESPONSE_MINUTES

COLUMNS = (
    "items", "items_done", "updates", "findings", "points", "calls", "calls_in_time", "hours", "lodgings", "capacity", "staying",
    "vouchers", "vouchers_week", "redeemed_week", "runs", "runs_week", "carried", "carried_week", "shopping_week",
)


def _grouped(queryset, key, **aggregates):
    return {row[key]: row for row in queryset.order_by().values(key).annotate(**aggregates)}


def township_week(townships, start, end):
    """One dict per township of ``townships`` (in their order): the township and the week's figures."""
    ids = [t.pk for t in townships]
    since, until = period_bounds(start, end)
    week = Q(run_date__range=(start, end))
    tables = [
        _grouped(WorkItem.objects.filter(work_list__township__in=ids), "work_list__township",
                 items=Count("pk"), items_done=Count("pk", filter=Q(status=WorkItem.Status.DONE, done_at__lt=until))),
        _grouped(ItemUpdate.objects.filter(item__work_list__township__in=ids, created_at__gte=since, created_at__lt=until),
                 "item__work_list__township", updates=Count("pk")),
        _grouped(Finding.objects.filter(item__work_list__township__in=ids, inspected_on__range=(start, end)),
                 "item__work_list__township", findings=Count("pk"), points=Sum("points")),
        _grouped(HotlineCall.objects.filter(township__in=ids, received_at__gte=since, received_at__lt=until), "township",
                 calls=Count("pk"), calls_in_time=Count("pk", filter=Q(response_minutes__lte=RESPONSE_MINUTES))),
        _grouped(HotlineCoverage.objects.filter(township__in=ids, day__range=(start, end)), "township", hours=Sum("hours")),
        _grouped(Lodging.objects.filter(township__in=ids, active=True), "township", lodgings=Count("pk"), capacity=Sum("capacity")),
        _grouped(Occupancy.objects.filter(lodging__township__in=ids).staying_on(end), "lodging__township", staying=Count("pk")),
        _grouped(HealthVoucher.objects.filter(township__in=ids, issued_at__lt=until).exclude(status=HealthVoucher.Status.VOID), "township",
                 vouchers=Count("pk"), vouchers_week=Count("pk", filter=Q(issued_at__gte=since)),
                 redeemed_week=Count("pk", filter=Q(redeemed_at__gte=since, redeemed_at__lt=until))),
        _grouped(CarRun.objects.filter(township__in=ids, run_date__lte=end), "township",
                 runs=Count("pk"), runs_week=Count("pk", filter=week), carried=Sum("people"), carried_week=Sum("people", filter=week)),
        _grouped(ShoppingRun.objects.filter(township__in=ids, run_date__range=(start, end)), "township", shopping_week=Count("pk")),
    ]
    rows = []
    for township in townships:
        row = {column: 0 for column in COLUMNS}
        for table in tables:
            found = table.get(township.pk)
            if found:
                row.update({k: (v or 0) for k, v in found.items() if k in COLUMNS})
        row["township"] = township
        row["completion"] = round(100 * row["items_done"] / row["items"]) if row["items"] else None
        row["responsiveness"] = round(100 * row["calls_in_time"] / row["calls"]) if row["calls"] else None
        rows.append(row)
    return rows
