"""Statistics of the charter programme, computed in the database: a fixed number of GROUP BY queries."""

from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncWeek

from subsidies import regions
from subsidies.models import CharterTrip, SubsidyClaim, TripPassenger, WorkerRegistration

S = SubsidyClaim.Status
ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def _money(field, statuses):
    return Coalesce(Sum(f"claim__{field}", filter=Q(claim__status__in=statuses)), ZERO)


MONEY = {
    "claimed": _money("subsidy_amount", SubsidyClaim.COMMITTED),
    "approved": _money("approved_amount", SubsidyClaim.GRANTED),
    "paid": _money("approved_amount", (S.PAID,)),
}


def counted_trips(user):
    return CharterTrip.objects.visible_to(user).counted()


def totals(user):
    trips = counted_trips(user)
    figures = trips.aggregate(trips=Count("pk"), **MONEY)
    figures["workers"] = TripPassenger.objects.visible_to(user).filter(trip__in=trips, travelled=True).count()
    return figures


def _grouped(user, key, passenger_key):
    trips = counted_trips(user)
    rows = {row[key]: row for row in trips.values(key).annotate(trips=Count("pk"), **MONEY).order_by(key)}
    workers = dict(
        TripPassenger.objects.visible_to(user).filter(trip__in=trips, travelled=True).values_list(passenger_key).annotate(n=Count("pk")).order_by()
    )
    for unit, row in rows.items():
        row["workers"] = workers.get(unit, 0)
    return rows


def by_township(user):
    rows = _grouped(user, "enterprise__township__name", "trip__enterprise__township__name")
    order = dict(
        CharterTrip.objects.visible_to(user).values_list("enterprise__township__name", "enterprise__township__sort_order").distinct()
    )
    return [{"label": name, **row} for name, row in sorted(rows.items(), key=lambda item: order.get(item[0], 0))]


def by_province(user):
    rows = _grouped(user, "origin_province", "trip__origin_province")
    return [{"label": regions.name(code), "code": code, **row} for code, row in sorted(rows.items(), key=lambda item: -item[1]["workers"])]


def demand_by_county_week(user):
    """Registrations not yet travelled, by origin county and week of intended return (one GROUP BY)."""
    rows = (
        WorkerRegistration.objects.visible_to(user)
        .values("origin_province", "origin_county", week=TruncWeek("return_date"))
        .annotate(
            total=Count("pk"),
            charter=Count("pk", filter=Q(travel_mode="charter")),
            unseated_charter=Count("pk", filter=Q(travel_mode="charter", trip_seat__isnull=True)),
        )
        .order_by("week", "origin_province", "origin_county")
    )
    return [
        {**row, "origin": regions.full_name(row["origin_province"], row["origin_county"]), "week": row["week"]}
        for row in rows
    ]
