"""Publishing: refused while an entered indicator is missing or the draft is stale; a published week is
frozen; a correction is a new revision with a reason; the black list's units and agencies are told."""

from datetime import timedelta

import pytest

from fuyang_portal.models import Notification, Transition
from fuyang_portal.workflow import ActionRefused
from leaderboard import services
from leaderboard.models import ContestWeek, InspectionScore, Score, UnitResult
from tests.factories import AgencyFactory, agency_user, township_user
from tests.leaderboard.conftest import enter_deductions
from tests.leaderboard.factories import MONDAY

pytestmark = pytest.mark.django_db


def state(week):
    week.refresh_from_db()
    return (
        week.status,
        week.published_at,
        sorted(UnitResult.objects.filter(week=week).values_list("unit_id", "rank", "list_mark", "total")),
        Score.objects.filter(week=week).count(),
    )


def test_publishing_is_refused_while_an_inspection_score_is_missing(contest, district):
    enter_deductions(contest, district, MONDAY)
    InspectionScore.objects.filter(unit_id=contest["towns"][2].pk).delete()
    week = services.compute_week("township", MONDAY, actor=district)
    before = state(week)
    with pytest.raises(ActionRefused) as refused:
        services.publish_week(week, district)
    assert refused.value.code == ActionRefused.CONFLICT
    assert "指标deductions: 1" in str(refused.value.message)
    assert state(week) == before and week.status == ContestWeek.Status.DRAFT


def test_publishing_is_refused_when_scores_changed_after_the_draft_was_computed(contest, district):
    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    services.enter_inspection_score(
        district, level="township", week_start=MONDAY, unit_id=contest["towns"][0].pk, indicator=contest["indicators"][2], value=1
    )
    with pytest.raises(ActionRefused):
        services.publish_week(week, district)
    week.refresh_from_db()
    assert week.status == ContestWeek.Status.DRAFT
    services.compute_week("township", MONDAY, actor=district)
    services.publish_week(week, district)
    assert week.status == ContestWeek.Status.PUBLISHED


def test_publish_freezes_the_week_and_publishing_twice_or_recomputing_is_refused(contest, district):
    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    services.publish_week(week, district, comment="第一周")
    assert week.status == ContestWeek.Status.PUBLISHED and week.published_by == district and week.published_at
    frozen = state(week)

    with pytest.raises(ActionRefused) as twice:
        services.publish_week(week, district)
    assert twice.value.code == ActionRefused.CONFLICT
    with pytest.raises(ActionRefused) as recompute:
        services.compute_week("township", MONDAY, actor=district)
    assert recompute.value.code == ActionRefused.CONFLICT
    assert MONDAY.isoformat() in str(recompute.value.message)  # names the frozen week
    with pytest.raises(ActionRefused):
        services.enter_inspection_score(
            district, level="township", week_start=MONDAY, unit_id=contest["towns"][0].pk, indicator=contest["indicators"][2], value=3
        )
    assert state(week) == frozen
    assert InspectionScore.objects.get(unit_id=contest["towns"][0].pk).value == 10
    assert [(t.action, t.actor) for t in Transition.objects.for_object(week)] == [("create", district), ("compute", district), ("publish", district)]


def test_only_the_district_office_publishes(contest, district):
    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    for user in (township_user(contest["towns"][0]), agency_user()):
        with pytest.raises(ActionRefused) as refused:
            services.publish_week(week, user)
        assert refused.value.code == ActionRefused.FORBIDDEN
    week.refresh_from_db()
    assert week.status == ContestWeek.Status.DRAFT


def test_a_correction_is_a_new_revision_with_a_reason_and_the_earlier_is_kept(contest, district):
    enter_deductions(contest, district, MONDAY)
    first = services.compute_week("township", MONDAY, actor=district)
    services.publish_week(first, district)
    first_results = sorted(UnitResult.objects.filter(week=first).values_list("unit_id", "rank", "total"))

    with pytest.raises(ActionRefused) as no_reason:
        services.open_correction(first, district, "  ")
    assert no_reason.value.code == ActionRefused.INVALID
    assert ContestWeek.objects.count() == 1

    correction = services.open_correction(first, district, "督查扣分录入错误")
    assert (correction.revision, correction.status, correction.reason) == (2, "draft", "督查扣分录入错误")
    with pytest.raises(ActionRefused):
        services.open_correction(first, district, "again")  # one open correction at a time
    # The corrected figure can now be entered; the published revision is still the public one.
    services.enter_inspection_score(
        district, level="township", week_start=MONDAY, unit_id=contest["towns"][3].pk, indicator=contest["indicators"][2], value=0
    )
    assert list(ContestWeek.objects.published().values_list("pk", flat=True)) == [first.pk]
    services.compute_week("township", MONDAY, actor=district)
    services.publish_week(correction, district)

    first.refresh_from_db()
    assert first.status == ContestWeek.Status.SUPERSEDED
    assert sorted(UnitResult.objects.filter(week=first).values_list("unit_id", "rank", "total")) == first_results
    assert list(ContestWeek.objects.published().values_list("pk", flat=True)) == [correction.pk]
    assert [t.action for t in Transition.objects.for_object(first)] == ["create", "compute", "publish", "correct", "supersede"]
    assert [t.action for t in Transition.objects.for_object(correction)] == ["create", "compute", "compute", "publish"]
    assert Transition.objects.for_object(correction).filter(action="publish").get().comment == "督查扣分录入错误"


def test_black_list_units_and_their_paired_agencies_are_notified(contest, district, django_capture_on_commit_callbacks):
    t = contest["towns"]
    black_town = t[3]
    staff = township_user(black_town)
    paired = agency_user(AgencyFactory(paired_township=black_town))
    red_staff = township_user(t[0])
    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_week(week, district)
    assert Notification.objects.filter(recipient=staff).count() == 1
    assert Notification.objects.filter(recipient=paired).count() == 1
    assert not Notification.objects.filter(recipient=red_staff).exists()
    assert black_town.name in Notification.objects.get(recipient=staff).title


def test_publishing_refreshes_movement_against_the_week_published_before(contest, district):
    enter_deductions(contest, district, MONDAY)
    second_monday = MONDAY + timedelta(weeks=1)
    enter_deductions(contest, district, second_monday)
    first = services.compute_week("township", MONDAY, actor=district)
    second = services.compute_week("township", second_monday, actor=district)
    assert not UnitResult.objects.filter(week=second, movement__isnull=False).exists()  # nothing published before
    services.publish_week(first, district)
    services.publish_week(second, district)
    ranked = UnitResult.objects.filter(week=second, rank__isnull=False)
    assert ranked.exists() and all(r.movement == 0 and r.previous_rank == r.rank for r in ranked)
