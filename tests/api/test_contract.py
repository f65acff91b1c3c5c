"""An API that tools consume as it is: one request body type per operation (JSON, multipart only where a file is
sent), the token operation open with its real answers, and the API under /api/v1/ with the old paths redirected."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import EnterpriseFactory, enterprise_user

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/v1/schema/", {"format": "json"}).json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_takes_one_body_type_and_files_only_as_multipart(schema):
    bodies = {}
    for path, method, operation in operations(schema):
        content = operation.get("requestBody", {}).get("content", {})
        assert len(content) <= 1, (method, path, list(content))
        bodies[(method, path)] = next(iter(content), None)
    assert set(bodies.values()) == {None, "application/json", "multipart/form-data"}
    assert bodies[("post", "/api/v1/subsidy-claims/")] == "multipart/form-data"  # the invoice image
    assert bodies[("post", "/api/v1/headcount-reports/")] == "application/json"


def test_the_token_operation_is_anonymous_with_its_real_answers(schema):
    token = schema["paths"]["/api/v1/token/"]["post"]
    assert token.get("security") in (None, [], [{}]) and not schema.get("security")  # no credentials asked
    assert {"200", "400", "429"} <= set(token["responses"])
    assert not {"401", "403", "404"} & set(token["responses"])


def test_every_path_is_versioned(schema):
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    assert reverse("api-token") == "/api/v1/token/"


def test_the_old_paths_redirect_keeping_method_and_body():
    client = APIClient()
    client.force_authenticate(enterprise_user(EnterpriseFactory()))
    moved = client.get("/api/enterprises/?page=1")
    assert moved.status_code == 308 and moved["Location"] == "/api/v1/enterprises/?page=1"
    assert moved["Deprecation"] == "true" and moved["Sunset"]
    posted = client.post("/api/headcount-reports/", {"staff_on_site": 4, "staff_away": 0, "capacity_percent": 50}, follow=True)
    assert posted.status_code == 201


def test_a_form_body_is_refused_with_415_where_json_is_read():
    client = APIClient()
    client.force_authenticate(enterprise_user(EnterpriseFactory()))
    response = client.post("/api/v1/headcount-reports/", {"staff_on_site": 4}, format="multipart")
    assert response.status_code == 415
