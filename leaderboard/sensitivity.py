"""How a week's lists would fall under other reasonable scorings: the district office's sensitivity panel.

The rule (leaderboard/scoring.py) min-max normalises each indicator to 0..100, drops a unit's missing
indicators and reweights the rest. Beside it, three other scorings run over the same stored figures
(each Score row's raw value, weight and no-data flag, and the indicator's direction), the same eligible
units and the same list size, each ranked and listed with ``scoring.list_marks``:

- missing = 0: a missing indicator scores 0 instead of being dropped (Σ score × weight / Σ all weights);
- z-scores: per indicator (x − mean) / population standard deviation over the units with data, the
  sign flipped where lower is better, 0 where every unit has the same value; missing dropped and
  reweighted like the rule;
- rank sum: per indicator the units with data ranked best = 1, ties sharing the average rank; the
  weighted mean rank, lower is better; missing dropped and reweighted.

A unit whose list under at least one of those three differs from its stored list is borderline.

Totals are Decimals: the rule's and missing = 0's quantised to 0.01 as stored, z-scores' and mean
ranks' to 0.0001, so units tie exactly when they tie at that precision. Everything here but
``week_panel`` is free of the database.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from . import scoring
from .models import RANK_ORDER, Score, UnitResult

RULE = "rule"
MISSING_ZERO = "missing_zero"
Z_SCORE = "z_score"
RANK_SUM = "rank_sum"

FINE_PLACES = Decimal("0.0001")
ZERO = Decimal(0)


def _fine(value):
    return value.quantize(FINE_PLACES, rounding=ROUND_HALF_UP)


# --- the input ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One indicator of the week as it was scored: its weight in the level and its direction."""

    id: int
    weight: Decimal
    lower_is_better: bool = False


@dataclass(frozen=True)
class Contest:
    """One level's week as the scorings need it. ``values`` maps (unit, criterion id) to the raw value,
    None (or absent) for no data."""

    units: tuple
    criteria: tuple
    values: Mapping
    eligible: frozenset
    list_size: int

    def column(self, criterion):
        return {unit: self.values.get((unit, criterion.id)) for unit in self.units}


# --- the four scorings: {unit: total or None} --------------------------------------------------------


def _min_max_scores(contest):
    """{criterion id: {unit: 0..100 score or None}}: the rule's own normalisation."""
    return {c.id: scoring.normalise(contest.column(c), lower_is_better=c.lower_is_better) for c in contest.criteria}


def _reweighted_mean(contest, per_criterion, unit):
    """The weighted mean of a unit's figures with data (weight > 0), missing ones dropped; None without any."""
    used = [(per_criterion[c.id][unit], c.weight) for c in contest.criteria if per_criterion[c.id][unit] is not None and c.weight > 0]
    used_weight = sum((weight for _, weight in used), ZERO)
    if not used_weight:
        return None
    return sum((value * weight for value, weight in used), ZERO) / used_weight


def rule_totals(contest):
    """Min-max, missing dropped and the rest reweighted: the stored totals (scoring.weighted_total)."""
    scores = _min_max_scores(contest)
    return {
        unit: scoring.weighted_total([(scores[c.id][unit], c.weight) for c in contest.criteria]).total for unit in contest.units
    }


def missing_zero_totals(contest):
    """Min-max, a missing indicator scoring 0: Σ score × weight over Σ of every weight of the level."""
    scores = _min_max_scores(contest)
    all_weight = sum((c.weight for c in contest.criteria), ZERO)
    if not all_weight:
        return {unit: None for unit in contest.units}
    return {
        unit: scoring.quantize_score(sum(((scores[c.id][unit] or ZERO) * c.weight for c in contest.criteria), ZERO) / all_weight)
        for unit in contest.units
    }


def z_scores(values, lower_is_better=False):
    """{unit: z or None}: (x − mean) / population standard deviation over the units with data, negated
    where lower is better; 0 for every unit when they all have the same value."""
    present = [Decimal(value) for value in values.values() if value is not None]
    if not present:
        return {unit: None for unit in values}
    mean = sum(present, ZERO) / len(present)
    deviation = (sum(((value - mean) ** 2 for value in present), ZERO) / len(present)).sqrt()
    sign = -1 if lower_is_better else 1
    return {
        unit: None if value is None else (ZERO if deviation == 0 else sign * (Decimal(value) - mean) / deviation)
        for unit, value in values.items()
    }


def z_score_totals(contest):
    z = {c.id: z_scores(contest.column(c), c.lower_is_better) for c in contest.criteria}
    totals = {unit: _reweighted_mean(contest, z, unit) for unit in contest.units}
    return {unit: None if total is None else _fine(total) for unit, total in totals.items()}


def average_ranks(values, lower_is_better=False):
    """{unit: rank or None}: the best unit with data 1, units that tie share the mean of the places they
    hold (two tied for 2nd both 2.5)."""
    present = sorted((value, unit) for unit, value in values.items() if value is not None)
    if not lower_is_better:
        present.reverse()
    ranks = {unit: None for unit in values}
    position = 0
    while position < len(present):
        end = position
        while end + 1 < len(present) and present[end + 1][0] == present[position][0]:
            end += 1
        # Places position+1 .. end+1, shared.
        shared = Decimal(position + 1 + end + 1) / 2
        for _value, unit in present[position : end + 1]:
            ranks[unit] = shared
        position = end + 1
    return ranks


def rank_sum_totals(contest):
    """The weighted mean rank (lower is better), missing dropped and reweighted."""
    ranks = {c.id: average_ranks(contest.column(c), c.lower_is_better) for c in contest.criteria}
    totals = {unit: _reweighted_mean(contest, ranks, unit) for unit in contest.units}
    return {unit: None if total is None else _fine(total) for unit, total in totals.items()}


@dataclass(frozen=True)
class Scoring:
    code: str
    label: str
    totals: object  # Contest -> {unit: total or None}
    higher_is_better: bool = True


SCORINGS = (
    Scoring(RULE, _("Min-max (the rule)"), rule_totals),
    Scoring(MISSING_ZERO, _("Missing counts as 0"), missing_zero_totals),
    Scoring(Z_SCORE, _("Z-scores"), z_score_totals),
    Scoring(RANK_SUM, _("Rank sum"), rank_sum_totals, higher_is_better=False),
)
ALTERNATIVES = tuple(s.code for s in SCORINGS if s.code != RULE)


# --- ranks and lists -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placing:
    total: Decimal | None
    rank: int | None
    mark: str  # "red" | "black" | "none"


def placings(contest, totals, higher_is_better=True):
    """{unit: Placing}: competition ranks of the eligible units (the others unranked), and their lists."""
    ranked = {
        unit: None if unit not in contest.eligible or total is None else (total if higher_is_better else -total)
        for unit, total in totals.items()
    }
    ranks = scoring.competition_ranks(ranked)
    marks = scoring.list_marks(ranks, contest.eligible, contest.list_size)
    return {unit: Placing(totals[unit], ranks[unit], marks[unit]) for unit in contest.units}


def run(contest):
    """{scoring code: {unit: Placing}} for the four scorings."""
    return {s.code: placings(contest, s.totals(contest), s.higher_is_better) for s in SCORINGS}


# --- the panel of a stored week --------------------------------------------------------------------


@dataclass(frozen=True)
class UnitLine:
    unit_id: int
    unit_name: str
    eligible: bool
    stored: Placing  # as stored on the week (UnitResult)
    placings: dict  # scoring code -> Placing

    @property
    def changes(self):
        """The alternative scorings under which this unit's list differs from its stored one."""
        return tuple(code for code in ALTERNATIVES if self.placings[code].mark != self.stored.mark)

    @property
    def borderline(self):
        return bool(self.changes)


@dataclass(frozen=True)
class ScoringSummary:
    code: str
    label: str
    red: tuple  # unit names, best first
    black: tuple  # unit names, worst first
    changed: tuple  # names of the units whose list differs from the stored one


@dataclass(frozen=True)
class Panel:
    lines: tuple  # UnitLine, in the stored order (rank, then name)
    summaries: tuple  # ScoringSummary per scoring, the rule first
    reproduces: bool  # the rule recomputed from the stored figures gives the stored totals, ranks and lists
    borderline_ids: frozenset = field(default_factory=frozenset)

    @property
    def changed_count(self):
        return len(self.borderline_ids)


def directions_used(rows, current):
    """{indicator id: lower is better} as the week was scored.

    A definition's direction may have been edited since the week was computed (a published week is
    frozen): where an indicator's values differ, its stored scores tell which end scored 100. Where
    they do not (every unit alike, or no data), the current definition's direction is taken; it changes
    nothing there.
    """
    ends = {}  # indicator id -> (row of the lowest value, row of the highest)
    for row in rows:
        if row.no_data or row.raw_value is None or row.score is None:
            continue
        low, high = ends.get(row.indicator_id, (row, row))
        ends[row.indicator_id] = (row if row.raw_value < low.raw_value else low, row if row.raw_value > high.raw_value else high)
    used = dict(current)
    for indicator_id, (low, high) in ends.items():
        if low.raw_value != high.raw_value:
            used[indicator_id] = high.score < low.score
    return used


def build_panel(results, scores, list_size):
    """The panel from a week's stored rows, without the database.

    ``results``: its UnitResult rows in display order (unit_id, unit_name, eligible, total, rank,
    list_mark); ``scores``: its Score rows (unit_id, indicator_id, raw_value, score, weight, no_data),
    each with its ``indicator`` loaded (direction).
    """
    results = list(results)
    scores = list(scores)
    weights, current = {}, {}
    values = {}
    for row in scores:
        # One weight per indicator in a week: compute_week writes the level's weight on every unit's row.
        weights.setdefault(row.indicator_id, row.weight)
        current.setdefault(row.indicator_id, row.indicator.direction == "lower")
        values[row.unit_id, row.indicator_id] = None if row.no_data else row.raw_value
    lower = directions_used(scores, current)
    contest = Contest(
        units=tuple(result.unit_id for result in results),
        criteria=tuple(Criterion(indicator_id, weights[indicator_id], lower[indicator_id]) for indicator_id in weights),
        values=values,
        eligible=frozenset(result.unit_id for result in results if result.eligible),
        list_size=list_size,
    )
    by_scoring = run(contest)
    lines = tuple(
        UnitLine(
            unit_id=result.unit_id,
            unit_name=result.unit_name,
            eligible=result.eligible,
            stored=Placing(result.total, result.rank, result.list_mark),
            placings={code: by_scoring[code][result.unit_id] for code in by_scoring},
        )
        for result in results
    )
    summaries = tuple(_summary(each, by_scoring[each.code], lines) for each in SCORINGS)
    reproduces = all(line.placings[RULE] == line.stored for line in lines)
    return Panel(
        lines=lines,
        summaries=tuple(summaries),
        reproduces=reproduces,
        borderline_ids=frozenset(line.unit_id for line in lines if line.borderline),
    )


def _summary(each, placed, lines):
    """The red list best first and the black list worst first (ties by name, as on the public page)."""
    listed = sorted((placed[line.unit_id].rank, line.unit_name, line.unit_id) for line in lines if placed[line.unit_id].mark != "none")
    worst_first = sorted(listed, key=lambda item: (-item[0], item[1], item[2]))
    return ScoringSummary(
        code=each.code,
        label=each.label,
        red=tuple(name for _rank, name, unit in listed if placed[unit].mark == "red"),
        black=tuple(name for _rank, name, unit in worst_first if placed[unit].mark == "black"),
        changed=tuple(line.unit_name for line in lines if placed[line.unit_id].mark != line.stored.mark),
    )


def week_panel(week, user):
    """The panel of one stored week, read from what ``user`` sees of it: two queries."""
    results = UnitResult.objects.visible_to(user).filter(week=week).order_by(RANK_ORDER, "unit_name")
    scores = (
        Score.objects.visible_to(user)
        .filter(week=week)
        .select_related("indicator")
        .only("unit_id", "indicator_id", "raw_value", "score", "weight", "no_data", "indicator__direction")
    )
    return build_panel(results, scores, week.list_size)
