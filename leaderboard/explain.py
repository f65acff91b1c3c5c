"""Why a unit stands where it does in one week: per indicator its figure, the level's lowest and highest
figure, its score, its weight and what that adds to the total, and last week's score beside it.

Read from the week's stored rows only (no metric is recomputed), in a fixed number of queries whatever
the number of units or indicators: the unit's Score rows, one aggregate of the level's lowest and highest
figures, one count of the ranked units, and the unit's rows of the week published before.

The total is the weighted mean of the scores with data, so each indicator's contribution is
score × weight / (sum of the weights with data). The contributions are shown to the hundredth and made
to add up to the stored total exactly (largest remainders), each within 0.01 of its exact value.
"""

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Count, Max, Min, Q
from django.utils.translation import gettext

from .models import ContestWeek, Score, UnitResult

CENT = Decimal("0.01")


@dataclass
class Line:
    """One indicator of the unit's week."""

    indicator: object
    score: Score
    low: Decimal | None = None  # the level's lowest figure that week
    high: Decimal | None = None  # and its highest
    share: Decimal | None = None  # weight / sum of the weights with data, 0..1 (None: no data)
    contribution: Decimal | None = None  # points this indicator adds to the total
    last_score: Score | None = None  # the same indicator in the week published before

    @property
    def has_data(self):
        return not self.score.no_data

    @property
    def change(self):
        """Score points gained since last week, or None."""
        if self.score.score is None or self.last_score is None or self.last_score.score is None:
            return None
        return self.score.score - self.last_score.score


@dataclass
class Explanation:
    week: ContestWeek
    result: UnitResult
    lines: list = field(default_factory=list)
    ranked_count: int = 0
    previous_week: ContestWeek | None = None
    min_coverage: int | None = None

    @property
    def missing(self):
        """The weighted indicators without data: what keeps an unranked unit off the lists."""
        return [line.indicator for line in self.lines if not line.has_data and line.score.weight > 0]

    @property
    def used_weight(self):
        return sum((line.score.weight for line in self.lines if line.share is not None), Decimal(0))

    @property
    def counted(self):
        """The lines that make the total (an indicator with data and a weight)."""
        return [line for line in self.lines if line.contribution is not None]

    @property
    def contributions_sum(self):
        return sum((line.contribution for line in self.counted), Decimal(0))

    @property
    def strongest(self):
        return max(self.counted, key=lambda line: (line.score.score, line.score.weight), default=None)

    @property
    def weakest(self):
        weakest = min(self.counted, key=lambda line: (line.score.score, -line.score.weight), default=None)
        return weakest if weakest is not self.strongest else None

    @property
    def summary(self):
        """One sentence a township reads first: its place, or why it has none; its best and worst indicator."""
        result = self.result
        if result.rank is None:
            parts = [
                gettext("Not ranked: too little data (%(coverage)s%% of the weights, %(needed)s%% needed)")
                % {"coverage": percent(result.coverage), "needed": self.min_coverage if self.min_coverage is not None else "—"}
            ]
            if self.missing:
                parts.append(gettext("missing: %(names)s") % {"names": "、".join(str(i) for i in self.missing)})
        else:
            parts = [gettext("Ranked %(rank)s of %(count)s") % {"rank": result.rank, "count": self.ranked_count}]
            if self.strongest is not None:
                parts.append(gettext("strongest: %(name)s") % {"name": self.strongest.indicator})
            if self.weakest is not None:
                parts.append(gettext("weakest: %(name)s") % {"name": self.weakest.indicator})
        return "; ".join(parts) + "."


def percent(value):
    """A stored share as it is, without trailing zeros (79.9, not a rounded 80, for a unit just below 80)."""
    return format(value.normalize(), "f")


def _spread(exact, total):
    """Round ``exact`` (Decimals) to hundredths so that they add up to ``total``: each is floored, then the
    cents still missing go to the largest remainders. Plain rounding when the total cannot be met that way."""
    floors = [value.quantize(CENT, rounding=ROUND_FLOOR) for value in exact]
    missing_cents = int((total - sum(floors, Decimal(0))) / CENT) if total is not None else -1
    if not 0 <= missing_cents <= len(exact):
        return [value.quantize(CENT) for value in exact]
    by_remainder = sorted(range(len(exact)), key=lambda n: (exact[n] - floors[n], -n), reverse=True)
    for n in by_remainder[:missing_cents]:
        floors[n] += CENT
    return floors


def previous_published(week, user):
    """The week of the same level published before ``week`` (what "last week" means for movement)."""
    return (
        ContestWeek.objects.visible_to(user)
        .published()
        .filter(level=week.level, week_start__lt=week.week_start)
        .order_by("-week_start")
        .first()
    )


def explain(week, unit_id, user, *, result=None, min_coverage=None):
    """The Explanation of ``unit_id`` in ``week`` for ``user``, or None when the unit's result is not theirs to read.

    The unit's own rows are read as ``user`` may read them. The level's lowest and highest figures and the
    number of ranked units are read over the whole week: like the rank stored on the unit's row, they are
    part of its result, shown to whoever may read that result (a township reading its own draft included).
    """
    if result is None:
        result = UnitResult.objects.visible_to(user).filter(week=week, unit_id=unit_id).first()
    if result is None:
        return None
    scores = Score.objects.visible_to(user)
    own = list(scores.filter(week=week, unit_id=unit_id).select_related("indicator").order_by("indicator__sort_order", "indicator__code"))
    # The level's lowest and highest figure per indicator: one aggregate over the week's rows.
    spread = {
        row["indicator_id"]: (row["low"], row["high"])
        for row in Score.objects.filter(week=week).values("indicator_id").annotate(low=Min("raw_value"), high=Max("raw_value")).order_by()
    }
    ranked = UnitResult.objects.filter(week=week).aggregate(n=Count("pk", filter=Q(rank__isnull=False)))["n"]
    before = previous_published(week, user)
    last = {}
    if before is not None:
        last = {score.indicator_id: score for score in scores.filter(week=before, unit_id=unit_id)}

    lines = [Line(score.indicator, score, *spread.get(score.indicator_id, (None, None)), last_score=last.get(score.indicator_id)) for score in own]
    used = [line for line in lines if line.score.score is not None and line.score.weight > 0]
    used_weight = sum((line.score.weight for line in used), Decimal(0))
    if used_weight:
        exact = [line.score.score * line.score.weight / used_weight for line in used]
        for line, value in zip(used, _spread(exact, result.total)):
            line.share = line.score.weight / used_weight
            line.contribution = value
    return Explanation(week=week, result=result, lines=lines, ranked_count=ranked, previous_week=before, min_coverage=min_coverage)


def missing_by_unit(scores, week, unit_ids):
    """{unit_id: [indicator without data, in order]} for the given units of a week (one query); ``scores``
    is the Score queryset the page may read."""
    unit_ids = list(unit_ids)
    missing = {unit_id: [] for unit_id in unit_ids}
    if not unit_ids:
        return missing
    rows = (
        scores.filter(week=week, unit_id__in=unit_ids, no_data=True, weight__gt=0)
        .select_related("indicator")
        .order_by("unit_id", "indicator__sort_order", "indicator__code")
    )
    for score in rows:
        missing[score.unit_id].append(score.indicator)
    return missing
