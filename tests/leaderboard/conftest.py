import pytest

from tests.factories import EnterpriseFactory, TownshipFactory, district_user
from tests.leaderboard.factories import set_list_size, use_test_indicators

from enterprises.models import Scale


@pytest.fixture
def district(db):
    return district_user()


@pytest.fixture
def contest(db):
    """A hand-made contest of six townships on three indicators (two computed from Enterprise rows, one
    entered), list size 2. T2 and T3 tie; T6 has no firms, so only its entered figure (too little data).

    mean headcount (higher, w3) | share of individual businesses (lower, w2) | deductions (lower, w1, entered)
    """
    indicators = use_test_indicators(
        ("headcount", "higher", 3, "computed", "mean_headcount"),
        ("individual", "lower", 2, "computed", "individual_share"),
        ("deductions", "lower", 1, "entered", ""),
    )
    set_list_size("township", 2)
    towns = [TownshipFactory(name=f"T{i}", sort_order=i) for i in range(1, 7)]
    firms = {
        0: [(100, Scale.SME)],
        1: [(50, Scale.SME), (50, Scale.INDIVIDUAL)],
        2: [(50, Scale.INDIVIDUAL), (50, Scale.SME)],
        3: [(10, Scale.INDIVIDUAL), (30, Scale.SME)],
        4: [(200, Scale.INDIVIDUAL)],
    }
    for index, rows in firms.items():
        for headcount, scale in rows:
            EnterpriseFactory(township=towns[index], registered_headcount=headcount, scale=scale)
    deductions = [10, 0, 0, 5, 20, 0]
    return {"indicators": indicators, "towns": towns, "deductions": deductions, "firms": firms}


def enter_deductions(contest, actor, week_start):
    from leaderboard import services

    for town, value in zip(contest["towns"], contest["deductions"]):
        services.enter_inspection_score(
            actor, level="township", week_start=week_start, unit_id=town.pk, indicator=contest["indicators"][2], value=value
        )
