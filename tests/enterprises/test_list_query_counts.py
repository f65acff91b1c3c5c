"""Every list page runs the same number of queries whatever its row count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enterprises.models import ResumptionStatus
from tests.enterprises.factories import ApprovedRequestFactory, DailyReportFactory, ResumptionRequestFactory
from tests.factories import EnterpriseFactory, TownshipFactory, VillageFactory, enterprise_user, township_user

pytestmark = pytest.mark.django_db


def grow(township, size):
    for _ in range(size):
        firm = EnterpriseFactory(township=township, village=VillageFactory(township=township))
        ApprovedRequestFactory(enterprise=firm)
        ResumptionRequestFactory(enterprise=firm, status=ResumptionStatus.RETURNED, return_reason="x", submitted_at=timezone.now())
        DailyReportFactory(enterprise=firm, date=timezone.localdate() - timezone.timedelta(days=1))


@pytest.mark.parametrize("name", ["requests", "reports", "reports-latest", "reports-missing", "stats", "list"])
def test_township_list_pages_have_a_fixed_query_count(client, name):
    township = TownshipFactory()
    client.force_login(township_user(township))
    counts = []
    for size in (2, 15):
        grow(township, size)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"enterprises:{name}")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_enterprises_own_request_list_has_a_fixed_query_count(client):
    firm = EnterpriseFactory()
    client.force_login(enterprise_user(firm))
    counts = []
    for size in (1, 12):
        while firm.resumption_requests.count() < size:
            ResumptionRequestFactory(enterprise=firm)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("enterprises:requests")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
