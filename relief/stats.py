"""Figures of the relief policies, computed in the database (a fixed number of GROUP BY queries): paid and pending
per policy, per township and per week, and the time from a policy's publication to its payments (亲清在线's
measure)."""

from decimal import Decimal

from django.db.models import Avg, Count, DecimalField, DurationField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncWeek

from relief.models import Award, Policy

A = Award.Status
ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
PAID = (A.PAID, A.RECOVERY)
PENDING = (A.PENDING, A.CONFIRMED, A.BATCHED)


def _money(statuses):
    return Coalesce(Sum("amount", filter=Q(status__in=statuses)), ZERO)


FIGURES = {
    "firms": Count("enterprise", distinct=True),
    "paid": _money(PAID),
    "pending": _money(PENDING),
    "paid_firms": Count("enterprise", filter=Q(status__in=PAID), distinct=True),
}


def awards(user):
    return Award.objects.visible_to(user).exclude(status=A.CANCELLED)


def totals(user):
    return totals_of(awards(user))


def totals_of(queryset):
    found = queryset.aggregate(**FIGURES)
    found["reach"] = (Decimal(found["paid_firms"]) / found["firms"] * 100).quantize(Decimal("0.1")) if found["firms"] else None
    return found


def by_policy(user):
    rows = list(
        awards(user).values("policy_id", "policy__title", "policy__mode", "policy__published_at")
        .annotate(**FIGURES, hours=Avg(ExpressionWrapper(F("paid_at") - F("policy__published_at"), output_field=DurationField()),
                                       filter=Q(status__in=PAID)))
        .order_by("policy__issued_on", "policy__code")
    )
    for row in rows:
        row["hours"] = round(row["hours"].total_seconds() / 3600, 1) if row["hours"] is not None else None
    return rows


def by_township(user):
    return list(
        awards(user).values(label=F("enterprise__township__name"))
        .annotate(**FIGURES).order_by("enterprise__township__sort_order")
    )


def by_week(user):
    """Paid per week (of payment) and awarded per week (of the award)."""
    paid = dict(
        awards(user).filter(status__in=PAID, paid_at__isnull=False).annotate(week=TruncWeek("paid_at"))
        .values_list("week").annotate(t=Sum("amount")).order_by()
    )
    awarded = dict(awards(user).annotate(week=TruncWeek("created_at")).values_list("week").annotate(t=Sum("amount")).order_by())
    weeks = sorted({w.date() if hasattr(w, "date") else w for w in list(paid) + list(awarded)})
    paid = {(w.date() if hasattr(w, "date") else w): v for w, v in paid.items()}
    awarded = {(w.date() if hasattr(w, "date") else w): v for w, v in awarded.items()}
    return [{"week": w, "paid": paid.get(w) or Decimal("0"), "awarded": awarded.get(w) or Decimal("0")} for w in weeks]


def publication_to_payment(user):
    """Hours from publication to payment, over every paid award (mean), and the fastest policy's."""
    found = awards(user).filter(status__in=PAID, paid_at__isnull=False, policy__published_at__isnull=False).aggregate(
        mean=Avg(ExpressionWrapper(F("paid_at") - F("policy__published_at"), output_field=DurationField()))
    )
    mean = found["mean"]
    return round(mean.total_seconds() / 3600, 1) if mean is not None else None


def policies_in_force_count():
    return Policy.objects.in_force().count()
