"""The inspection score (督查通报) is computed from the district's findings by the stated rule, not typed in; it
agrees with an independent calculation, and the rows behind it open in the drill-down."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from fuyang_portal import clock
from fuyang_portal.metrics import Level
from fuyang_portal.workflow import ActionRefused
from programmes import metrics, services
from programmes.models import Finding
from tests.factories import TownshipFactory, district_user, township_user
from tests.programmes.factories import work_item

pytestmark = pytest.mark.django_db

WEEK = (date(2020, 2, 17), date(2020, 2, 23))


def independent_deductions(findings, start, end, today):
    """The rule as the report's reader would apply it, row by row."""
    total = 0
    for f in findings:
        if start <= f["inspected_on"] <= end:
            total += f["points"]
        if (f["outcome"] == "problems" and start <= f["rectify_by"] <= end and f["rectify_by"] < today
                and (f["rectified_on"] is None or f["rectified_on"] > f["rectify_by"])):
            total += 2
    return total


def _inspect(item, district, day, points, days=None, rectified_after=None):
    with clock.at(day):
        finding = services.inspect_item(
            item, district, outcome="problems" if points else "passed", points=points, description="问题" if points else "",
            rectify_by=day + timedelta(days=days) if points else None,
        )
    if rectified_after is not None:
        with clock.at(day + timedelta(days=rectified_after)):
            services.rectify_finding(finding, district, "已整改")
    return finding


def test_the_weekly_score_agrees_with_an_independent_calculation():
    district = district_user()
    township, other = TownshipFactory(), TownshipFactory()
    a, _ = work_item(township)
    b, _ = work_item(other)
    plan = [
        (a, date(2020, 2, 10), 3, 3, None),   # deadline 13th, in the week before, never rectified: not this week's
        (a, date(2020, 2, 12), 2, 6, 3),      # deadline 18th, rectified on the 15th: on time
        (a, date(2020, 2, 14), 4, 5, 6),      # deadline 19th, rectified on the 20th: late, +2 this week
        (a, date(2020, 2, 18), 2, 2, None),   # found this week (2), deadline 20th passed unrectified (+2)
        (a, date(2020, 2, 20), 0, None, None),  # passed
        (a, date(2020, 2, 22), 5, 7, None),   # found this week (5), deadline next week
        (b, date(2020, 2, 19), 1, 1, 0),      # the other township: 1, rectified the same day
    ]
    for item, day, points, days, after in plan:
        _inspect(item, district, day, points, days, after)
    rows = {row.unit_id: row for row in metrics.inspection_deductions(Level.TOWNSHIP, *WEEK)}
    today = clock.today()
    for unit in (township, other):
        findings = list(Finding.objects.filter(item__work_list__township=unit).values("inspected_on", "points", "outcome", "rectify_by", "rectified_on"))
        expected = independent_deductions(findings, *WEEK, today)
        assert rows[unit.pk].value == expected
    assert rows[township.pk].value == 2 + 2 + 2 + 5
    scores = {row.unit_id: row.value for row in metrics.inspection_score(Level.TOWNSHIP, *WEEK)}
    assert scores == {township.pk: 100 - 11, other.pk: 99}


def test_the_drill_down_shows_every_row_behind_the_figure():
    district = district_user()
    item, _ = work_item()
    _inspect(item, district, date(2020, 2, 14), 4, 5, 6)
    _inspect(item, district, date(2020, 2, 18), 2, 10)
    rows = list(metrics.inspection_deductions_rows(Level.TOWNSHIP, item.work_list.township_id, *WEEK))
    assert [(r.deducted, r.late_in_period) for r in rows] == [(0, True), (2, False)]
    assert sum(r.deducted + (metrics.LATE_POINTS if r.late_in_period else 0) for r in rows) == \
        metrics.inspection_deductions(Level.TOWNSHIP, *WEEK)[0].value


def test_a_rectification_not_yet_due_costs_nothing_and_a_unit_without_findings_has_no_row():
    district = district_user()
    item, _ = work_item()
    _inspect(item, district, date(2020, 2, 24), 3, 1)  # Monday: deadline Tuesday
    assert metrics.inspection_deductions(Level.TOWNSHIP, *WEEK) == []
    assert metrics.inspection_deductions(Level.TOWNSHIP, date(2020, 2, 24), date(2020, 3, 1))[0].value == 3


def test_group_and_village_levels_follow_the_lists_unit():
    from tests.factories import CommunityGroupFactory, VillageFactory

    district = district_user()
    group = CommunityGroupFactory()
    township = group.community.township
    cadre = township_user(township)
    lst = services.create_work_list(cadre, title="社区清单", community=group.community)
    item = services.add_item(cadre, lst, category="checkpoint", indicator_code="resumption", title="x", responsible_unit="u",
                             responsible_person=cadre, deadline=date(2020, 2, 20))
    village = VillageFactory(township=township)
    vlist = services.create_work_list(cadre, title="村清单", village=village)
    vitem = services.add_item(cadre, vlist, category="checkpoint", indicator_code="resumption", title="y", responsible_unit="u",
                              responsible_person=cadre, deadline=date(2020, 2, 20))
    _inspect(item, district, date(2020, 2, 18), 3, 10)
    _inspect(vitem, district, date(2020, 2, 19), 1, 10)
    assert [(r.unit_id, r.value) for r in metrics.inspection_deductions(Level.GROUP, *WEEK)] == [(group.pk, 3)]
    assert [(r.unit_id, r.value) for r in metrics.inspection_deductions(Level.VILLAGE, *WEEK)] == [(village.pk, 1)]
    # The township is judged on its own list: its group's and village's findings are theirs, not added to it.
    assert metrics.inspection_deductions(Level.TOWNSHIP, *WEEK) == []
    tlist = services.create_work_list(cadre, title="镇清单")
    titem = services.add_item(cadre, tlist, category="checkpoint", indicator_code="resumption", title="z", responsible_unit="u",
                              responsible_person=cadre, deadline=date(2020, 2, 20))
    _inspect(titem, district, date(2020, 2, 19), 2, 10)
    assert [(r.unit_id, r.value) for r in metrics.inspection_deductions(Level.TOWNSHIP, *WEEK)] == [(township.pk, 2)]
    assert [f.item_id for f in metrics.inspection_deductions_rows(Level.TOWNSHIP, township.pk, *WEEK)] == [titem.pk]


def test_an_inspection_needs_points_and_a_deadline_when_problems_are_found():
    district = district_user()
    item, cadre = work_item()
    with pytest.raises(ActionRefused):
        services.inspect_item(item, district, outcome="problems", points=2, description="x", rectify_by=None)
    with pytest.raises(ActionRefused):
        services.inspect_item(item, district, outcome="problems", points=11, description="x", rectify_by=date(2020, 2, 28))
    with pytest.raises(ActionRefused):
        services.inspect_item(item, district, outcome="problems", points=2, description="x", rectify_by=date(2020, 2, 1))
    with pytest.raises(ActionRefused) as refused:
        services.inspect_item(item, cadre, outcome="passed")
    assert refused.value.code == ActionRefused.FORBIDDEN
    assert not Finding.objects.exists()


def test_rectifying_twice_is_a_conflict(client):
    district = district_user()
    item, cadre = work_item()
    finding = _inspect(item, district, date(2020, 2, 20), 2, 3)
    client.force_login(cadre)
    assert client.post(reverse("programmes:finding-rectify", args=[finding.pk]), {"note": "x"}).status_code == 403
    client.force_login(district)
    assert client.post(reverse("programmes:finding-rectify", args=[finding.pk]), {"note": "复查合格"}).status_code == 302
    response = client.post(reverse("inspection-finding-rectify", args=[finding.pk]), {"note": "again"}, content_type="application/json")
    assert response.status_code == 409


def test_the_district_inspects_on_the_page_and_the_score_moves(client):
    district = district_user()
    item, _ = work_item()
    client.force_login(district)
    before = metrics.inspection_score(Level.TOWNSHIP, date(2020, 2, 24), date(2020, 3, 1))
    response = client.post(reverse("programmes:item-inspect", args=[item.pk]),
                           {"outcome": "problems", "points": "3", "description": "登记不全", "rectify_by": "2020-02-27"})
    assert response.status_code == 302
    after = metrics.inspection_score(Level.TOWNSHIP, date(2020, 2, 24), date(2020, 3, 1))
    assert before == [] and [(r.unit_id, r.value) for r in after] == [(item.work_list.township_id, 97)]


def test_work_list_completion_counts_items_due_and_done_by_the_end_of_the_week():
    item, cadre = work_item(deadline=date(2020, 2, 18))
    lst = item.work_list
    later = services.add_item(cadre, lst, category="checkpoint", indicator_code="resumption", title="later", responsible_unit="u",
                              responsible_person=cadre, deadline=date(2020, 3, 5))
    due = services.add_item(cadre, lst, category="checkpoint", indicator_code="resumption", title="due", responsible_unit="u",
                            responsible_person=cadre, deadline=date(2020, 2, 21))
    with clock.at(date(2020, 2, 19)):
        services.report_progress(item, cadre, note="done", done=True)
    services.report_progress(later, cadre, note="done early", done=True)  # Monday 24th: after the week
    rows = metrics.worklist_completion_rate(Level.TOWNSHIP, *WEEK)
    assert [(r.numerator, r.denominator) for r in rows] == [(1, 2)]
    assert {r.pk: r.done_by_end for r in metrics.worklist_completion_rate_rows(Level.TOWNSHIP, lst.township_id, *WEEK)} == {
        item.pk: True, due.pk: False}
