"""The contest's pages: public lists without sign-in, the district's draft and actions, township pages,
the drill-down from a score to its rows. Refusals change nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse

from fuyang_portal.models import Transition
from leaderboard import services
from leaderboard.models import ContestWeek, InspectionScore, UnitResult
from tests.factories import EnterpriseFactory, TownshipFactory, VillageFactory, agency_user, specialist_user, township_user
from tests.leaderboard.conftest import enter_deductions
from tests.leaderboard.factories import MONDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(contest, district):
    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    services.publish_week(week, district)
    return week


def test_public_lists_need_no_sign_in_and_show_red_black_and_movement(client, published, contest, district):
    response = client.get(reverse("leaderboard:public"))
    assert response.status_code == 200
    t = contest["towns"]
    assert [r.unit_id for r in response.context["red"]] == [t[0].pk, t[4].pk]
    assert [r.unit_id for r in response.context["black"]] == [t[3].pk, t[1].pk, t[2].pk]  # worst first, ties by name
    body = response.content.decode()
    lists = body[body.index("red-title") : body.index("<details")]
    assert t[0].name in lists and t[3].name in lists
    assert t[5].name not in lists  # too little data: on neither list, only in the full ranking
    assert t[5].name in body[body.index("<details") :]
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"] and response["Last-Modified"]
    client.force_login(district)
    signed_in = client.get(reverse("leaderboard:public"))
    assert "private" in signed_in["Cache-Control"] and "public" not in signed_in["Cache-Control"]
    week_url = published.get_public_url()
    assert client.get(week_url).status_code == 200


def test_the_next_week_shows_movement_arrows(client, published, contest, district):
    from datetime import timedelta

    from enterprises.models import Scale

    t = contest["towns"]
    second = MONDAY + timedelta(weeks=1)
    EnterpriseFactory(township=t[3], registered_headcount=1000, scale=Scale.SME)  # T4 climbs
    enter_deductions(contest, district, second)
    services.publish_week(services.compute_week("township", second, actor=district), district)
    response = client.get(reverse("leaderboard:public"))
    assert response.context["week"].week_start == second and response.context["older"] == MONDAY
    climbed = next(r for r in response.context["ranking"] if r.unit_id == t[3].pk)
    assert climbed.movement > 0
    assert f"▲{climbed.movement}" in response.content.decode()
    assert "▼" in response.content.decode()


def test_a_draft_is_not_public(client, contest, district):
    enter_deductions(contest, district, MONDAY)
    services.compute_week("township", MONDAY, actor=district)
    response = client.get(reverse("leaderboard:public-week", args=["township", MONDAY.isoformat()]))
    assert response.status_code == 404
    assert client.get(reverse("leaderboard:public")).context["week"] is None
    assert client.get(reverse("leaderboard:public-level", args=["county"])).status_code == 404


def test_public_page_query_count_does_not_grow_with_units(client, published, contest, district, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = published.get_public_url()
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(20):
        town = TownshipFactory()
        EnterpriseFactory(township=town, registered_headcount=5)
    UnitResult.objects.filter(week=published).update(list_mark="red")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


def test_district_sees_the_draft_and_recomputes_and_publishes_it(client, contest, district):
    enter_deductions(contest, district, MONDAY)
    client.force_login(district)
    response = client.post(reverse("leaderboard:compute"), {"level": "township", "week_start": MONDAY.isoformat()})
    week = ContestWeek.objects.get()
    assert response.status_code == 302 and response["Location"] == week.get_absolute_url()
    page = client.get(week.get_absolute_url())
    assert page.status_code == 200 and contest["towns"][0].name in page.content.decode()
    assert client.post(reverse("leaderboard:recompute", args=[week.pk])).status_code == 302
    client.post(reverse("leaderboard:publish", args=[week.pk]), {"comment": "ok"})
    week.refresh_from_db()
    assert week.status == "published"


def test_publishing_twice_by_page_shows_a_message_and_changes_nothing(client, published, district):
    client.force_login(district)
    transitions = Transition.objects.count()
    response = client.post(reverse("leaderboard:publish", args=[published.pk]), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Transition.objects.count() == transitions
    results = sorted(UnitResult.objects.filter(week=published).values_list("unit_id", "rank", "total"))
    response = client.post(reverse("leaderboard:recompute", args=[published.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Transition.objects.count() == transitions
    assert sorted(UnitResult.objects.filter(week=published).values_list("unit_id", "rank", "total")) == results


def test_a_computed_week_on_a_tuesday_is_refused_by_the_form(client, contest, district):
    client.force_login(district)
    response = client.post(reverse("leaderboard:compute"), {"level": "township", "week_start": "2020-02-04"})
    assert response.status_code == 400 and not ContestWeek.objects.exists()


@pytest.mark.parametrize("url_name", ["compute", "inspection-start"])
def test_the_district_offices_action_pages_are_forbidden_to_township_staff(client, contest, url_name):
    client.force_login(township_user(contest["towns"][0]))
    assert client.get(reverse(f"leaderboard:{url_name}")).status_code == 403


def test_the_lists_show_other_roles_what_they_see_and_no_action(client, published, contest, district):
    """Weeks, indicators and inspection scores are read from visible_to: published weeks and the township's
    own published figures; no button of an action the policy refuses them."""
    draft = services.compute_week("township", MONDAY + timedelta(weeks=1), actor=district)
    user = township_user(contest["towns"][0])
    client.force_login(user)
    weeks = client.get(reverse("leaderboard:weeks"))
    # The draft too: it ranks this township, which may object to its figures before it is published.
    assert weeks.status_code == 200 and [w.pk for w in weeks.context["table"].data] == [draft.pk, published.pk]
    assert reverse("leaderboard:compute") not in weeks.content.decode()
    indicators = client.get(reverse("leaderboard:indicators"))
    assert indicators.status_code == 200 and not indicators.context["level_forms"]
    assert "/manage/indicators/" + str(contest["indicators"][0].pk) not in indicators.content.decode()
    inspections = client.get(reverse("leaderboard:inspections"))
    assert [s.unit_id for s in inspections.context["table"].data] == [contest["towns"][0].pk]
    assert reverse("leaderboard:inspection-start") not in inspections.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 200
    client.force_login(specialist_user())
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(agency_user())
    assert client.get(reverse("leaderboard:inspections")).status_code == 403  # closed to agencies


def test_the_week_page_shows_only_the_actions_the_workflow_allows(client, published, contest, district):
    def forms(week):
        body = client.get(week.get_absolute_url()).content.decode()
        return [name for name in ("recompute", "publish", "correct") if f"/manage/weeks/{week.pk}/{name}/" in body]

    second_monday = MONDAY + timedelta(weeks=1)
    enter_deductions(contest, district, second_monday)
    draft = services.compute_week("township", second_monday, actor=district)
    client.force_login(district)
    assert forms(draft) == ["recompute", "publish"]
    assert forms(published) == ["correct"]
    correction = services.open_correction(published, district, "录入错误")
    assert forms(published) == []  # one correction at a time: the open draft is the one to correct
    assert forms(correction) == ["recompute", "publish"]
    client.force_login(township_user(contest["towns"][0]))
    page = client.get(published.get_absolute_url())
    assert forms(published) == [] and page.status_code == 200
    # The correction's draft is shown to the units it ranks, without an action.
    assert [r.pk for r in page.context["revisions"]] == [correction.pk, published.pk]
    assert not page.context["history"]  # the history is the district office's record
    assert client.get(correction.get_absolute_url()).status_code == 200 and forms(correction) == []
    client.force_login(specialist_user())
    assert client.get(correction.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("url_name", ["recompute", "publish", "correct"])
def test_a_week_action_by_the_wrong_role_is_refused_before_the_form_is_read(client, published, contest, district, url_name):
    draft = services.compute_week("township", MONDAY + timedelta(weeks=1), actor=district)
    transitions = Transition.objects.count()
    client.force_login(township_user(contest["towns"][0]))
    assert client.post(reverse(f"leaderboard:{url_name}", args=[published.pk]), {}).status_code == 403
    assert client.post(reverse(f"leaderboard:{url_name}", args=[draft.pk]), {}).status_code == 403  # a draft it may read
    client.force_login(specialist_user())
    assert client.post(reverse(f"leaderboard:{url_name}", args=[draft.pk]), {}).status_code == 404  # one it may not
    assert Transition.objects.count() == transitions


def test_township_user_cannot_edit_scores_by_page(client, contest):
    user = township_user(contest["towns"][0])
    client.force_login(user)
    url = reverse("leaderboard:inspection-sheet", args=["township", MONDAY.isoformat()])
    indicator = contest["indicators"][2]
    response = client.post(url, {f"v-{contest['towns'][0].pk}-{indicator.pk}": "5"})
    assert response.status_code == 403
    assert not InspectionScore.objects.exists()


def test_unit_page_trend_and_breakdown_for_district_and_own_township_only(client, published, contest, district):
    t = contest["towns"]
    url = reverse("leaderboard:unit", args=["township", t[0].pk])
    client.force_login(district)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="trend-data"' in body and "vendor/echarts/echarts.min.js" in body and "<script>" not in body
    client.force_login(township_user(t[0]))
    assert client.get(url).status_code == 200
    client.force_login(township_user(t[1]))
    assert client.get(url).status_code == 403  # published, so in scope; not theirs to open
    assert client.get(reverse("leaderboard:unit", args=["township", 999999])).status_code == 404
    client.force_login(agency_user())
    assert client.get(url).status_code == 403


def test_drill_down_lists_the_rows_behind_a_score(client, published, contest, district):
    t = contest["towns"]
    client.force_login(district)
    url = reverse("leaderboard:drill", args=["township", t[1].pk, published.pk, "individual"])
    response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 1  # one individual business of two firms: 1 / 2
    assert "1 / 2" in client.get(reverse("leaderboard:unit", args=["township", t[1].pk])).content.decode()
    # Township staff of another township cannot drill into it.
    client.force_login(township_user(t[0]))
    assert client.get(url).status_code == 403


def test_township_page_shows_own_breakdown_and_its_villages(client, published, contest, district):
    t = contest["towns"]
    VillageFactory(township=t[0])
    services.compute_week("village", MONDAY)
    client.force_login(township_user(t[0]))
    response = client.get(reverse("leaderboard:mine"))
    assert response.status_code == 200
    assert response.context["own"].unit_id == t[0].pk
    assert len(response.context["breakdown"]) == 3
    assert response.context["sections"][1]["week"] is None  # the village draft is not published: not shown


@pytest.mark.parametrize("page", ["week", "unit", "mine"])
def test_page_query_counts_do_not_grow_with_units(client, contest, district, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    enter_deductions(contest, district, MONDAY)
    week = services.compute_week("township", MONDAY, actor=district)
    services.publish_week(week, district)
    client.force_login(district if page != "mine" else township_user(contest["towns"][0]))

    def measure():
        current = ContestWeek.objects.published().get(level="township")
        url = {
            "week": reverse("leaderboard:week", args=[current.pk]),
            "unit": reverse("leaderboard:unit", args=["township", contest["towns"][0].pk]),
            "mine": reverse("leaderboard:mine"),
        }[page]
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = measure()
    correction = services.open_correction(week, district, "more units")
    for _ in range(15):
        town = TownshipFactory()
        EnterpriseFactory(township=town, registered_headcount=7)
        services.enter_inspection_score(district, level="township", week_start=MONDAY, unit_id=town.pk, indicator=contest["indicators"][2], value=1)
        VillageFactory(township=contest["towns"][0])
    services.compute_week("township", MONDAY, actor=district)
    services.publish_week(correction, district)
    assert UnitResult.objects.filter(week=correction).count() == 21
    assert measure() == small


def test_township_staff_drill_into_their_own_inspection_scores_only(client, published, contest):
    t = contest["towns"]
    client.force_login(township_user(t[0]))
    own = client.get(reverse("leaderboard:drill", args=["township", t[0].pk, published.pk, "deductions"]))
    assert own.status_code == 200 and len(own.context["rows"]) == 1
    from leaderboard.models import InspectionScore as Entered

    assert list(Entered.objects.visible_to(township_user(t[0])).values_list("unit_id", flat=True)) == [t[0].pk]
    assert not Entered.objects.visible_to(agency_user()).exists()
