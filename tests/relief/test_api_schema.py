"""The relief endpoints appear in the OpenAPI schema without warnings or errors; the upload declares multipart."""

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.routers import DefaultRouter

from relief import api


@pytest.mark.django_db
def test_the_relief_endpoints_are_in_the_schema_without_warnings():
    router = DefaultRouter()
    api.register(router)
    GENERATOR_STATS._warn_cache.clear()
    GENERATOR_STATS._error_cache.clear()
    schema = SchemaGenerator(patterns=[path("api/v1/", include(router.urls))]).get_schema(request=None, public=True)
    assert not GENERATOR_STATS, (dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache))
    paths = schema["paths"]
    for route in (
        "/api/v1/relief-policies/", "/api/v1/relief-policies/{id}/publish/", "/api/v1/relief-policies/{id}/revise/",
        "/api/v1/relief-eligibility/{id}/", "/api/v1/relief-awards/{id}/confirm/", "/api/v1/relief-awards/batch/",
        "/api/v1/relief-applications/{id}/attach/", "/api/v1/relief-applications/{id}/district-approve/",
    ):
        assert route in paths, route
    assert list(paths["/api/v1/relief-applications/{id}/attach/"]["post"]["requestBody"]["content"]) == ["multipart/form-data"]
