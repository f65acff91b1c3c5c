"""The firm's own ``resumed_at``: written by the approval services with the approval's time, filled for existing
firms by migration 0010, and read by the firm list (its "resumed" column and filter) and the API instead of a
search of the approved requests."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as global_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enterprises import services
from enterprises.models import Enterprise, ResumptionStatus
from fuyang_portal import clock
from fuyang_portal.workflow import ActionRefused
from tests.enterprises.factories import ApprovedRequestFactory, ResumptionRequestFactory
from tests.factories import (
    EnterpriseFactory,
    TownshipFactory,
    district_user,
    enterprise_user,
    township_user,
)

pytestmark = pytest.mark.django_db


def submitted(firm):
    request = ResumptionRequestFactory(enterprise=firm)
    services.submit_resumption(request, enterprise_user(firm))
    return request


def resumed_at(firm):
    return Enterprise.objects.values_list("resumed_at", flat=True).get(pk=firm.pk)


def test_approving_a_request_records_when_the_firm_resumed():
    firm = EnterpriseFactory()
    request = submitted(firm)
    assert resumed_at(firm) is None
    services.approve_resumption(request, township_user(firm.township))
    request.refresh_from_db()
    assert request.status == ResumptionStatus.APPROVED
    assert resumed_at(firm) == request.approved_at


def test_a_returned_request_leaves_the_firm_not_resumed():
    firm = EnterpriseFactory()
    services.return_resumption(submitted(firm), township_user(firm.township), "缺少防疫方案")
    assert resumed_at(firm) is None


def test_a_refused_approval_changes_nothing():
    firm = EnterpriseFactory()
    request = submitted(firm)
    with pytest.raises(ActionRefused):
        services.approve_resumption(request, township_user())  # another township's reviewer
    assert resumed_at(firm) is None


def test_a_batch_approval_records_one_moment_for_every_firm_of_the_batch():
    township = TownshipFactory()
    firms = [EnterpriseFactory(township=township) for _ in range(3)]
    requests = [submitted(firm) for firm in firms[:2]]
    services.approve_resumptions(requests, township_user(township))
    moments = {firm.pk: resumed_at(firm) for firm in firms}
    assert moments[firms[0].pk] is not None and moments[firms[0].pk] == moments[firms[1].pk]
    assert moments[firms[2].pk] is None
    for request in requests:
        request.refresh_from_db()
        assert request.approved_at == moments[request.enterprise_id]


def test_the_migration_fills_resumed_at_from_the_approved_requests():
    resumed, returned, untouched = EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()
    approved = ApprovedRequestFactory(enterprise=resumed, approved_at=clock.now() - timedelta(days=3))
    ResumptionRequestFactory(enterprise=returned, status=ResumptionStatus.RETURNED)
    Enterprise.objects.update(resumed_at=None)  # as the column stands right after 0009 adds it
    migration = importlib.import_module("enterprises.migrations.0010_backfill_resumed_at")
    migration.fill_resumed_at(global_apps, None)
    assert resumed_at(resumed) == approved.approved_at
    assert resumed_at(returned) is None and resumed_at(untouched) is None


def test_the_list_shows_and_filters_the_flag_as_of_the_business_clock(client):
    township = TownshipFactory()
    early, late, never = (EnterpriseFactory(township=township, name=name) for name in ("甲厂", "乙厂", "丙厂"))
    now = clock.now()
    ApprovedRequestFactory(enterprise=early, approved_at=now - timedelta(days=1))
    ApprovedRequestFactory(enterprise=late, approved_at=now + timedelta(days=1))  # after the clock: not yet
    client.force_login(district_user())
    url = reverse("enterprises:list")
    page = client.get(url, {"township": township.pk})
    flags = {row.record.pk: row.record.resumed for row in page.context["table"].paginated_rows}
    assert flags == {early.pk: True, late.pk: False, never.pk: False}
    shown = lambda answer: {row.record.pk for row in answer.context["table"].paginated_rows}
    assert shown(client.get(url, {"township": township.pk, "resumed": "yes"})) == {early.pk}
    assert shown(client.get(url, {"township": township.pk, "resumed": "no"})) == {late.pk, never.pk}


def test_the_list_reads_the_column_not_the_requests(client):
    firm = EnterpriseFactory()
    ApprovedRequestFactory(enterprise=firm)
    client.force_login(district_user())
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("enterprises:list"), {"resumed": "yes"})
    firm_queries = [query["sql"] for query in captured.captured_queries if "enterprises_enterprise" in query["sql"]]
    assert firm_queries and not any("enterprises_resumptionrequest" in sql for sql in firm_queries)


def test_the_scale_generator_records_resumed_at_as_the_service_does():
    from bench.scale import Generator
    from enterprises.models import ResumptionRequest
    from fuyang_portal.demo import load_places

    load_places()
    Generator(40, seed=3).run()
    approved = dict(ResumptionRequest.objects.filter(status=ResumptionStatus.APPROVED).values_list("enterprise_id", "approved_at"))
    assert approved
    assert dict(Enterprise.objects.filter(resumed_at__isnull=False).values_list("pk", "resumed_at")) == approved
