"""List pages: fixed query counts, csv/xlsx exports that cannot carry formulas, exports audited."""

import io

import openpyxl
import pytest
from django.urls import reverse

from fuyang_portal.exports import neutralise
from fuyang_portal.models import AuditEvent
from tests.factories import administrator, AgencyFactory, CommunityGroupFactory, TownshipFactory, VillageFactory, district_user

pytestmark = pytest.mark.django_db


def _populate(n):
    for _ in range(n):
        township = TownshipFactory()
        VillageFactory(township=township)
        AgencyFactory(paired_township=township)
        CommunityGroupFactory(community__township=township)


@pytest.mark.parametrize("url_name", ["places:townships", "places:agencies", "audit"])
def test_list_pages_run_the_same_number_of_queries_whatever_their_size(client, django_assert_num_queries, url_name):
    user = administrator() if url_name == "audit" else district_user()
    client.force_login(user)
    _populate(3)
    client.get(reverse(url_name))  # warm up: content types, session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(url_name)).status_code == 200
    _populate(30)
    client.get(reverse(url_name))  # warm up: reference lists changed by the new rows are read again once
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(large) == len(small)
    assert len(small) <= 14  # including the request transaction's savepoint and release


@pytest.mark.parametrize("value,expected", [("=1+1", "'=1+1"), ("+86", "'+86"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("富春", "富春"), (5, 5)])
def test_cells_that_look_like_formulas_are_neutralised(value, expected):
    assert neutralise(value) == expected


def test_an_xlsx_export_neutralises_formulas_and_is_audited(client):
    TownshipFactory(name="=HYPERLINK(\"http://x\")")
    client.force_login(district_user())
    response = client.get(reverse("places:townships"), {"_export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=HYPERLINK(\"http://x\")" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, target="fuyang_portal.Township").exists()


def test_a_csv_export_follows_the_filter(client):
    TownshipFactory(name="富春街道")
    TownshipFactory(name="新登镇")
    client.force_login(district_user())
    response = client.get(reverse("places:townships"), {"_export": "csv", "name": "富春"})
    text = response.content.decode("utf-8")
    assert "富春街道" in text and "新登镇" not in text


def test_a_list_page_counts_its_rows_once_and_the_unread_messages_once(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _populate(3)
    client.force_login(district_user())
    client.get(reverse("places:agencies"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("places:agencies"))
    counts = [q["sql"] for q in queries if q["sql"].upper().startswith("SELECT COUNT(")]
    agency_counts = [sql for sql in counts if "fuyang_portal_agency" in sql and "notification" not in sql]
    unread_counts = [sql for sql in counts if "fuyang_portal_notification" in sql]
    assert len(agency_counts) == 1 and len(unread_counts) == 1
