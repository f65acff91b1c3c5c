"""The firm list's background xlsx export: queued from the list, written by a Celery task, downloaded when
ready, private to whoever asked."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from enterprises.models import EnterpriseExport
from fuyang_portal.models import AuditEvent
from tests.factories import EnterpriseFactory, TownshipFactory, district_user, enterprise_user, township_user

pytestmark = pytest.mark.django_db


def sheet_rows(response):
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))


def start_export(client, user, query, capture):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(reverse("enterprises:export-create"), {"query": query})
    export = EnterpriseExport.objects.get(requested_by=user)
    assert response.status_code == 302 and response["Location"] == export.get_absolute_url()
    return export


def test_export_writes_the_filtered_list_and_downloads_when_ready(client, django_capture_on_commit_callbacks):
    home, other = TownshipFactory(), TownshipFactory()
    EnterpriseFactory.create_batch(5, township=home)
    EnterpriseFactory(township=home, name="=HYPERLINK(\"x\")")
    EnterpriseFactory.create_batch(3, township=other)
    user = district_user()
    export = start_export(client, user, f"township={home.pk}", django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.status == EnterpriseExport.Status.DONE and export.rows_total == export.rows_done == 6

    progress = client.get(reverse("enterprises:export", args=[export.pk]), {"format": "json"}).json()
    assert progress["percent"] == 100 and progress["download"] == reverse("enterprises:export-download", args=[export.pk])
    page = client.get(export.get_absolute_url())
    assert page.status_code == 200 and b'data-role="bar"' in page.content

    response = client.get(progress["download"])
    assert response.status_code == 200
    rows = sheet_rows(response)
    assert len(rows) == 7  # the header and six firms of the filtered township
    assert {row[2] for row in rows[1:]} == {home.name}
    assert "'=HYPERLINK(\"x\")" in {row[0] for row in rows[1:]}
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, actor=user).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DOWNLOAD, actor=user).exists()


def test_a_township_exports_only_its_own_firms(client, django_capture_on_commit_callbacks):
    home, other = TownshipFactory(), TownshipFactory()
    EnterpriseFactory.create_batch(2, township=home)
    EnterpriseFactory.create_batch(4, township=other)
    user = township_user(home)
    export = start_export(client, user, f"township={other.pk}", django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.rows_total == 0  # asking for another township's firms gives none
    EnterpriseExport.objects.all().delete()
    export = start_export(client, user, "", django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.rows_total == 2


def test_someone_else_cannot_see_or_download_an_export(client, django_capture_on_commit_callbacks):
    EnterpriseFactory.create_batch(2)
    export = start_export(client, district_user(), "", django_capture_on_commit_callbacks)
    client.force_login(district_user())
    assert client.get(export.get_absolute_url()).status_code == 404
    assert client.get(reverse("enterprises:export-download", args=[export.pk])).status_code == 404
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.DOWNLOAD).exists()


def test_a_firm_cannot_export_the_list(client):
    firm_user = enterprise_user()
    client.force_login(firm_user)
    assert client.post(reverse("enterprises:export-create"), {"query": ""}).status_code == 403
    assert not EnterpriseExport.objects.exists()


def test_progress_is_reported_while_the_task_runs(client):
    user = district_user()
    export = EnterpriseExport.objects.create(requested_by=user, status=EnterpriseExport.Status.RUNNING, rows_total=8, rows_done=2)
    client.force_login(user)
    progress = client.get(reverse("enterprises:export", args=[export.pk]), {"format": "json"}).json()
    assert progress == {
        "status": "running",
        "status_display": str(EnterpriseExport.Status.RUNNING.label),
        "rows_done": 2,
        "rows_total": 8,
        "percent": 25,
        "download": "",
    }
    assert client.get(reverse("enterprises:export-download", args=[export.pk])).status_code == 404


def test_the_firm_list_offers_the_export_with_its_filters(client):
    township = TownshipFactory()
    EnterpriseFactory(township=township)
    client.force_login(district_user())
    page = client.get(reverse("enterprises:list"), {"township": township.pk, "scale": "sme"}).content.decode()
    assert reverse("enterprises:export-create") in page
    assert f'name="query" value="township={township.pk}&amp;scale=sme"' in page
