"""The API: scoped lists, actions through the services, refusals mapped to 403/404/409/400."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from enterprises.models import DailyReport, Pass, PassStatus, ResumptionStatus
from fuyang_portal.demo import make_credit_code
from tests.enterprises.factories import ResumptionRequestFactory, VehiclePassFactory, resident_id
from tests.factories import EnterpriseFactory, district_user, enterprise_user, township_user

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.default_format = "json"  # endpoints without uploads take JSON or a form, not multipart
    client.force_authenticate(user)
    return client


def test_enterprise_list_is_scoped():
    mine, other = EnterpriseFactory(), EnterpriseFactory()
    data = api(township_user(mine.township)).get("/api/v1/enterprises/").json()
    assert [row["id"] for row in data["results"]] == [mine.pk]
    assert api(enterprise_user(other)).get(f"/api/v1/enterprises/{mine.pk}/").status_code == 404


def test_registering_a_duplicate_firm_through_the_api_is_refused():
    existing = EnterpriseFactory()
    response = api(district_user()).post(
        "/api/v1/enterprises/", {"name": "重复企业", "credit_code": existing.credit_code, "township": existing.township_id, "scale": "sme"}
    )
    assert response.status_code == 400 and existing.name in str(response.json())


def test_township_registers_a_firm_in_its_own_township_only():
    firm = EnterpriseFactory()
    user = township_user()
    response = api(user).post(
        "/api/v1/enterprises/", {"name": "越界企业", "credit_code": make_credit_code(99001), "township": firm.township_id, "scale": "sme"}
    )
    assert response.status_code == 403
    response = api(user).post(
        "/api/v1/enterprises/", {"name": "本镇企业", "credit_code": make_credit_code(99002), "township": user.township_id, "scale": "sme"}
    )
    assert response.status_code == 201


def test_submit_approve_through_the_api():
    request = ResumptionRequestFactory()
    assert api(enterprise_user(request.enterprise)).post(f"/api/v1/resumption-requests/{request.pk}/submit/").status_code == 200
    response = api(township_user(request.enterprise.township)).post(f"/api/v1/resumption-requests/{request.pk}/approve/", {})
    assert response.status_code == 200 and response.json()["status"] == ResumptionStatus.APPROVED


def test_wrong_state_is_409_and_changes_nothing():
    request = ResumptionRequestFactory()
    response = api(township_user(request.enterprise.township)).post(f"/api/v1/resumption-requests/{request.pk}/approve/", {})
    assert response.status_code == 409
    request.refresh_from_db()
    assert request.status == ResumptionStatus.DRAFT


def test_return_without_a_reason_is_400_and_another_township_is_404():
    request = ResumptionRequestFactory(status=ResumptionStatus.SUBMITTED, submitted_at=timezone.now())
    reviewer = township_user(request.enterprise.township)
    assert api(reviewer).post(f"/api/v1/resumption-requests/{request.pk}/return/", {}).status_code == 400
    assert api(township_user()).post(f"/api/v1/resumption-requests/{request.pk}/return/", {"reason": "x"}).status_code == 404
    response = api(reviewer).post(f"/api/v1/resumption-requests/{request.pk}/return/", {"reason": "缺少方案"})
    assert response.status_code == 200 and response.json()["return_reason"] == "缺少方案"


def test_an_enterprise_acting_for_another_firm_gets_404():
    request = ResumptionRequestFactory()
    assert api(enterprise_user()).post(f"/api/v1/resumption-requests/{request.pk}/submit/").status_code == 404


def test_a_firm_files_todays_report_once():
    firm = EnterpriseFactory()
    client = api(enterprise_user(firm))
    body = {"staff_on_site": 20, "staff_away": 3, "capacity_percent": 65}
    assert client.post("/api/v1/headcount-reports/", body).status_code == 201
    assert client.post("/api/v1/headcount-reports/", body).status_code == 409
    assert DailyReport.objects.count() == 1


def test_passes_apply_issue_revoke_and_never_return_the_full_id():
    firm = EnterpriseFactory()
    number = resident_id(61)
    today = timezone.localdate()
    response = api(enterprise_user(firm)).post(
        "/api/v1/passes/",
        {
            "kind": "employee", "holder_name": "钱六", "id_number": number, "mobile": "13905710007", "origin": "河南",
            "health_code": "green", "valid_from": today, "valid_until": today + datetime.timedelta(days=7),
        },
    )
    assert response.status_code == 201 and number not in response.content.decode()
    pk = response.json()["id"]
    reviewer = api(township_user(firm.township))
    response = reviewer.post(f"/api/v1/passes/{pk}/approve/", {})
    assert response.status_code == 200 and response.json()["number"]
    assert reviewer.post(f"/api/v1/passes/{pk}/revoke/", {"reason": "离职"}).json()["status"] == PassStatus.REVOKED


def test_a_duplicate_plate_through_the_api_is_409():
    VehiclePassFactory(plate="浙A54321")
    firm = EnterpriseFactory()
    today = timezone.localdate()
    response = api(enterprise_user(firm)).post(
        "/api/v1/passes/",
        {
            "kind": "vehicle", "plate": "浙A54321", "vehicle_type": "car", "driver_name": "孙", "route": "x", "mobile": "13905710008",
            "valid_from": today, "valid_until": today,
        },
    )
    assert response.status_code == 409
    assert Pass.objects.count() == 1


def test_firms_cannot_issue_their_own_passes_through_the_api():
    p = VehiclePassFactory()
    assert api(enterprise_user(p.enterprise)).post(f"/api/v1/passes/{p.pk}/approve/", {}).status_code == 403
    p.refresh_from_db()
    assert p.status == PassStatus.PENDING


def test_a_firm_files_a_request_with_both_plans_through_the_api_and_submits_it():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.enterprises.factories import PDF_BYTES

    firm = EnterpriseFactory()
    client = api(enterprise_user(firm))
    response = client.post(
        "/api/v1/resumption-requests/",
        {
            "planned_date": timezone.localdate().isoformat(), "staff_local": 10, "staff_outside": 2,
            "resumption_plan": SimpleUploadedFile("a.pdf", PDF_BYTES), "prevention_plan": SimpleUploadedFile("b.pdf", PDF_BYTES),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert client.post(f"/api/v1/resumption-requests/{pk}/submit/").json()["status"] == ResumptionStatus.SUBMITTED


def test_a_fake_plan_is_refused_by_the_api():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from enterprises.models import ResumptionRequest

    client = api(enterprise_user())
    response = client.post(
        "/api/v1/resumption-requests/",
        {"planned_date": timezone.localdate().isoformat(), "resumption_plan": SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>")},
        format="multipart",
    )
    assert response.status_code == 400 and "resumption_plan" in response.json()
    assert not ResumptionRequest.objects.exists()
