"""A client generated from the published schema by a common generator (openapi-python-client) imports whole and
works as each role against a running portal: a token from the anonymous token operation, a list, a record, a
create, a workflow step, and a refusal, each parsed into the generated models."""

import importlib
import os
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from django.utils import timezone

from enterprises.models import ResumptionStatus
from tests.enterprises.factories import ResumptionRequestFactory
from fuyang_portal import second_factor
from tests.factories import EnterpriseFactory, agency_user, code_of, district_user, enrolled, enterprise_user, township_user
from tests.specialists.factories import served_firm

PASSWORD = "Correct-Horse-42"  # tests/factories.py
PACKAGE = "portal_api_client"
# The generator has no model for a spreadsheet answer; it takes it as the bytes it is.
CONFIG = "content_type_overrides:\n  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream\n"


@pytest.fixture(scope="module")
def generated(tmp_path_factory, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        schema = Client().get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    folder = tmp_path_factory.mktemp("client")
    (folder / "schema.json").write_bytes(schema.content)
    (folder / "config.yaml").write_text(CONFIG)
    bin_dir = Path(sys.executable).parent
    generator = shutil.which("openapi-python-client", path=str(bin_dir)) or shutil.which("openapi-python-client")
    assert generator, "openapi-python-client is a test dependency (pyproject.toml)"
    run = subprocess.run(
        [generator, "generate", "--path", "schema.json", "--config", "config.yaml", "--output-path", PACKAGE, "--meta", "none"],
        cwd=folder, capture_output=True, text=True, timeout=300, env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Warning" not in run.stdout, run.stdout
    sys.path.insert(0, str(folder))
    yield importlib.import_module(PACKAGE)
    sys.path.remove(str(folder))
    for name in [name for name in sys.modules if name.startswith(PACKAGE)]:
        del sys.modules[name]


def test_every_generated_module_imports(generated):
    import pkgutil

    names = [module.name for module in pkgutil.walk_packages(generated.__path__, PACKAGE + ".")]
    assert len(names) > 100
    for name in names:
        importlib.import_module(name)


def _operation(name):
    return importlib.import_module(f"{PACKAGE}.api.{name}")


def _call(name, client, body=None, **kwargs):
    """Call an operation; a body is built as the operation's own generated model, from a dict."""
    operation = _operation(name)
    if body is not None:
        model = typing.get_type_hints(operation._get_kwargs)["body"]
        kwargs["body"] = model.from_dict(body)
    return operation.sync_detailed(client=client, **kwargs)


def _signed_in(generated, base_url, user):
    anonymous = generated.Client(base_url=base_url, raise_on_unexpected_status=True)
    credentials = {"username": user.username, "password": PASSWORD}
    if second_factor.required(user):
        credentials["otp"] = code_of(enrolled(user))
    answer = _call("token.token_create", anonymous, credentials)
    assert answer.status_code == 200, answer.content
    return generated.AuthenticatedClient(base_url=base_url, token=answer.parsed.token, prefix="Token")


@pytest.mark.django_db(transaction=True)
def test_each_role_works_through_the_generated_client(generated, live_server):
    base = live_server.url
    anonymous = generated.Client(base_url=base)
    refused = _call("token.token_create", anonymous, {"username": "nobody", "password": "wrong-password"})
    assert refused.status_code == 400 and refused.parsed.detail

    # A firm: who am I, today's headcount report (create), then the report itself; a second one is refused.
    firm = EnterpriseFactory()
    client = _signed_in(generated, base, enterprise_user(firm))
    assert _call("me.me_retrieve", client).parsed.username
    created = _call("headcount_reports.headcount_reports_create", client, {"staff_on_site": 40, "staff_away": 3, "capacity_percent": 80})
    assert created.status_code == 201, created.content
    report = _call("headcount_reports.headcount_reports_retrieve", client, id=created.parsed.id).parsed
    assert report.staff_on_site == 40
    again = _call("headcount_reports.headcount_reports_create", client, {"staff_on_site": 41, "staff_away": 3, "capacity_percent": 80})
    assert again.status_code in (400, 409) and again.parsed.detail

    # A township: its queue, a submitted request approved (a workflow step), approved twice refused (409).
    request = ResumptionRequestFactory(enterprise=firm, status=ResumptionStatus.SUBMITTED, submitted_at=timezone.now())
    client = _signed_in(generated, base, township_user(firm.township))
    listed = _call("resumption_requests.resumption_requests_list", client).parsed
    assert request.pk in [row.id for row in listed.results]
    approved = _call("resumption_requests.resumption_requests_approve_create", client, id=request.pk)
    assert approved.status_code == 200 and approved.parsed.status == ResumptionStatus.APPROVED
    twice = _call("resumption_requests.resumption_requests_approve_create", client, id=request.pk)
    assert twice.status_code == 409 and twice.parsed.detail

    # A specialist: a problem raised for its firm (create); another firm's record is not found.
    served, specialist = served_firm()
    client = _signed_in(generated, base, specialist.user)
    raised = _call("problems.problems_create", client, {"enterprise": served.pk, "category": "funds", "description": "流动资金紧张"})
    assert raised.status_code == 201, raised.content
    assert _call("problems.problems_retrieve", client, id=raised.parsed.id).parsed.enterprise == served.pk
    assert _call("enterprises.enterprises_retrieve", client, id=firm.pk).status_code == 404

    # An agency: problems in its scope list; the charter claims are not its business (403).
    client = _signed_in(generated, base, agency_user())
    assert _call("problems.problems_list", client).status_code == 200
    assert _call("subsidy_claims.subsidy_claims_list", client).status_code == 403

    # The district office: the firm list and a firm; filing a firm's own report is not its part (403).
    client = _signed_in(generated, base, district_user())
    firms = _call("enterprises.enterprises_list", client).parsed
    assert firm.pk in [row.id for row in firms.results]
    assert _call("enterprises.enterprises_retrieve", client, id=firm.pk).parsed.name == firm.name
    assert _call("headcount_reports.headcount_reports_create", client, {"staff_on_site": 1, "staff_away": 0, "capacity_percent": 10}).status_code == 403
