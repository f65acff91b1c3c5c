"""GB/T 35273 §7.1: a list holding personal data exports only through a district approval — request, approve (by
someone else), one download before it expires, produced with the requester's scope. Lists without personal data
export directly. The pages and the API answer alike."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fuyang_portal import export_approvals
from fuyang_portal.models import AuditEvent, ExportRequest, OutboxMessage, Transition
from fuyang_portal.roles import Role
from subsidies.filters import RegistrationFilter
from tests.factories import (
    EnterpriseFactory,
    TownshipFactory,
    administrator,
    agency_user,
    district_user,
    township_user,
)
from tests.subsidies.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

LIST = "/subsidies/registrations/"
API = "/api/v1/export-requests/"


@pytest.fixture
def world():
    ours, theirs = TownshipFactory(name="甲镇"), TownshipFactory(name="乙镇")
    mine = RegistrationFactory(enterprise=EnterpriseFactory(township=ours), name="张三丰")
    other = RegistrationFactory(enterprise=EnterpriseFactory(township=ours), name="李四光")
    foreign = RegistrationFactory(enterprise=EnterpriseFactory(township=theirs), name="王五常")
    return {
        "requester": township_user(ours, username="town-a"),
        "stranger": township_user(theirs, username="town-b"),
        "district": district_user(username="district-a"),
        "approver": district_user(username="district-b"),
        "agency": agency_user(username="agency-a"),
        "auditor": administrator(Role.AUDITOR, username="auditor-a"),
        "mine": mine, "other": other, "foreign": foreign,
    }


def _rows(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _request(user, *, query="", format="csv"):
    return export_approvals.file_request(user, path=LIST, query=query, format=format, reason="核对返岗人员名单")


def _approved(world, **kwargs):
    export = _request(world["requester"], **kwargs)
    return export_approvals.approve(export, world["approver"], "同意")


# --- the list no longer streams ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_personal_data_list_does_not_export_without_approval(client, world, fmt):
    client.force_login(world["district"])
    response = client.get(LIST, {"_export": fmt, "reference": world["mine"].reference})
    assert response.status_code == 302
    assert not response.has_header("Content-Disposition") and world["mine"].name.encode() not in response.content
    assert response["Location"].startswith(reverse("exports:new"))
    form = client.get(response["Location"])
    assert form.status_code == 200 and form.context["list_title"]
    assert [(str(label), value) for label, value in form.context["filters"]] == [(str(RegistrationFilter.base_filters["reference"].label), world["mine"].reference)]  # labelled as the list's filter form
    refused = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT, actor=world["district"])
    assert refused.outcome == AuditEvent.Outcome.FAILURE
    assert not ExportRequest.objects.exists()


def test_a_format_the_list_does_not_offer_shows_the_page_not_a_file(client, world):
    client.force_login(world["district"])
    response = client.get(LIST, {"_export": "json"})
    assert response.status_code == 200 and not response.has_header("Content-Disposition")
    assert response["Content-Type"].startswith("text/html")


def test_a_list_without_personal_data_still_exports_directly(client, world):
    client.force_login(world["district"])
    response = client.get(reverse("places:townships"), {"_export": "csv"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "甲镇" in {cell for row in _rows(response) for cell in row}


def test_every_list_of_private_persons_declares_it():
    from django.urls import get_resolver

    from fuyang_portal.views.generic import ObjectListView

    names = {
        pattern.callback.view_class.table_class.__name__
        for resolver in get_resolver().url_patterns if hasattr(resolver, "url_patterns")
        for pattern in resolver.url_patterns
        if issubclass(getattr(pattern.callback, "view_class", type), ObjectListView) and pattern.callback.view_class.export_needs_approval()
    }
    assert {"PassTable", "RegistrationTable", "CandidateTable", "CallTable", "VoucherTable", "MissingReportTable"} <= names
    assert "TownshipTable" not in names and "EnterpriseTable" not in names


# --- request → approve → one download ----------------------------------------------------------------------


def test_request_approve_and_download_once_on_the_pages(client, world):
    requester, approver = world["requester"], world["approver"]
    client.force_login(requester)
    filed = client.post(reverse("exports:new"), {"path": LIST, "query": "", "format": "csv", "reason": "核对返岗人员名单"})
    export = ExportRequest.objects.get()
    assert filed.status_code == 302 and filed["Location"] == export.get_absolute_url()
    assert export.status == ExportRequest.Status.REQUESTED and export.requested_by == requester
    told = OutboxMessage.objects.get()
    assert approver.pk in told.user_ids and world["district"].pk in told.user_ids and requester.pk not in told.user_ids

    client.force_login(approver)
    assert client.post(reverse("exports:approve", args=[export.pk]), {"note": "同意"}).status_code == 302
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.APPROVED and export.decided_by == approver
    assert timedelta(hours=23) < export.expires_at - timezone.now() <= timedelta(hours=24)
    assert client.post(reverse("exports:download", args=[export.pk])).status_code == 403  # the approver is not the requester

    client.force_login(requester)
    page = client.get(export.get_absolute_url())
    assert page.context["can_download"]
    first = client.post(reverse("exports:download", args=[export.pk]))
    assert first.status_code == 200 and "attachment" in first["Content-Disposition"] and first["Cache-Control"] == "no-store"
    names = {cell for row in _rows(first) for cell in row}
    assert {world["mine"].masked_name, world["other"].masked_name} <= names
    assert world["foreign"].masked_name not in names  # the requester's scope, not the approver's
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.DOWNLOADED and export.downloaded_at

    second = client.post(reverse("exports:download", args=[export.pk]))
    assert second.status_code == 410 and not second.has_header("Content-Disposition")
    assert world["mine"].masked_name.encode() not in second.content
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.DOWNLOADED
    assert list(Transition.objects.for_object(export).values_list("action", flat=True)) == ["create", "approve", "download"]
    exported = AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, actor=requester)
    assert exported.filter(outcome=AuditEvent.Outcome.SUCCESS).count() == 1
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DOWNLOAD, actor=requester, outcome=AuditEvent.Outcome.FAILURE).count() == 1


def test_the_file_keeps_the_requests_filters(client, world):
    export = _approved(world, query=f"reference={world['mine'].reference}&_export=xlsx")
    assert export.query == f"reference={world['mine'].reference}"
    client.force_login(world["requester"])
    names = {cell for row in _rows(client.post(reverse("exports:download", args=[export.pk]))) for cell in row}
    assert world["mine"].masked_name in names and world["other"].masked_name not in names


def test_a_resent_download_is_not_replayed(client, world):
    export = _approved(world)
    client.force_login(world["requester"])
    url = reverse("exports:download", args=[export.pk])
    assert client.post(url, HTTP_IDEMPOTENCY_KEY="download-once-1").status_code == 200
    again = client.post(url, HTTP_IDEMPOTENCY_KEY="download-once-1")
    assert again.status_code == 410 and not again.has_header("Content-Disposition")


def test_an_expired_approval_is_refused_and_changes_nothing(client, world):
    export = _approved(world)
    ExportRequest.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(world["requester"])
    assert not client.get(export.get_absolute_url()).context["can_download"]
    response = client.post(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 410 and not response.has_header("Content-Disposition")
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.APPROVED and export.downloaded_at is None and export.expired
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, outcome=AuditEvent.Outcome.SUCCESS).exists()


def test_a_request_not_yet_approved_or_refused_gives_no_file(client, world):
    waiting = _request(world["requester"])
    refused = export_approvals.refuse(_request(world["requester"]), world["approver"], "理由不充分")
    client.force_login(world["requester"])
    for export in (waiting, refused):
        response = client.post(reverse("exports:download", args=[export.pk]))
        assert response.status_code == 409 and not response.has_header("Content-Disposition")
    assert refused.status == ExportRequest.Status.REFUSED and refused.decision_note == "理由不充分"


# --- who decides, who sees ---------------------------------------------------------------------------------


def test_the_requester_cannot_approve_their_own_request(client, world):
    export = _request(world["district"])
    client.force_login(world["district"])
    assert client.get(export.get_absolute_url()).context["action_links"] == []
    assert client.post(reverse("exports:approve", args=[export.pk]), {"note": "自己批"}).status_code == 403
    assert client.post(f"{API}{export.pk}/approve/", {}, content_type="application/json").status_code == 403
    assert client.post(f"{API}{export.pk}/refuse/", {"note": "x"}, content_type="application/json").status_code == 403
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.REQUESTED


def test_a_role_other_than_the_district_office_cannot_approve(client, world):
    export = _request(world["requester"])
    client.force_login(world["auditor"])  # sees every request, decides none
    assert client.get(export.get_absolute_url()).status_code == 200
    assert client.post(reverse("exports:approve", args=[export.pk]), {"note": ""}).status_code == 403
    assert client.post(f"{API}{export.pk}/approve/", {}, content_type="application/json").status_code == 403
    client.force_login(world["requester"])  # on their own request
    assert client.post(reverse("exports:approve", args=[export.pk]), {"note": ""}).status_code == 403
    assert client.post(f"{API}{export.pk}/approve/", {}, content_type="application/json").status_code == 403
    client.force_login(world["agency"])  # not theirs: out of scope
    assert client.post(reverse("exports:approve", args=[export.pk]), {"note": ""}).status_code == 404
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.REQUESTED


def test_someone_elses_request_is_out_of_scope(client, world):
    export = _approved(world)
    client.force_login(world["stranger"])
    assert client.get(export.get_absolute_url()).status_code == 404
    assert client.post(reverse("exports:download", args=[export.pk])).status_code == 404
    assert client.get(f"{API}{export.pk}/").status_code == 404
    assert client.post(f"{API}{export.pk}/download/").status_code == 404
    assert client.get(reverse("exports:list")).context["table"].rows.__len__() == 0
    assert client.get(API).json()["count"] == 0
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.APPROVED


def test_administrators_other_than_the_auditor_have_no_requests(client, world):
    _request(world["requester"])
    client.force_login(administrator(Role.SYSADMIN))
    assert client.get(reverse("exports:list")).status_code == 403
    assert client.get(API).status_code == 403
    assert client.get(reverse("exports:new")).status_code == 403


# --- bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"path": "/places/townships/", "format": "csv", "reason": "x"},  # exports directly
        {"path": "/no/such/list/", "format": "csv", "reason": "x"},
        {"path": "/subsidies/registrations/1/", "format": "csv", "reason": "x"},  # not a list
        {"path": LIST, "format": "json", "reason": "x"},
        {"path": LIST, "format": "csv", "reason": "   "},
    ],
)
def test_a_bad_request_is_refused_with_a_message_and_nothing_saved(client, world, values):
    client.force_login(world["requester"])
    page = client.post(reverse("exports:new"), values)
    assert page.status_code == 200 and page.context["form"].errors
    api = client.post(API, values, content_type="application/json")
    assert api.status_code == 400 and api.json()  # a message, by field or as ``detail``
    assert not ExportRequest.objects.exists()


def test_a_list_the_user_may_not_open_cannot_be_requested(client, world):
    client.force_login(world["agency"])  # agencies do not see worker registrations
    response = client.post(API, {"path": LIST, "format": "csv", "reason": "看看"}, content_type="application/json")
    assert response.status_code == 403 and not ExportRequest.objects.exists()


# --- the API -----------------------------------------------------------------------------------------------


def test_the_api_walks_the_same_steps_with_the_same_answers(client, world):
    client.force_login(world["requester"])
    created = client.post(API, {"path": LIST, "query": "", "format": "csv", "reason": "核对"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["state"] == "requested"
    pk = created.json()["id"]
    assert client.post(f"{API}{pk}/download/").status_code == 409

    client.force_login(world["approver"])
    approved = client.post(f"{API}{pk}/approve/", {"note": "同意"}, content_type="application/json")
    assert approved.status_code == 200 and approved.json()["state"] == "approved" and approved.json()["decided_by"] == "district-b"
    assert client.post(f"{API}{pk}/download/").status_code == 403
    assert client.post(f"{API}{pk}/approve/", {}, content_type="application/json").status_code == 409  # decided already

    client.force_login(world["requester"])
    first = client.post(f"{API}{pk}/download/")
    assert first.status_code == 200 and world["mine"].masked_name in {cell for row in _rows(first) for cell in row}
    second = client.post(f"{API}{pk}/download/")
    assert second.status_code == 410 and second.json()["code"] == "gone"
    assert client.post(reverse("exports:download", args=[pk])).status_code == 410  # the page says the same
    assert client.get(f"{API}{pk}/").json()["state"] == "downloaded"


def test_the_api_refuses_with_a_reason_only(client, world):
    export = _request(world["requester"])
    client.force_login(world["approver"])
    assert client.post(f"{API}{export.pk}/refuse/", {}, content_type="application/json").status_code == 400
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.REQUESTED
    refused = client.post(f"{API}{export.pk}/refuse/", {"note": "无正当理由"}, content_type="application/json")
    assert refused.status_code == 200 and refused.json()["state"] == "refused"


def test_the_approval_window_is_a_setting(world, settings):
    settings.EXPORT_APPROVAL_HOURS = 2
    export = _approved(world)
    assert timedelta(hours=1) < export.expires_at - timezone.now() <= timedelta(hours=2)
