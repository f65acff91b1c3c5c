"""The contest's API: published weeks, results and scores for the public; drafts and actions for the
district office only; refusals answer 403/409/400 and change nothing."""

import pytest
from rest_framework.test import APIClient

from leaderboard import services
from leaderboard.models import ContestWeek, Score, UnitResult
from tests.factories import township_user
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


def test_the_public_sees_published_weeks_results_and_scores_only(api, draft, district):
    assert api.get("/api/leaderboard/weeks/").json()["count"] == 0
    assert api.get("/api/leaderboard/results/").json()["count"] == 0
    assert api.get("/api/leaderboard/scores/").json()["count"] == 0
    assert api.get(f"/api/leaderboard/weeks/{draft.pk}/").status_code == 404
    services.publish_week(draft, district)
    weeks = api.get("/api/leaderboard/weeks/").json()
    assert [w["id"] for w in weeks["results"]] == [draft.pk]
    results = api.get("/api/leaderboard/results/", {"week": draft.pk}).json()
    assert results["count"] == 6 and results["results"][0]["rank"] == 1
    scores = api.get("/api/leaderboard/scores/", {"week": draft.pk, "unit_id": results["results"][0]["unit_id"]}).json()
    assert {s["indicator_code"] for s in scores["results"]} == {"headcount", "individual", "deductions"}
    assert len(api.get("/api/leaderboard/levels/").json()) == 3


def test_district_sees_drafts_and_computes_recomputes_and_publishes(api, contest, district):
    enter_deductions(contest, district, MONDAY)
    api.force_authenticate(district)
    created = api.post("/api/leaderboard/weeks/compute/", {"level": "township", "week_start": MONDAY.isoformat()}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api.get("/api/leaderboard/weeks/").json()["count"] == 1
    assert api.post(f"/api/leaderboard/weeks/{pk}/recompute/").status_code == 200
    published = api.post(f"/api/leaderboard/weeks/{pk}/publish/", {"comment": "ok"}, format="json")
    assert published.status_code == 200 and published.json()["status"] == "published"
    # Publishing twice and recomputing a published week: 409, nothing changed.
    before = sorted(UnitResult.objects.values_list("unit_id", "rank", "total"))
    assert api.post(f"/api/leaderboard/weeks/{pk}/publish/").status_code == 409
    assert api.post(f"/api/leaderboard/weeks/{pk}/recompute/").status_code == 409
    assert sorted(UnitResult.objects.values_list("unit_id", "rank", "total")) == before
    correction = api.post(f"/api/leaderboard/weeks/{pk}/correct/", {"reason": "录入错误"}, format="json")
    assert correction.status_code == 201 and correction.json()["revision"] == 2


def test_township_staff_and_anonymous_cannot_act(api, draft, contest):
    assert api.post(f"/api/leaderboard/weeks/{draft.pk}/publish/").status_code in (401, 403)
    api.force_authenticate(township_user(contest["towns"][0]))
    assert api.post(f"/api/leaderboard/weeks/{draft.pk}/recompute/").status_code == 403
    assert api.post("/api/leaderboard/weeks/compute/", {"level": "township", "week_start": MONDAY.isoformat()}, format="json").status_code == 403
    assert api.get("/api/leaderboard/scores/").json()["count"] == 0  # drafts are the district's
    draft.refresh_from_db()
    assert draft.status == ContestWeek.Status.DRAFT and Score.objects.filter(week=draft).count() == 18


def test_bad_input_answers_400(api, contest, district):
    api.force_authenticate(district)
    assert api.post("/api/leaderboard/weeks/compute/", {"level": "township", "week_start": "2020-02-04"}, format="json").status_code == 400
    assert api.post("/api/leaderboard/weeks/compute/", {"level": "county", "week_start": "2020-02-03"}, format="json").status_code == 400
    assert not ContestWeek.objects.exists()


def test_the_schema_lists_the_contest_endpoints(api):
    schema = api.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"] if schema["Content-Type"].startswith("application/json") else {}
    if not paths:
        import yaml

        paths = yaml.safe_load(schema.content)["paths"]
    for path in ("/api/leaderboard/weeks/", "/api/leaderboard/weeks/{id}/publish/", "/api/leaderboard/weeks/{id}/recompute/", "/api/leaderboard/scores/", "/api/leaderboard/levels/"):
        assert path in paths
