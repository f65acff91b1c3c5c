"""This app's endpoints appear in the OpenAPI schema without warnings or errors."""

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.routers import DefaultRouter

from enterprises import api


@pytest.mark.django_db
def test_the_enterprises_endpoints_are_in_the_schema_without_warnings():
    router = DefaultRouter()
    api.register(router)
    GENERATOR_STATS._warn_cache.clear()
    GENERATOR_STATS._error_cache.clear()
    schema = SchemaGenerator(patterns=[path("api/v1/", include(router.urls))]).get_schema(request=None, public=True)
    assert not GENERATOR_STATS, (dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache))
    paths = schema["paths"]
    for route in (
        "/api/v1/enterprises/",
        "/api/v1/resumption-requests/{id}/submit/",
        "/api/v1/resumption-requests/{id}/approve/",
        "/api/v1/resumption-requests/{id}/return/",
        "/api/v1/headcount-reports/",
        "/api/v1/passes/{id}/approve/",
        "/api/v1/passes/{id}/revoke/",
    ):
        assert route in paths
    # the full ID number is write-only: never in a response schema
    assert "id_number" not in schema["components"]["schemas"]["Pass"]["properties"]
