"""The contest's API: published weeks, results and scores for every signed-in role; drafts and actions for
the district office only; the policy answers (403/404) before any input is read; refusals answer
403/409/400 and change nothing."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from fuyang_portal.models import Township
from rest_framework.test import APIClient

from fuyang_portal import clock
from leaderboard import services
from leaderboard.models import ContestWeek, Score, UnitResult
from tests.factories import agency_user, enterprise_user, specialist_user, township_user
from tests.leaderboard.conftest import enter_deductions
from tests.leaderboard.factories import MONDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def draft(contest, district):
    enter_deductions(contest, district, MONDAY)
    return services.compute_week("township", MONDAY, actor=district)


def test_signed_in_roles_see_published_weeks_results_and_scores_only(api, draft, district, contest):
    """A specialist sees nothing of a draft; the township it ranks sees the draft and its own rows only (to object)."""
    api.force_authenticate(specialist_user())
    assert api.get("/api/v1/leaderboard/weeks/").json()["count"] == 0
    assert api.get("/api/v1/leaderboard/results/").json()["count"] == 0
    assert api.get("/api/v1/leaderboard/scores/").json()["count"] == 0
    assert api.get(f"/api/v1/leaderboard/weeks/{draft.pk}/").status_code == 404
    user = township_user(contest["towns"][0])
    api.force_authenticate(user)
    assert api.get(f"/api/v1/leaderboard/weeks/{draft.pk}/").status_code == 200
    assert {r["unit_id"] for r in api.get("/api/v1/leaderboard/results/").json()["results"]} == {contest["towns"][0].pk}
    assert api.get("/api/v1/leaderboard/scores/").json()["count"] == 3
    for town in Township.objects.exclude(pk__in=[t.pk for t in contest["towns"]]):  # the users' factories made more
        services.enter_inspection_score(district, level="township", week_start=MONDAY, unit_id=town.pk, indicator=contest["indicators"][2], value=0)
    draft = services.compute_week("township", MONDAY, actor=district)
    services.publish_week(draft, district)
    weeks = api.get("/api/v1/leaderboard/weeks/").json()
    assert [w["id"] for w in weeks["results"]] == [draft.pk]
    results = api.get("/api/v1/leaderboard/results/", {"week": draft.pk}).json()
    assert results["count"] == Township.objects.count() and results["results"][0]["rank"] == 1
    scores = api.get("/api/v1/leaderboard/scores/", {"week": draft.pk, "unit_id": results["results"][0]["unit_id"]}).json()
    assert {s["indicator_code"] for s in scores["results"]} == {"headcount", "individual", "deductions"}
    assert len(api.get("/api/v1/leaderboard/levels/").json()) == 3


def test_the_api_needs_a_sign_in_the_public_lists_are_a_page(api, draft, district, client):
    services.publish_week(draft, district)
    for path in ("weeks/", f"weeks/{draft.pk}/", "results/", "scores/", "levels/", "indicators/"):
        assert api.get(f"/api/v1/leaderboard/{path}").status_code in (401, 403)
    assert client.get(draft.get_public_url()).status_code == 200


def test_a_hidden_draft_answers_like_a_missing_week_in_the_filters(api, draft, contest):
    api.force_authenticate(specialist_user())
    for path in ("/api/v1/leaderboard/results/", "/api/v1/leaderboard/scores/"):
        hidden = api.get(path, {"week": draft.pk})
        missing = api.get(path, {"week": draft.pk + 1000})
        assert hidden.status_code == missing.status_code == 400
        assert hidden.json() == {"week": [m.replace(str(draft.pk + 1000), str(draft.pk)) for m in missing.json()["week"]]}


def test_an_empty_post_by_the_wrong_role_answers_403_or_404_before_400(api, draft, district, contest):
    published = services.publish_week(draft, district)
    second = services.compute_week("township", MONDAY + timedelta(weeks=1), actor=district)  # a draft
    for user in (township_user(contest["towns"][0]), agency_user(), specialist_user(), enterprise_user()):
        api.force_authenticate(user)
        assert api.post("/api/v1/leaderboard/weeks/compute/", {}, format="json").status_code == 403
        readable = ContestWeek.objects.visible_to(user).filter(pk=second.pk).exists()  # the township it ranks reads it
        for action in ("recompute", "publish", "correct"):
            assert api.post(f"/api/v1/leaderboard/weeks/{published.pk}/{action}/", {}, format="json").status_code == 403
            assert api.post(f"/api/v1/leaderboard/weeks/{second.pk}/{action}/", {}, format="json").status_code == (403 if readable else 404)
    api.force_authenticate(district)
    assert api.post(f"/api/v1/leaderboard/weeks/{published.pk}/correct/", {}, format="json").status_code == 400
    assert api.post("/api/v1/leaderboard/weeks/compute/", {}, format="json").status_code == 400
    assert ContestWeek.objects.count() == 2


def test_district_sees_drafts_and_computes_recomputes_and_publishes(api, contest, district):
    enter_deductions(contest, district, MONDAY)
    api.force_authenticate(district)
    created = api.post("/api/v1/leaderboard/weeks/compute/", {"level": "township", "week_start": MONDAY.isoformat()}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api.get("/api/v1/leaderboard/weeks/").json()["count"] == 1
    assert api.post(f"/api/v1/leaderboard/weeks/{pk}/recompute/").status_code == 200
    published = api.post(f"/api/v1/leaderboard/weeks/{pk}/publish/", {"comment": "ok"}, format="json")
    assert published.status_code == 200 and published.json()["status"] == "published"
    # Publishing twice and recomputing a published week: 409, nothing changed.
    before = sorted(UnitResult.objects.values_list("unit_id", "rank", "total"))
    assert api.post(f"/api/v1/leaderboard/weeks/{pk}/publish/").status_code == 409
    assert api.post(f"/api/v1/leaderboard/weeks/{pk}/recompute/").status_code == 409
    assert sorted(UnitResult.objects.values_list("unit_id", "rank", "total")) == before
    correction = api.post(f"/api/v1/leaderboard/weeks/{pk}/correct/", {"reason": "录入错误"}, format="json")
    assert correction.status_code == 201 and correction.json()["revision"] == 2


def test_township_staff_and_anonymous_cannot_act(api, draft, contest):
    assert api.post(f"/api/v1/leaderboard/weeks/{draft.pk}/publish/").status_code in (401, 403)
    api.force_authenticate(township_user(contest["towns"][0]))
    assert api.post(f"/api/v1/leaderboard/weeks/{draft.pk}/recompute/").status_code == 403  # it reads the draft, may not act
    assert api.post("/api/v1/leaderboard/weeks/compute/", {"level": "township", "week_start": MONDAY.isoformat()}, format="json").status_code == 403
    assert api.get("/api/v1/leaderboard/scores/").json()["count"] == 3  # its own unit's figures, to object to
    draft.refresh_from_db()
    assert draft.status == ContestWeek.Status.DRAFT and Score.objects.filter(week=draft).count() == 18


def test_bad_input_answers_400(api, contest, district):
    api.force_authenticate(district)
    assert api.post("/api/v1/leaderboard/weeks/compute/", {"level": "township", "week_start": "2020-02-04"}, format="json").status_code == 400
    assert api.post("/api/v1/leaderboard/weeks/compute/", {"level": "county", "week_start": "2020-02-03"}, format="json").status_code == 400
    with clock.at(datetime(2020, 2, 24, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        # A week that has not started by the business clock: refused by the service, as on the page.
        future = api.post("/api/v1/leaderboard/weeks/compute/", {"level": "township", "week_start": "2020-03-02"}, format="json")
    assert future.status_code == 400 and future.json()["code"] == "invalid"
    assert not ContestWeek.objects.exists()


def test_the_schema_lists_the_contest_endpoints(api):
    schema = api.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"] if schema["Content-Type"].startswith("application/json") else {}
    if not paths:
        import yaml

        paths = yaml.safe_load(schema.content)["paths"]
    for path in ("/api/v1/leaderboard/weeks/", "/api/v1/leaderboard/weeks/{id}/publish/", "/api/v1/leaderboard/weeks/{id}/recompute/", "/api/v1/leaderboard/scores/", "/api/v1/leaderboard/levels/"):
        assert path in paths


def test_the_page_and_the_api_answer_alike_for_each_week_and_role(api, client, draft, district, contest):
    published = services.publish_week(draft, district)
    second = services.compute_week("township", MONDAY + timedelta(weeks=1), actor=district)
    for user in (district, township_user(contest["towns"][0]), agency_user(), specialist_user(), enterprise_user()):
        client.force_login(user)
        api.force_authenticate(user)
        for week in (published, second):
            page = client.get(week.get_absolute_url()).status_code
            assert page == api.get(f"/api/v1/leaderboard/weeks/{week.pk}/").status_code, (user.role, week.status)
            ranked = user.role in ("district", "township")  # the draft is shown to the units it ranks (townships here)
            assert page == (200 if week == published or ranked else 404)
