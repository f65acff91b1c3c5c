"""Every app's exports neutralise formula injection: a cell a spreadsheet would read as a formula (= + - @) is
written with a leading apostrophe, and every export is in the audit log."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from enterprises.models import Enterprise
from fuyang_portal import export_approvals
from fuyang_portal.models import AuditEvent, Township
from leaderboard import services as contest
from tests.factories import district_user
from tests.leaderboard.factories import MONDAY, use_test_indicators
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

FIRM = '=HYPERLINK("http://evil.example","点我")'
TOWN = "+1+cmd|' /C calc'!A0"
NOTE = "-2+3+cmd|' /C calc'!A0"
DANGEROUS = ("=", "+", "-", "@")


def _cells(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        book = openpyxl.load_workbook(io.BytesIO(content))
        return [str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def _approved_download(client, requester, url, fmt):
    export = export_approvals.file_request(requester, path=url, format=fmt, reason="核对")
    export_approvals.approve(export, district_user(), "")
    return client.post(reverse("exports:download", args=[export.pk]))


@pytest.fixture
def world():
    users, ours, theirs, shared = build_world()
    Enterprise.objects.filter(pk=ours.firm.pk).update(name=FIRM)
    return users, ours, shared


@pytest.mark.parametrize(
    "url_name, args, fmt, payload",
    [
        ("enterprises:list", None, "csv", FIRM),
        ("enterprises:requests", None, "xlsx", FIRM),
        ("enterprises:passes", None, "csv", FIRM),  # personal data: exported through an approval
        ("specialists:visits", None, "csv", FIRM),
        ("specialists:problems", None, "xlsx", FIRM),
        ("specialists:assignments", None, "csv", FIRM),
        ("subsidies:registrations", None, "csv", FIRM),  # names are masked in lists; the employer is not
        ("subsidies:claims", None, "xlsx", FIRM),
        ("subsidies:payout-export", "batch", None, FIRM),
    ],
)
def test_each_apps_export_neutralises_formulas_and_is_audited(client, world, url_name, args, fmt, payload):
    users, ours, shared = world
    client.force_login(users["district"])
    url = reverse(url_name, args=[ours.objects[args].pk] if args else None)
    if fmt and export_approvals.list_view(url) is not None:
        response = _approved_download(client, users["district"], url, fmt)  # personal data: through an approval
    else:
        response = client.get(url, {"_export": fmt} if fmt else {})
    assert response.status_code == 200
    cells = _cells(response)
    assert "'" + payload in cells, f"{url_name}: the payload is not in the export"
    assert [c for c in cells if c.startswith(DANGEROUS)] == [], f"{url_name} exported a live formula"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, actor=users["district"]).count() == 1


def test_the_contest_exports_neutralise_unit_names_and_notes(client):
    district = district_user()
    indicator = use_test_indicators(("deductions", "lower", 1, "entered", ""))[0]
    town = Township.objects.create(code="EVIL", name=TOWN, name_en="Evil", kind=Township.Kind.TOWN)
    contest.enter_inspection_score(district, level="township", week_start=MONDAY, unit_id=town.pk, indicator=indicator, value=5, note=NOTE)
    client.force_login(district)
    template = client.get(reverse("leaderboard:inspection-template", args=["township", MONDAY.isoformat()]))
    listed = client.get(reverse("leaderboard:inspections"), {"_export": "csv"})
    for response, payload in ((template, TOWN), (listed, NOTE)):
        assert response.status_code == 200
        cells = _cells(response)
        assert "'" + payload in cells
        assert [c for c in cells if c.startswith(DANGEROUS)] == []
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 2
