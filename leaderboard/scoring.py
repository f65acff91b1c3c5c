"""The contest's arithmetic, free of the database: normalising, totals, ranks and the two lists.

Everything works on Decimals quantised the way they are stored, so a stored week can be recomputed by
hand from its own rows and give the same ranks.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal("100")
RAW_PLACES = Decimal("0.0001")
SCORE_PLACES = Decimal("0.01")


def quantize_raw(value):
    return None if value is None else Decimal(value).quantize(RAW_PLACES, rounding=ROUND_HALF_UP)


def quantize_score(value):
    return None if value is None else Decimal(value).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def normalise(values, lower_is_better=False):
    """Min-max to 0..100 within the level: the best unit scores 100, the worst 0.

    ``values`` maps a unit to its raw value or None (no data). A unit with no data keeps None (not zero);
    when every unit with data has the same value, each scores 100.
    """
    present = [value for value in values.values() if value is not None]
    if not present:
        return {unit: None for unit in values}
    low, high = min(present), max(present)
    scores = {}
    for unit, value in values.items():
        if value is None:
            scores[unit] = None
        elif high == low:
            scores[unit] = HUNDRED
        elif lower_is_better:
            scores[unit] = quantize_score((high - value) / (high - low) * HUNDRED)
        else:
            scores[unit] = quantize_score((value - low) / (high - low) * HUNDRED)
    return scores


@dataclass(frozen=True)
class Total:
    total: Decimal | None
    coverage: Decimal  # share (0..100) of the level's weights carried by indicators with data


def weighted_total(scores_and_weights):
    """Weighted mean of the scores that have data; ``scores_and_weights`` is [(score or None, weight)]."""
    all_weight = sum((weight for _, weight in scores_and_weights), Decimal(0))
    used = [(score, weight) for score, weight in scores_and_weights if score is not None and weight > 0]
    used_weight = sum((weight for _, weight in used), Decimal(0))
    coverage = quantize_score(used_weight / all_weight * HUNDRED) if all_weight else Decimal(0)
    if not used_weight:
        return Total(None, coverage)
    return Total(quantize_score(sum(score * weight for score, weight in used) / used_weight), coverage)


def competition_ranks(totals):
    """Standard competition ranking (1, 2, 2, 4) of the units with a total; None for those without."""
    ordered = sorted((total for total in totals.values() if total is not None), reverse=True)
    first_place = {}
    for position, total in enumerate(ordered, start=1):
        first_place.setdefault(total, position)
    return {unit: (None if total is None else first_place[total]) for unit, total in totals.items()}


def list_marks(ranks, eligible, size):
    """Red list: the top ``size`` eligible units; black list: the bottom ``size``. Returns {unit: "red"|"black"|"none"}.

    Units that tie with the last place of a list are all on it. With fewer than twice ``size`` eligible
    units, each list shrinks to half of them, so no unit is on both. Ineligible units (too little data)
    are on neither.
    """
    ranked = sorted((ranks[unit], unit) for unit in eligible if ranks.get(unit) is not None)
    marks = {unit: "none" for unit in ranks}
    n = min(size, len(ranked) // 2)
    if n == 0:
        return marks
    red_cut = ranked[n - 1][0]
    black_cut = ranked[-n][0]
    for rank, unit in ranked:
        if rank <= red_cut:
            marks[unit] = "red"
        elif rank >= black_cut:
            marks[unit] = "black"
    return marks
