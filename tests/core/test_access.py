"""The admin and the API answer only to those allowed."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import TownshipFactory, UserFactory, district_user, enterprise_user, township_user

pytestmark = pytest.mark.django_db


def test_the_admin_is_for_staff_accounts_only(client):
    client.force_login(district_user())
    assert client.get("/admin/").status_code == 302  # not staff: sent to the admin sign-in
    admin = UserFactory(role="district", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
    for model in ("user", "township", "agency", "communitygroup", "transition", "auditevent", "smsmessage"):
        assert client.get(f"/admin/fuyang_portal/{model}/").status_code == 200, model


def test_the_api_needs_a_signed_in_user(client):
    assert client.get("/api/v1/townships/").status_code in (401, 403)
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_a_token_authenticates_api_calls(client):
    user = township_user(township=TownshipFactory(name="富春街道"))
    token = Token.objects.create(user=user)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["role"] == "township" and response.json()["township"] == user.township_id


def test_an_unknown_object_in_the_api_answers_404(client):
    client.force_login(enterprise_user())
    assert client.get("/api/v1/townships/999999/").status_code == 404


def test_the_schema_and_offline_docs_are_served(client):
    client.force_login(district_user())
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/pairings/" in schema.content
    docs = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in docs and "cdn" not in docs.lower()
