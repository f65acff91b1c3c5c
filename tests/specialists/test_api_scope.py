"""Issue 19: the specialists' API answers like their pages — the same rows for each role, 404 on the same ids —
and the wrong role is refused (403) before any input is read."""

import pytest
from rest_framework.test import APIClient

from tests.factories import AgencyFactory, EnterpriseFactory, TownshipFactory, agency_user, district_user, enterprise_user, township_user

from .factories import AssignmentFactory, SpecialistFactory, raised_problem

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def rows(response):
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def world():
    """A township with a firm served by one of its specialists, an agency with another, and strangers."""
    township = TownshipFactory()
    agency = AgencyFactory()
    firm = EnterpriseFactory(township=township)
    serving = SpecialistFactory(townships=[township])
    AssignmentFactory(specialist=serving, enterprise=firm)
    of_agency = SpecialistFactory(agency=agency)
    elsewhere = SpecialistFactory(townships=[TownshipFactory()])
    return {
        "township": (township_user(township), {serving}),
        "agency": (agency_user(agency), {of_agency}),
        "firm": (enterprise_user(firm), {serving}),
    }, [serving, of_agency, elsewhere]


@pytest.mark.parametrize("role", ["township", "agency", "firm"])
def test_the_specialists_api_lists_only_the_users_scope(role):
    users, _everyone = world()
    user, expected = users[role]
    response = api(user).get("/api/v1/specialists/")
    assert response.status_code == 200
    assert {row["id"] for row in rows(response)} == {s.pk for s in expected}


@pytest.mark.parametrize("role", ["township", "agency", "firm"])
def test_page_and_api_answer_alike_for_every_specialist(client, role):
    users, everyone = world()
    user, expected = users[role]
    client.force_login(user)
    for specialist in everyone:
        page = client.get(f"/specialists/people/{specialist.pk}/").status_code
        detail = api(user).get(f"/api/v1/specialists/{specialist.pk}/").status_code
        assert page == detail == (200 if specialist in expected else 404), (role, specialist)


def test_the_district_office_sees_every_specialist_in_the_api():
    _users, everyone = world()
    assert {row["id"] for row in rows(api(district_user()).get("/api/v1/specialists/"))} == {s.pk for s in everyone}


def test_the_public_directory_stays_public_with_published_fields_only():
    SpecialistFactory(published_mobile="13700000009")
    response = APIClient().get("/api/v1/specialist-directory/")
    assert response.status_code == 200
    assert set(rows(response)[0]) == {"id", "name", "agency", "domains", "domain_codes", "townships", "published_mobile"}


ACTIONS = ["resolve", "escalate", "assign", "accept", "return", "extend", "decide-extension", "answer", "confirm", "reopen",
           "attach"]


@pytest.mark.parametrize("action", ACTIONS)
def test_an_empty_post_from_the_wrong_role_is_refused_before_it_is_validated(action):
    problem, _specialist = raised_problem()
    # The firm's township sees the problem and may take none of its actions.
    township = township_user(problem.enterprise.township)
    response = api(township).post(f"/api/v1/problems/{problem.pk}/{action}/", {})
    assert response.status_code == 403, (action, response.status_code, response.content)


def test_an_empty_post_on_the_page_from_the_wrong_role_is_403_too(client):
    problem, _specialist = raised_problem()
    client.force_login(township_user(problem.enterprise.township))
    for slug in ("resolve", "assign", "accept", "answer", "confirm", "extend", "reopen", "attach"):
        assert client.post(f"/specialists/problems/{problem.pk}/{slug}/", {}).status_code == 403, slug
