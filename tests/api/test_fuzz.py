"""API fuzzing: schemathesis generates requests from the portal's own OpenAPI schema and sends them as each
role. No request may cause a server error, every response must match the schema, and a refused write must
change nothing."""

import hashlib
import os

import pytest
import schemathesis
from django.apps import apps
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from rest_framework.authtoken.models import Token

from fuyang_portal.wsgi import application
from tests.factories import (
    AgencyFactory,
    EnterpriseFactory,
    TownshipFactory,
    agency_user,
    district_user,
    enterprise_user,
    specialist_user,
    township_user,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# What every answer must satisfy. Schema-valid values may still be refused (an id that names no record,
# a filter on another township), so acceptance of positive data is not required.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
PORTAL_APPS = {"fuyang_portal", "enterprises", "specialists", "subsidies", "leaderboard", "authtoken"}
# A refused sign-in is itself recorded (audit log, lockout counter); that is not a change of data.
RECORDS_OF_REFUSALS = {apps.get_model("fuyang_portal", "AuditEvent")}
ROLES = ("district", "township", "agency", "specialist", "enterprise")


def _schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = application
    return loaded


schema = _schema()


def fingerprint():
    """Row counts of every table and the states of every record that has one."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label not in PORTAL_APPS or model in RECORDS_OF_REFUSALS:
            continue
        manager = model._base_manager
        digest.update(f"{model._meta.label}:{manager.count()}".encode())
        if any(field.name == "status" for field in model._meta.concrete_fields):
            digest.update(repr(list(manager.order_by("pk").values_list("pk", "status"))).encode())
    return digest.hexdigest()


@pytest.fixture
def keep_connection():
    """Requests go straight to the WSGI app, whose request signals would close the test's database
    connection (and its transaction); Django's own test client detaches them the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db, keep_connection):
    township = TownshipFactory()
    agency = AgencyFactory(paired_township=township)
    firm = EnterpriseFactory(township=township)
    EnterpriseFactory(township=TownshipFactory())
    users = {
        "district": district_user(),
        "township": township_user(township),
        "agency": agency_user(agency),
        "specialist": specialist_user(agency),
        "enterprise": enterprise_user(firm),
    }
    return {role: Token.objects.create(user=user).key for role, user in users.items()}


@pytest.mark.fuzz
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, phases=[Phase.generate])
def test_the_api_never_fails_and_refusals_change_nothing(case, tokens):
    """Each generated request is sent as every role in turn."""
    writes = case.method.upper() in {"POST", "PUT", "PATCH", "DELETE"}
    for role in ROLES:
        headers = {"Authorization": f"Token {tokens[role]}", "Accept-Language": "zh-hans"}
        before = fingerprint() if writes else None
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)
        if writes and response.status_code >= 400:
            assert fingerprint() == before, f"{case.method} {case.formatted_path} as {role} answered {response.status_code} but changed data"
