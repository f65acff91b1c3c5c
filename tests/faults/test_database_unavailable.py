"""The database out of reach answers 503 with Retry-After, in the user's language, as a page or as the API's JSON
error, never a 500; whichever layer met the failure (a view, the session, the sign-in check)."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises import views as enterprise_views
from tests.factories import EnterpriseFactory, district_user, enterprise_user

pytestmark = pytest.mark.django_db


def unreachable(*args, **kwargs):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def test_a_page_answers_503_with_retry_after_in_chinese(monkeypatch, settings):
    browser = Client(raise_request_exception=False)
    browser.force_login(district_user())
    monkeypatch.setattr(enterprise_views.EnterpriseListView, "get", unreachable)
    response = browser.get(reverse("enterprises:list"))
    assert response.status_code == 503 and response["Retry-After"] == str(settings.RETRY_AFTER_SECONDS)
    assert "服务暂时不可用" in response.content.decode()


def test_a_page_answers_503_in_english_for_an_english_reader(monkeypatch):
    browser = Client(raise_request_exception=False, headers={"Accept-Language": "en"})
    browser.force_login(district_user())
    monkeypatch.setattr(enterprise_views.EnterpriseListView, "get", unreachable)
    response = browser.get(reverse("enterprises:list"))
    assert response.status_code == 503 and "Service briefly unavailable" in response.content.decode()


def test_the_api_answers_503_as_its_json_error(monkeypatch):
    from enterprises.api import EnterpriseViewSet

    client = APIClient(raise_request_exception=False)
    client.force_authenticate(enterprise_user(EnterpriseFactory()))
    monkeypatch.setattr(EnterpriseViewSet, "list", unreachable)
    response = client.get("/api/v1/enterprises/")
    assert response.status_code == 503 and "Retry-After" in response
    assert response.json()["code"] == "service_unavailable" and response.json()["detail"]


def test_a_failure_below_the_view_answers_503_too(monkeypatch):
    browser = Client(raise_request_exception=False)
    browser.force_login(district_user())
    monkeypatch.setattr(SessionStore, "load", unreachable)  # the session middleware meets it, before any view
    response = browser.get(reverse("home"))
    assert response.status_code == 503 and "Retry-After" in response


def test_other_errors_stay_500(monkeypatch):
    browser = Client(raise_request_exception=False)
    browser.force_login(district_user())

    def broken(*args, **kwargs):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(enterprise_views.EnterpriseListView, "get", broken)
    assert browser.get(reverse("enterprises:list")).status_code == 500


def test_the_schema_documents_503_and_429():
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    firms = schema["paths"]["/api/v1/enterprises/"]["get"]["responses"]
    assert {"429", "503"} <= set(firms)
