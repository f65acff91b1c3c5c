"""The contest's arithmetic: min-max scores by direction, no data, totals, competition ranks, the lists."""

from decimal import Decimal as D

from leaderboard import scoring


def test_min_max_scores_best_100_worst_0_in_both_directions():
    values = {1: D("10"), 2: D("20"), 3: D("15")}
    assert scoring.normalise(values) == {1: D("0"), 2: D("100"), 3: D("50.00")}
    assert scoring.normalise(values, lower_is_better=True) == {1: D("100"), 2: D("0"), 3: D("50.00")}


def test_all_units_equal_score_100_and_no_data_stays_none_not_zero():
    assert scoring.normalise({1: D("3"), 2: D("3"), 3: None}) == {1: D("100"), 2: D("100"), 3: None}
    assert scoring.normalise({1: None, 2: None}) == {1: None, 2: None}


def test_total_is_the_weighted_mean_of_the_indicators_with_data():
    total = scoring.weighted_total([(D("100"), D("3")), (None, D("2")), (D("50"), D("1"))])
    assert total.total == D("87.50")  # (300 + 50) / 4: the missing indicator's weight is left out
    assert total.coverage == D("66.67")


def test_zero_weight_and_no_data_give_no_total():
    assert scoring.weighted_total([(None, D("1")), (D("80"), D("0"))]).total is None


def test_standard_competition_ranking_1_2_2_4():
    ranks = scoring.competition_ranks({"a": D("90"), "b": D("80"), "c": D("80"), "d": D("70"), "e": None})
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4, "e": None}


def test_lists_take_top_and_bottom_n_with_ties_and_skip_ineligible_units():
    ranks = {"a": 1, "b": 2, "c": 3, "d": 3, "e": 5, "f": 6, "g": None}
    marks = scoring.list_marks(ranks, eligible={"a", "b", "c", "d", "e", "f"}, size=2)
    assert marks == {"a": "red", "b": "red", "c": "none", "d": "none", "e": "black", "f": "black", "g": "none"}
    # A tie on the boundary puts both units on the list.
    marks = scoring.list_marks(ranks, eligible={"a", "b", "c", "d", "e", "f"}, size=3)
    assert {u for u, m in marks.items() if m == "red"} == {"a", "b", "c", "d"}
    assert {u for u, m in marks.items() if m == "black"} == {"e", "f"}


def test_few_units_shrink_the_lists_so_no_unit_is_on_both():
    marks = scoring.list_marks({"a": 1, "b": 2, "c": 3}, eligible={"a", "b", "c"}, size=10)
    assert marks == {"a": "red", "b": "none", "c": "black"}
    assert scoring.list_marks({"a": 1}, eligible={"a"}, size=3) == {"a": "none"}
