"""The sensitivity panel: each scoring matches a calculation worked out by hand; the rule reproduces what
compute_week stored; a unit is borderline when another scoring puts it on another list; the page and the
API are the district office's alone and run a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from fuyang_portal import clock
from leaderboard import sensitivity, services
from leaderboard.models import ContestWeek, Indicator, Score, UnitResult
from leaderboard.sensitivity import Contest, Criterion
from tests.factories import EnterpriseFactory, TownshipFactory, agency_user, township_user
from tests.leaderboard.conftest import enter_deductions
from tests.leaderboard.factories import MONDAY

# --- hand-worked cases, no database ----------------------------------------------------------------------

A, B, C, DD, E = "A", "B", "C", "D", "E"

# Five units on three indicators, list size 1, every unit eligible. D has no figure on i2; D and E tie on i1,
# B and C, A and E tie on i2; A, D and E tie on i3.
#
#            i1 (higher, w3)   i2 (lower, w2)   i3 (higher, w1)
#   A             10                2                4
#   B              8                1                2
#   C              6                1                3
#   D              2                —                4
#   E              2                2                4
FIVE = Contest(
    units=(A, B, C, DD, E),
    criteria=(Criterion(1, D(3)), Criterion(2, D(2), lower_is_better=True), Criterion(3, D(1))),
    values={
        (A, 1): D(10), (B, 1): D(8), (C, 1): D(6), (DD, 1): D(2), (E, 1): D(2),
        (A, 2): D(2), (B, 2): D(1), (C, 2): D(1), (DD, 2): None, (E, 2): D(2),
        (A, 3): D(4), (B, 3): D(2), (C, 3): D(3), (DD, 3): D(4), (E, 3): D(4),
    },
    eligible=frozenset({A, B, C, DD, E}),
    list_size=1,
)


def marks(placed):
    return {unit: p.mark for unit, p in placed.items()}


def test_the_rule_min_max_with_the_missing_indicator_dropped():
    # Min-max: i1 over 2..10: A 100, B 75, C 50, D 0, E 0; i2 (lower) over 1..2: A 0, B 100, C 100, E 0;
    # i3 over 2..4: A 100, B 0, C 50, D 100, E 100.
    # A (300 + 0 + 100)/6 = 66.67; B (225 + 200 + 0)/6 = 70.83; C (150 + 200 + 50)/6 = 66.67;
    # D without i2: (0 + 100)/4 = 25.00; E (0 + 0 + 100)/6 = 16.67.
    assert sensitivity.rule_totals(FIVE) == {A: D("66.67"), B: D("70.83"), C: D("66.67"), DD: D("25.00"), E: D("16.67")}
    placed = sensitivity.placings(FIVE, sensitivity.rule_totals(FIVE))
    assert {u: p.rank for u, p in placed.items()} == {B: 1, A: 2, C: 2, DD: 4, E: 5}
    assert marks(placed) == {B: "red", A: "none", C: "none", DD: "none", E: "black"}


def test_missing_counts_as_zero_over_all_the_weights():
    # D: (0×3 + 0×2 + 100×1)/6 = 16.67, level with E: both rank 4 and share the black list.
    totals = sensitivity.missing_zero_totals(FIVE)
    assert totals == {A: D("66.67"), B: D("70.83"), C: D("66.67"), DD: D("16.67"), E: D("16.67")}
    placed = sensitivity.placings(FIVE, totals)
    assert {u: p.rank for u, p in placed.items()} == {B: 1, A: 2, C: 2, DD: 4, E: 4}
    assert marks(placed) == {B: "red", A: "none", C: "none", DD: "black", E: "black"}


def test_z_scores_with_the_population_deviation_and_the_missing_indicator_dropped():
    # i1: mean 5.6, deviations 4.4 2.4 0.4 −3.6 −3.6, variance 51.2/5 = 10.24, sd 3.2:
    #     z A 1.375, B 0.75, C 0.125, D −1.125, E −1.125.
    # i2 (lower, D missing): mean 1.5, sd 0.5: A −1, B 1, C 1, E −1 (sign flipped).
    # i3: mean 3.4, squares 0.36 1.96 0.16 0.36 0.36 → variance 0.64, sd 0.8: A 0.75, B −1.75, C −0.5, D 0.75, E 0.75.
    # A (4.125 − 2 + 0.75)/6 = 0.47917; B (2.25 + 2 − 1.75)/6 = 0.41667; C (0.375 + 2 − 0.5)/6 = 0.3125;
    # D (−3.375 + 0.75)/4 = −0.65625; E (−3.375 − 2 + 0.75)/6 = −0.77083.
    totals = sensitivity.z_score_totals(FIVE)
    assert totals == {A: D("0.4792"), B: D("0.4167"), C: D("0.3125"), DD: D("-0.6563"), E: D("-0.7708")}
    placed = sensitivity.placings(FIVE, totals)
    assert {u: p.rank for u, p in placed.items()} == {A: 1, B: 2, C: 3, DD: 4, E: 5}
    assert marks(placed) == {A: "red", B: "none", C: "none", DD: "none", E: "black"}


def test_rank_sum_with_shared_ranks_lower_is_better():
    # i1: A 1, B 2, C 3, D and E share 4 and 5: 4.5. i2 (lower): B and C share 1.5, A and E share 3.5.
    # i3: A, D, E share 1–3: 2; C 4; B 5.
    # A (3 + 7 + 2)/6 = 2; B (6 + 3 + 5)/6 = 2.3333; C (9 + 3 + 4)/6 = 2.6667; D (13.5 + 2)/4 = 3.875;
    # E (13.5 + 7 + 2)/6 = 3.75.
    assert sensitivity.average_ranks({A: D(2), B: D(1), C: D(1), DD: None, E: D(2)}, lower_is_better=True) == {
        A: D("3.5"), B: D("1.5"), C: D("1.5"), DD: None, E: D("3.5")
    }
    totals = sensitivity.rank_sum_totals(FIVE)
    assert totals == {A: D("2.0000"), B: D("2.3333"), C: D("2.6667"), DD: D("3.8750"), E: D("3.7500")}
    placed = sensitivity.placings(FIVE, totals, higher_is_better=False)
    assert {u: p.rank for u, p in placed.items()} == {A: 1, B: 2, C: 3, E: 4, DD: 5}
    assert marks(placed) == {A: "red", B: "none", C: "none", E: "none", DD: "black"}


# Four units, list size 3 (three eligible: each list shrinks to one). S has too little data: it is scored
# but never ranked nor listed. k1 is the same for every unit: min-max 100, z 0, a four-way shared rank 2.5.
#
#            k1 (higher, w1)   k2 (lower, w1)
#   P              5                1
#   Q              5                2
#   R              5                3
#   S              5                —
FOUR = Contest(
    units=("P", "Q", "R", "S"),
    criteria=(Criterion(1, D(1)), Criterion(2, D(1), lower_is_better=True)),
    values={("P", 1): D(5), ("Q", 1): D(5), ("R", 1): D(5), ("S", 1): D(5), ("P", 2): D(1), ("Q", 2): D(2), ("R", 2): D(3)},
    eligible=frozenset({"P", "Q", "R"}),
    list_size=3,
)


def test_equal_values_an_ineligible_unit_and_shrunken_lists():
    placed = sensitivity.run(FOUR)
    # Rule: k2 (lower) P 100, Q 50, R 0 → P (100+100)/2, Q 75, R 50; S only k1: 100, unranked.
    assert {u: p.total for u, p in placed["rule"].items()} == {"P": D("100.00"), "Q": D("75.00"), "R": D("50.00"), "S": D("100.00")}
    # Missing = 0: S (100 + 0)/2 = 50.
    assert placed["missing_zero"]["S"].total == D("50.00")
    # z: k1 all 0 (sd 0); k2 mean 2, sd √(2/3) = 0.81650: P 1.22474, Q 0, R −1.22474 → halves; S 0.
    assert {u: p.total for u, p in placed["z_score"].items()} == {"P": D("0.6124"), "Q": D("0.0000"), "R": D("-0.6124"), "S": D("0.0000")}
    # Rank sum: k1 2.5 each; k2 P 1, Q 2, R 3 → P 1.75, Q 2.25, R 2.75; S 2.5.
    assert {u: p.total for u, p in placed["rank_sum"].items()} == {"P": D("1.7500"), "Q": D("2.2500"), "R": D("2.7500"), "S": D("2.5000")}
    for code, by_unit in placed.items():
        assert by_unit["S"].rank is None and by_unit["S"].mark == "none", code
        assert marks(by_unit) == {"P": "red", "Q": "none", "R": "black", "S": "none"}, code


class Row:
    """A stored row as build_panel reads it (UnitResult or Score with its indicator)."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


def stored_rows(contest, directions=None):
    """The rows compute_week would store for ``contest``: the rule's scores, totals, ranks and lists."""
    placed = sensitivity.run(contest)["rule"]
    scores = sensitivity._min_max_scores(contest)
    directions = directions or {c.id: ("lower" if c.lower_is_better else "higher") for c in contest.criteria}
    results = [
        Row(unit_id=u, unit_name=f"镇{u}", eligible=u in contest.eligible, total=placed[u].total, rank=placed[u].rank, list_mark=placed[u].mark)
        for u in contest.units
    ]
    rows = [
        Row(
            unit_id=u, indicator_id=c.id, raw_value=contest.values.get((u, c.id)), score=scores[c.id][u], weight=c.weight,
            no_data=contest.values.get((u, c.id)) is None, indicator=Row(direction=directions[c.id]),
        )
        for u in contest.units
        for c in contest.criteria
    ]
    return results, rows


def test_borderline_is_a_list_that_differs_under_at_least_one_other_scoring():
    results, rows = stored_rows(FIVE)
    panel = sensitivity.build_panel(results, rows, FIVE.list_size)
    assert panel.reproduces
    lines = {line.unit_id: line for line in panel.lines}
    # Rule: B red, E black. Missing = 0: D and E black. z: A red, E black. Rank sum: A red, D black.
    assert lines[A].changes == ("z_score", "rank_sum")
    assert lines[B].changes == ("z_score", "rank_sum")
    assert lines[C].changes == ()
    assert lines[DD].changes == ("missing_zero", "rank_sum")
    assert lines[E].changes == ("rank_sum",)
    assert panel.borderline_ids == {A, B, DD, E} and panel.changed_count == 4 and not lines[C].borderline
    summaries = {s.code: s for s in panel.summaries}
    assert summaries["missing_zero"].black == ("镇D", "镇E") and summaries["missing_zero"].changed == ("镇D",)
    assert summaries["rank_sum"].red == ("镇A",) and summaries["rank_sum"].black == ("镇D",)
    assert summaries["rule"].changed == ()


def test_a_direction_edited_after_the_week_keeps_the_weeks_own():
    # The stored scores say i2 was scored lower-is-better; the definition now says higher.
    results, rows = stored_rows(FIVE, directions={1: "higher", 2: "higher", 3: "higher"})
    panel = sensitivity.build_panel(results, rows, FIVE.list_size)
    assert panel.reproduces and panel.borderline_ids == {A, B, DD, E}


def test_a_week_stored_under_other_rules_is_said_not_to_reproduce():
    results, rows = stored_rows(FIVE)
    results[0].list_mark = "red"  # A, not red by the rule
    assert not sensitivity.build_panel(results, rows, FIVE.list_size).reproduces


# --- a computed week --------------------------------------------------------------------------------------

@pytest.fixture
def computed(contest, district):
    from leaderboard import services

    enter_deductions(contest, district, MONDAY)
    return services.compute_week("township", MONDAY, actor=district)


@pytest.mark.django_db
def test_the_rule_reproduces_what_compute_week_stored(computed, district):
    panel = sensitivity.week_panel(computed, district)
    stored = {r.unit_id: r for r in UnitResult.objects.filter(week=computed)}
    assert len(panel.lines) == len(stored) == 6
    for line in panel.lines:
        result = stored[line.unit_id]
        rule = line.placings["rule"]
        assert (rule.total, rule.rank, rule.mark) == (result.total, result.rank, result.list_mark), line.unit_name
    assert panel.reproduces
    # Each alternative ranks the same five eligible units; T6 (too little data) is on no list under any.
    for code in sensitivity.ALTERNATIVES:
        ranked = {line.unit_id for line in panel.lines if line.placings[code].rank is not None}
        assert ranked == {r.unit_id for r in stored.values() if r.eligible}, code
    assert not any(line.borderline for line in panel.lines if not line.eligible)


@pytest.mark.django_db
def test_the_rule_reproduces_the_stored_week_after_its_directions_are_edited(computed, district):
    Indicator.objects.filter(code="individual").update(direction="higher")
    assert sensitivity.week_panel(computed, district).reproduces


@pytest.mark.django_db
def test_the_stored_rows_are_read_in_two_queries(computed, district):
    with CaptureQueriesContext(connection) as queries:
        sensitivity.week_panel(computed, district)
    assert len(queries) == 2


# --- the page ---------------------------------------------------------------------------------------------


@pytest.fixture
def published(computed, district):
    """The computed week as publishing leaves it (its rows untouched). Set here rather than through
    publish_week, whose conditions (missing figures, objection window) have their own tests."""
    ContestWeek.objects.filter(pk=computed.pk).update(status=ContestWeek.Status.PUBLISHED, published_at=clock.now(), published_by=district)
    computed.refresh_from_db()
    return computed


@pytest.mark.django_db
def test_the_district_office_reads_the_panel_and_the_week_page_flags_borderline_units(client, published, district, contest):
    client.force_login(district)
    response = client.get(reverse("leaderboard:sensitivity", args=[published.pk]))
    assert response.status_code == 200
    panel = response.context["panel"]
    assert panel.reproduces
    body = response.content.decode()
    assert 'id="sensitivity-summary"' in body
    rows = list(response.context["table"].rows)
    assert len(rows) == 6
    flagged = {row.record["unit"] for row in rows if row.record["borderline"]}
    assert flagged == {line.unit_name for line in panel.lines if line.borderline}

    week_page = client.get(published.get_absolute_url())
    assert week_page.context["borderline_units"] == panel.borderline_ids
    assert reverse("leaderboard:sensitivity", args=[published.pk]) in week_page.content.decode()
    unit_cells = week_page.content.decode().split('<td class="unit">')[1:]
    for cell in unit_cells:
        name = cell.split("</a>")[0].rsplit(">", 1)[-1]
        assert ("borderline-badge" in cell.split("</td>")[0]) == (name in flagged), name


@pytest.mark.django_db
def test_a_borderline_unit_is_flagged_on_the_week_page(client, district):
    """Five townships whose lists move under other scorings: the hand-worked FIVE, stored as a week."""
    from fuyang_portal.metrics import Level

    towns = {u: TownshipFactory(name=f"镇{u}") for u in FIVE.units}
    week = ContestWeek.objects.create(level=Level.TOWNSHIP, week_start=MONDAY, list_size=1, computed_at=clock.now())
    indicators = {}
    for criterion in FIVE.criteria:
        indicators[criterion.id] = Indicator.objects.create(
            code=f"k{criterion.id}", name_zh=f"指标{criterion.id}", name_en=f"K{criterion.id}", levels=["township"],
            direction="lower" if criterion.lower_is_better else "higher", source="entered", sort_order=criterion.id,
        )
    results, rows = stored_rows(FIVE)
    UnitResult.objects.bulk_create(
        UnitResult(week=week, unit_type="township", unit_id=towns[r.unit_id].pk, unit_name=r.unit_name, total=r.total, eligible=r.eligible,
                   rank=r.rank, list_mark=r.list_mark, coverage=D(100))
        for r in results
    )
    Score.objects.bulk_create(
        Score(week=week, unit_type="township", unit_id=towns[r.unit_id].pk, indicator=indicators[r.indicator_id], raw_value=r.raw_value,
              score=r.score, weight=r.weight, no_data=r.no_data)
        for r in rows
    )
    client.force_login(district)
    page = client.get(week.get_absolute_url())
    assert page.status_code == 200
    assert page.context["borderline_units"] == {towns[u].pk for u in (A, B, DD, E)}
    cells = {cell.split("</a>")[0].rsplit(">", 1)[-1]: cell.split("</td>")[0] for cell in page.content.decode().split('<td class="unit">')[1:]}
    assert {name for name, cell in cells.items() if "borderline-badge" in cell} == {"镇A", "镇B", "镇D", "镇E"}
    panel_page = client.get(reverse("leaderboard:sensitivity", args=[week.pk]))
    assert "4" in panel_page.content.decode().split('id="sensitivity-summary">')[1].split("</p>")[0]


@pytest.mark.django_db
def test_township_staff_see_no_panel_and_no_badge(client, published, district, contest):
    from leaderboard import services

    draft = services.compute_week("township", MONDAY + timedelta(weeks=1), actor=district)
    client.force_login(township_user(contest["towns"][0]))
    # The published week is theirs to read, not its panel: 403, as its action pages. Any week answers as its
    # own page's scope does: 403 where they may read the week, 404 where they may not (and for no week at all).
    assert client.get(reverse("leaderboard:sensitivity", args=[published.pk])).status_code == 403
    for week in (published, draft):
        in_scope = client.get(week.get_absolute_url()).status_code == 200
        assert client.get(reverse("leaderboard:sensitivity", args=[week.pk])).status_code == (403 if in_scope else 404)
    assert client.get(reverse("leaderboard:sensitivity", args=[draft.pk + 100])).status_code == 404
    week_page = client.get(published.get_absolute_url())
    assert week_page.status_code == 200
    assert week_page.context["sensitivity"] is None and not week_page.context["borderline_units"]
    assert reverse("leaderboard:sensitivity", args=[published.pk]) not in week_page.content.decode()
    client.force_login(agency_user())
    assert client.get(reverse("leaderboard:sensitivity", args=[published.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["sensitivity", "week"])
def test_the_pages_query_count_does_not_grow_with_units(client, contest, district, page):
    from leaderboard import services

    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    client.force_login(district)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"leaderboard:{page}", args=[week.pk])).status_code == 200
        return len(queries)

    small = measure()
    for _ in range(15):
        town = TownshipFactory()
        EnterpriseFactory(township=town, registered_headcount=7)
        services.enter_inspection_score(district, level="township", week_start=MONDAY, unit_id=town.pk, indicator=contest["indicators"][2], value=1)
    services.compute_week("township", MONDAY, actor=district)
    assert UnitResult.objects.filter(week=week).count() == 21
    assert measure() == small
    if page == "sensitivity":
        assert small <= 12  # session, user, the week, its results and scores


# --- the API ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_gives_the_panel_to_the_district_office_only(published, district, contest):
    from leaderboard import services

    api = APIClient()
    url = f"/api/v1/leaderboard/weeks/{published.pk}/sensitivity/"
    api.force_authenticate(district)
    response = api.get(url)
    assert response.status_code == 200
    data = response.json()
    panel = sensitivity.week_panel(published, district)
    assert data["week"] == published.pk and data["list_size"] == 2 and data["reproduces"] is True
    assert [s["code"] for s in data["scorings"]] == ["rule", "missing_zero", "z_score", "rank_sum"]
    assert data["changed_count"] == panel.changed_count
    by_unit = {u["unit_id"]: u for u in data["units"]}
    stored = {r.unit_id: r for r in UnitResult.objects.filter(week=published)}
    assert set(by_unit) == set(stored)
    for unit_id, unit in by_unit.items():
        assert unit["list_mark"] == unit["rule"]["list_mark"] == stored[unit_id].list_mark
        assert unit["rule"]["rank"] == stored[unit_id].rank
        assert unit["borderline"] == any(unit[code]["list_mark"] != unit["list_mark"] for code in ("missing_zero", "z_score", "rank_sum"))

    draft = services.compute_week("township", MONDAY + timedelta(weeks=1), actor=district)
    api.force_authenticate(township_user(contest["towns"][0]))
    assert api.get(url).status_code == 403
    for week in (published, draft):
        in_scope = api.get(f"/api/v1/leaderboard/weeks/{week.pk}/").status_code == 200
        assert api.get(f"/api/v1/leaderboard/weeks/{week.pk}/sensitivity/").status_code == (403 if in_scope else 404)
    assert api.get(f"/api/v1/leaderboard/weeks/{draft.pk + 100}/sensitivity/").status_code == 404
    api.force_authenticate(None)
    assert api.get(url).status_code in (401, 403)


@pytest.mark.django_db
def test_the_api_schema_declares_the_panel():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/leaderboard/weeks/{id}/sensitivity/"]["get"]
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][reference.rsplit("/", 1)[-1]]
    assert {"week", "list_size", "reproduces", "changed_count", "scorings", "units"} <= set(component["properties"])


def test_the_panel_exports_as_xlsx_and_csv_for_the_district_only(client, contest, district):
    from tests.factories import township_user

    from .conftest import enter_deductions
    from .factories import MONDAY

    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    url = reverse("leaderboard:sensitivity", args=[week.pk])
    client.force_login(district)
    csv = client.get(url, {"_export": "csv"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert len(csv.content.decode("utf-8-sig").strip().splitlines()) == 1 + len(contest["towns"])
    xlsx = client.get(url, {"_export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    client.force_login(township_user(contest["towns"][0]))
    assert client.get(url, {"_export": "csv"}).status_code == 403
