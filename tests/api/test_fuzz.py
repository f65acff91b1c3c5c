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
from tests.security.world import api_ids, build_world, side_objects

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# What every answer must satisfy. Schema-valid values may still be refused (an id that names no record,
# a filter on another township), so acceptance of positive data is not required.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
PORTAL_APPS = {"fuyang_portal", "enterprises", "specialists", "subsidies", "leaderboard", "authtoken"}
# A refused sign-in is itself recorded (audit log, lockout counter); that is not a change of data.
RECORDS_OF_REFUSALS = {apps.get_model("fuyang_portal", "AuditEvent")}
ROLES = ("district", "township", "agency", "specialist", "enterprise")
SENT = []  # status codes of every request sent, for the run's summary (tests/api/conftest.py)


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
def world(db, keep_connection):
    """Realistic data in every role's scope (tests/security/world.py): two townships, each with a firm, its
    requests, passes, visits, problems, claims and a payout batch, and a published contest week. Each role's
    token belongs to a user of the first township, so its own records are in scope and the second's are not."""
    users, ours, _theirs, shared = build_world()
    tokens = {role: Token.objects.create(user=users[role]).key for role in ROLES}
    return tokens, side_objects(ours), shared


@pytest.mark.fuzz
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, phases=[Phase.generate])
def test_the_api_never_fails_and_refusals_change_nothing(case, world):
    """Each generated request is sent as every role in turn: with its generated ids, and again aimed at a real
    record of the role's own scope, so that the generated bodies meet real rows."""
    tokens, own, shared = world
    writes = case.method.upper() in {"POST", "PUT", "PATCH", "DELETE"}
    generated = dict(case.path_parameters or {})
    real = api_ids(case.operation.path, own, shared) if generated else {}
    variants = [generated] + ([{name: real[name] for name in generated}] if generated else [])
    try:
        for role in ROLES:
            for parameters in variants:
                case.path_parameters = dict(parameters)
                headers = {"Authorization": f"Token {tokens[role]}", "Accept-Language": "zh-hans"}
                before = fingerprint() if writes else None
                response = case.call(headers=headers)
                SENT.append(response.status_code)
                case.validate_response(response, checks=CHECKS)
                if writes and response.status_code >= 400:
                    assert fingerprint() == before, f"{case.method} {case.formatted_path} as {role} answered {response.status_code} but changed data"
    finally:
        case.path_parameters = generated
