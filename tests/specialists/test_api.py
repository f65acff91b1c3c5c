"""The API: scoped by visible_to, actions through the services, refusals as 400/403/404/409."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from specialists.models import Problem, Visit
from tests.factories import AgencyFactory, EnterpriseFactory, TownshipFactory, agency_user, district_user, enterprise_user

from .factories import SpecialistFactory, served_firm

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_directory_is_public_and_shows_published_fields_only():
    township = TownshipFactory()
    SpecialistFactory(published_mobile="13700000001", domains=["passes"], townships=[township])
    SpecialistFactory(published_mobile="13700000002", domains=["water"], townships=[township])
    response = api().get("/api/v1/specialist-directory/", {"township": township.pk, "domain": "passes"})
    assert response.status_code == 200
    rows = response.json()["results"] if isinstance(response.json(), dict) else response.json()
    assert [row["published_mobile"] for row in rows] == ["13700000001"]
    assert set(rows[0]) == {"id", "name", "agency", "domains", "domain_codes", "townships", "published_mobile"}
    assert api().post("/api/v1/specialist-directory/", {}).status_code in (401, 403, 405)


def test_full_lifecycle_through_the_api():
    firm, specialist = served_firm()
    agency = AgencyFactory()
    clerk, district, owner = agency_user(agency), district_user(), enterprise_user(firm)
    created = api(specialist.user).post("/api/v1/visits/", {
        "enterprise": firm.pk, "visited_on": timezone.localdate().isoformat(), "mode": "phone", "checked_supplies": True,
        "problems_found": [{"category": "approvals", "description": "环评审批慢"}],
    }, format="json")
    assert created.status_code == 201, created.content
    visit = Visit.objects.get(pk=created.json()["id"])
    assert visit.checked_supplies and visit.problems.count() == 1
    pk = visit.problems.get().pk
    url = f"/api/v1/problems/{pk}/"
    assert api(specialist.user).post(url + "escalate/", {"text": "需要区里协调"}).status_code == 200
    assert api(district).post(url + "assign/", {"agency": agency.pk}).json()["status"] == "assigned"
    assert api(clerk).post(url + "accept/").json()["status"] == "accepted"
    assert api(clerk).post(url + "extend/", {"days": 2, "reason": "需会商"}).json()["extension"] == "requested"
    assert api(district).post(url + "decide-extension/", {"grant": True}).json()["extension"] == "granted"
    assert api(clerk).post(url + "answer/", {"text": "已加快审批"}).json()["status"] == "answered"
    assert api(owner).post(url + "reopen/", {"text": "还没批"}).json()["status"] == "accepted"
    assert api(clerk).post(url + "answer/", {"text": "已批复"}).json()["status"] == "answered"
    done = api(owner).post(url + "confirm/", {"rating": 5})
    assert done.json()["status"] == "confirmed" and done.json()["rating"] == 5


def test_api_refusals_map_to_status_codes_and_change_nothing():
    firm, specialist = served_firm()
    agency = AgencyFactory()
    district = district_user()
    problem = api(specialist.user).post("/api/v1/problems/", {"enterprise": firm.pk, "category": "funds", "description": "贷款"}).json()
    url = f"/api/v1/problems/{problem['id']}/"
    api(specialist.user).post(url + "escalate/")
    assert api(district).post(url + "assign/", {"agency": 987654}).status_code == 400
    assert api(district).post(url + "assign/", {"agency": agency.pk, "deadline": "2020-01-01"}).status_code == 400
    assert api(agency_user(agency)).post(url + "assign/", {"agency": agency.pk}).status_code == 404  # not theirs yet
    assert Problem.objects.get(pk=problem["id"]).status == "escalated"
    api(district).post(url + "assign/", {"agency": agency.pk})
    assert api(agency_user(AgencyFactory())).post(url + "accept/").status_code == 404
    clerk = agency_user(agency)
    api(clerk).post(url + "accept/")
    assert api(clerk).post(url + "answer/", {"text": "一"}).status_code == 200
    assert api(clerk).post(url + "answer/", {"text": "二"}).status_code == 409
    owner = enterprise_user(firm)
    assert api(owner).post(url + "confirm/", {"rating": 6}).status_code == 400
    assert api(owner).post(url + "confirm/", {"rating": "abc"}).status_code == 400
    assert api(enterprise_user(EnterpriseFactory())).post(url + "confirm/", {"rating": 5}).status_code == 404
    row = Problem.objects.get(pk=problem["id"])
    assert row.status == "answered" and row.answer == "一" and row.rating is None


def test_a_specialist_cannot_post_a_visit_to_a_firm_not_assigned_to_them():
    _firm, specialist = served_firm()
    other = EnterpriseFactory()
    response = api(specialist.user).post("/api/v1/visits/", {"enterprise": other.pk, "mode": "on_site"}, format="json")
    assert response.status_code == 400 and Visit.objects.count() == 0


def test_a_malformed_attachment_is_refused_by_the_api():
    firm, specialist = served_firm()
    problem = api(specialist.user).post("/api/v1/problems/", {"enterprise": firm.pk, "category": "funds", "description": "x"}).json()
    bad = SimpleUploadedFile("a.png", b"GIF89a not a png", content_type="image/png")
    response = api(specialist.user).post(f"/api/v1/problems/{problem['id']}/attach/", {"file": bad}, format="multipart")
    assert response.status_code == 400
    good = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png")
    response = api(specialist.user).post(f"/api/v1/problems/{problem['id']}/attach/", {"file": good}, format="multipart")
    assert response.status_code == 200 and response.json()["attachments"] == ["a.png"]


def test_lists_are_scoped():
    firm, specialist = served_firm()
    other_firm, other = served_firm()
    api(specialist.user).post("/api/v1/problems/", {"enterprise": firm.pk, "category": "funds", "description": "x"})
    api(other.user).post("/api/v1/problems/", {"enterprise": other_firm.pk, "category": "funds", "description": "y"})
    for user, expected in ((specialist.user, 1), (enterprise_user(firm), 1), (district_user(), 2), (agency_user(), 0)):
        body = api(user).get("/api/v1/problems/").json()
        rows = body["results"] if isinstance(body, dict) else body
        assert len(rows) == expected
    assert api().get("/api/v1/problems/").status_code in (401, 403)


def test_assignments_through_the_api():
    firm = EnterpriseFactory()
    specialist = SpecialistFactory()
    township_staff_elsewhere = district_user()
    created = api(township_staff_elsewhere).post("/api/v1/specialist-assignments/", {"specialist": specialist.pk, "enterprise": firm.pk})
    assert created.status_code == 201
    again = api(township_staff_elsewhere).post("/api/v1/specialist-assignments/", {"specialist": specialist.pk, "enterprise": firm.pk})
    assert again.status_code == 409
    assert api(specialist.user).post(f"/api/v1/specialist-assignments/{created.json()['id']}/end/").status_code == 403
