"""Figures of labour matching, computed in the database: a fixed number of GROUP BY queries whatever the rows.

The fill rate is the share of the places of published vacancies whose worker has arrived at the gate (arrived
or hired); the gap is the places still without a worker. Withdrawn vacancies and drafts are not counted.
"""

from datetime import timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate

from labour.models import ARRIVED, HOLDING, Candidate, CandidateStatus, PartnerCounty, Trade, Vacancy, VacancyStatus

COUNTED = (VacancyStatus.PUBLISHED, VacancyStatus.FILLED)


def _arrived_subquery(until=None):
    """Workers arrived at one vacancy (by the end of ``until``, a date, if given): a correlated count."""
    rows = Candidate.objects.filter(vacancy=OuterRef("pk"), status__in=ARRIVED)
    if until is not None:
        rows = rows.filter(arrived_on__lte=until)
    counted = rows.order_by().values("vacancy").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def counted_vacancies(user):
    return Vacancy.objects.visible_to(user).filter(status__in=COUNTED)


def _figures(queryset, key=None):
    annotated = queryset.annotate(arrived_n=_arrived_subquery()).order_by()
    aggregates = {
        "vacancies": Count("pk"),
        "open": Count("pk", filter=Q(status=VacancyStatus.PUBLISHED)),
        "positions": Coalesce(Sum("headcount"), 0),
        "arrived": Coalesce(Sum("arrived_n"), 0),
    }
    if key is None:
        rows = [annotated.aggregate(**aggregates)]
    else:
        rows = list(annotated.values(*key).annotate(**aggregates).order_by(*key))
    for row in rows:
        row["gap"] = row["positions"] - row["arrived"]
        row["fill_rate"] = round(100 * row["arrived"] / row["positions"], 1) if row["positions"] else None
    return rows


def totals(user):
    figures = _figures(counted_vacancies(user))[0]
    candidates = Candidate.objects.visible_to(user).aggregate(
        referred=Count("pk"), holding=Count("pk", filter=Q(status__in=HOLDING)), waiting=Count("pk", filter=Q(status=CandidateStatus.REFERRED))
    )
    return {**figures, **candidates, "days_to_arrival": days_to_arrival(user)}


def by_township(user):
    rows = _figures(counted_vacancies(user), ("enterprise__township__sort_order", "enterprise__township__name"))
    return [{**row, "label": row["enterprise__township__name"]} for row in rows]


def by_trade(user):
    names = dict(Trade.choices)
    rows = _figures(counted_vacancies(user), ("trade",))
    return [{**row, "label": names.get(row["trade"], row["trade"])} for row in rows]


def by_county(user):
    """Referred, accepted and arrived workers per partner county (the candidates this user sees)."""
    rows = (
        Candidate.objects.visible_to(user)
        .order_by()
        .values("county__region_code", "county__name")
        .annotate(
            referred=Count("pk"),
            holding=Count("pk", filter=Q(status__in=HOLDING)),
            arrived=Count("pk", filter=Q(status__in=ARRIVED)),
            declined=Count("pk", filter=Q(status__in=(CandidateStatus.DECLINED, CandidateStatus.NO_SHOW))),
        )
        .order_by("county__region_code")
    )
    return [{**row, "label": row["county__name"]} for row in rows]


def days_to_arrival(user):
    """Mean days from publication to the worker's arrival, over the arrived workers this user sees."""
    waited = ExpressionWrapper(F("arrived_on") - TruncDate("vacancy__published_at"), output_field=DurationField())
    mean = Candidate.objects.visible_to(user).filter(status__in=ARRIVED, vacancy__published_at__isnull=False).aggregate(mean=Avg(waited))["mean"]
    if mean is None:
        return None
    if not isinstance(mean, timedelta):  # a backend that answers in microseconds
        mean = timedelta(microseconds=mean)
    return round(mean.total_seconds() / 86400, 1)
