"""The contest's declarations: every model names every role's scope and its actions; the workflow table of a
week; drafts and the inspectors' figures are the district office's until published; the business clock."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from fuyang_portal import clock, policy
from fuyang_portal.models import Township
from fuyang_portal.visibility import DISTRICT_ROLES
from fuyang_portal.workflow import ActionRefused
from leaderboard import services, tasks
from leaderboard.models import ContestWeek, Indicator, IndicatorChange, InspectionScore, LevelSetting, Score, UnitResult
from tests.factories import agency_user, enterprise_user, specialist_user, township_user
from tests.leaderboard.conftest import enter_deductions
from tests.leaderboard.factories import MONDAY

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def test_every_model_declares_every_role_and_its_actions():
    for model in apps.get_app_config("leaderboard").get_models():
        assert model.objects.all().declared_scopes() >= set(DISTRICT_ROLES), model
        assert policy.declaration(model) is not None, model


def test_the_week_workflow_table(contest, district):
    flow = policy.workflow_of(ContestWeek)
    assert [(s.action, s.sources, s.target) for s in flow.steps] == [
        ("compute", ("draft",), "draft"),
        ("publish", ("draft",), "published"),
        ("correct", ("published",), "published"),
        ("supersede", ("published",), "superseded"),
        ("close-appeals", ("draft",), "draft"),
        ("revise", ("draft",), "superseded"),
    ]
    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    assert policy.allowed_actions(district, week) == ["compute", "publish", "close-appeals", "revise"]
    town = township_user(contest["towns"][0])
    assert policy.allowed_actions(town, week) == []
    services.publish_week(week, district)
    assert policy.allowed_actions(district, week) == ["correct", "supersede"]
    assert policy.allowed_actions(town, week) == []


def test_drafts_are_shown_to_the_units_they_rank_and_published_weeks_to_everyone(contest, district):
    """A draft is open to the units it ranks (their objections): a township's staff see its own row only; agencies
    (no township unit), specialists and firms see nothing until it is published."""
    town = township_user(contest["towns"][0])
    others = [agency_user(), specialist_user(), enterprise_user()]
    enter_deductions(contest, district, MONDAY)
    for township in Township.objects.exclude(pk__in=[t.pk for t in contest["towns"]]):  # the users' factories made more
        services.enter_inspection_score(district, level="township", week_start=MONDAY, unit_id=township.pk, indicator=contest["indicators"][2], value=0)
    week = services.compute_week("township", MONDAY, actor=district)
    for user in others:
        for model in (ContestWeek, Score, UnitResult):
            assert not model.objects.visible_to(user).exists()
    assert list(ContestWeek.objects.visible_to(town)) == [week]
    assert set(UnitResult.objects.visible_to(town).values_list("unit_id", flat=True)) == {contest["towns"][0].pk}
    assert set(Score.objects.visible_to(town).values_list("unit_id", flat=True)) == {contest["towns"][0].pk}
    others.append(town)
    services.publish_week(week, district)
    for user in others:
        assert list(ContestWeek.objects.visible_to(user)) == [week]
        assert UnitResult.objects.visible_to(user).count() == Township.objects.count()
        assert Score.objects.visible_to(user).count() == 3 * Township.objects.count()
        assert Indicator.objects.visible_to(user).count() == Indicator.objects.count()
        assert LevelSetting.objects.visible_to(user).count() == LevelSetting.objects.count()
        assert not IndicatorChange.objects.visible_to(user).exists()  # who edited a definition is the district's record


def test_the_inspectors_figures_reach_a_township_only_when_its_week_is_published(contest, district):
    town = township_user(contest["towns"][0])
    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    assert not InspectionScore.objects.visible_to(town).exists()
    services.publish_week(week, district)
    assert list(InspectionScore.objects.visible_to(town).values_list("unit_id", flat=True)) == [contest["towns"][0].pk]
    for user in (agency_user(), specialist_user(), enterprise_user()):
        assert not InspectionScore.objects.visible_to(user).exists()


def test_stamps_and_weeks_read_the_business_clock(contest, district):
    monday_after = datetime(2020, 2, 10, 9, 0, tzinfo=BEIJING)
    with clock.at(monday_after - timedelta(minutes=30)):
        enter_deductions(contest, district, MONDAY)
    with clock.at(monday_after):
        week = services.compute_week("township", MONDAY, actor=district)
        with pytest.raises(ActionRefused) as not_started:
            services.compute_week("township", MONDAY + timedelta(weeks=2), actor=district)
    assert not_started.value.code == ActionRefused.INVALID
    assert week.computed_at == monday_after and week.created_at == monday_after
    assert InspectionScore.objects.filter(updated_at=monday_after - timedelta(minutes=30)).count() == 6
    with clock.at(monday_after + timedelta(weeks=1) - timedelta(days=2)):
        # The second week's draft may be computed while it runs, but not published before it ends.
        second = services.compute_week("township", MONDAY + timedelta(weeks=1), actor=district)
        with pytest.raises(ActionRefused) as running:
            services.publish_week(second, district)
    assert running.value.code == ActionRefused.CONFLICT and "2020-02-17" in str(running.value.message)
    with clock.at(monday_after + timedelta(minutes=10)):
        services.publish_week(week, district)
    assert week.published_at == monday_after + timedelta(minutes=10)


def test_the_monday_job_computes_the_business_clocks_last_week(contest, district):
    with clock.at(datetime(2020, 2, 10, 1, 0, tzinfo=BEIJING)):
        outcome = tasks.compute_last_week.apply().get()
    assert outcome["week_start"] == MONDAY.isoformat()
    week = ContestWeek.objects.get(level="township", week_start=MONDAY)
    assert week.computed_by is None and week.computed_at == datetime(2020, 2, 10, 1, 0, tzinfo=BEIJING)
