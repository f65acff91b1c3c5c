"""Resumption request pages: filing with uploads, private plans, the queue, review actions and refusals."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enterprises.models import ResumptionRequest, ResumptionStatus
from fuyang_portal.models import AuditEvent
from tests.enterprises.factories import PDF_BYTES, PNG_BYTES, ResumptionRequestFactory
from tests.factories import EnterpriseFactory, district_user, enterprise_user, township_user

pytestmark = pytest.mark.django_db


def form_data(**extra):
    return {
        "planned_date": (timezone.localdate()).isoformat(),
        "staff_local": 30,
        "staff_outside": 12,
        "masks": 1000,
        "thermometers": 5,
        "disinfectant_litres": 40,
        "has_canteen": "on",
        "site_arrangements": "食堂分餐，宿舍每间不超过4人",
        "resumption_plan": SimpleUploadedFile("复工方案.pdf", PDF_BYTES),
        "prevention_plan": SimpleUploadedFile("防控方案.png", PNG_BYTES),
        **extra,
    }


def test_a_firm_files_and_submits_with_both_plans(client):
    firm = EnterpriseFactory()
    client.force_login(enterprise_user(firm))
    response = client.post(reverse("enterprises:request-new"), {**form_data(), "submit": "1"})
    request = ResumptionRequest.objects.get()
    assert response.status_code == 302
    assert request.enterprise == firm and request.status == ResumptionStatus.SUBMITTED
    assert request.resumption_plan.name.startswith("resumption/plans/") and "复工" not in request.resumption_plan.name


def test_a_text_file_named_pdf_is_refused_and_nothing_is_saved(client):
    client.force_login(enterprise_user())
    response = client.post(
        reverse("enterprises:request-new"), form_data(resumption_plan=SimpleUploadedFile("plan.pdf", b"just some text, not a PDF"))
    )
    assert response.status_code == 200
    assert response.context["form"].errors["resumption_plan"]
    assert not ResumptionRequest.objects.exists()


def test_an_oversized_plan_is_refused(client, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(enterprise_user())
    big = SimpleUploadedFile("plan.pdf", PDF_BYTES + b"0" * 2048)
    response = client.post(reverse("enterprises:request-new"), form_data(resumption_plan=big))
    assert "MB" in str(response.context["form"].errors["resumption_plan"])
    assert not ResumptionRequest.objects.exists()


def test_plans_are_served_only_through_visibility_and_each_download_is_audited(client):
    request = ResumptionRequestFactory()
    url = reverse("enterprises:request-plan", args=[request.pk, "resumption"])
    client.force_login(township_user())
    assert client.get(url).status_code == 404
    client.force_login(enterprise_user())
    assert client.get(url).status_code == 404
    client.force_login(township_user(request.enterprise.township))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DOWNLOAD).count() == 1


def test_the_queue_shows_awaiting_requests_oldest_first_with_a_fixed_query_count(client):
    firm = EnterpriseFactory()
    reviewer = township_user(firm.township)
    client.force_login(reviewer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (3, 25):
        while ResumptionRequest.objects.count() < size:
            ResumptionRequestFactory(
                enterprise=EnterpriseFactory(township=firm.township),
                status=ResumptionStatus.SUBMITTED,
                submitted_at=timezone.now() - timezone.timedelta(hours=ResumptionRequest.objects.count()),
            )
        client.get(reverse("enterprises:queue"))  # warm up: reference lists changed by the new rows are read again once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("enterprises:queue"))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    rows = list(response.context["table"].page.object_list)
    times = [row.record.submitted_at for row in rows]
    assert times == sorted(times)


def test_reviewing_another_townships_request_is_404(client):
    request = ResumptionRequestFactory(status=ResumptionStatus.SUBMITTED, submitted_at=timezone.now())
    client.force_login(township_user())
    response = client.post(reverse("enterprises:request-approve", args=[request.pk]), {})
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == ResumptionStatus.SUBMITTED


def test_a_firm_cannot_open_the_approve_page(client):
    request = ResumptionRequestFactory(status=ResumptionStatus.SUBMITTED, submitted_at=timezone.now())
    client.force_login(enterprise_user(request.enterprise))
    assert client.post(reverse("enterprises:request-approve", args=[request.pk]), {}).status_code == 403


def test_approving_a_draft_shows_the_refusal_on_the_form(client):
    request = ResumptionRequestFactory()
    client.force_login(township_user(request.enterprise.township))
    response = client.post(reverse("enterprises:request-approve", args=[request.pk]), {})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    request.refresh_from_db()
    assert request.status == ResumptionStatus.DRAFT


def test_return_then_the_firm_sees_the_reason_and_the_timeline(client):
    request = ResumptionRequestFactory(status=ResumptionStatus.SUBMITTED, submitted_at=timezone.now())
    client.force_login(township_user(request.enterprise.township))
    client.post(reverse("enterprises:request-return", args=[request.pk]), {"reason": "请补充隔离观察室位置"})
    owner = enterprise_user(request.enterprise)
    client.force_login(owner)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "请补充隔离观察室位置" in page
    assert "已退回" in page  # the timeline entry, in the reader's language
    listing = client.get(reverse("enterprises:requests")).content.decode()
    assert "请补充隔离观察室位置" in listing


def test_a_submitted_request_cannot_be_edited(client):
    request = ResumptionRequestFactory(status=ResumptionStatus.SUBMITTED, submitted_at=timezone.now())
    client.force_login(enterprise_user(request.enterprise))
    response = client.post(reverse("enterprises:request-edit", args=[request.pk]), form_data(staff_local=999))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.staff_local != 999


def test_an_enterprise_cannot_see_another_firms_request(client):
    request = ResumptionRequestFactory()
    client.force_login(enterprise_user())
    assert client.get(request.get_absolute_url()).status_code == 404
    assert client.post(reverse("enterprises:request-submit", args=[request.pk]), {}).status_code == 404


def test_district_sees_resumption_rates_by_township_and_scale(client):
    from tests.enterprises.factories import ApprovedRequestFactory

    ApprovedRequestFactory()
    EnterpriseFactory()
    client.force_login(district_user())
    response = client.get(reverse("enterprises:stats"))
    assert response.status_code == 200
    totals = response.context["totals"]
    assert (totals["resumed"], totals["total"]) == (1, 2)


def test_township_sees_who_has_not_reported_today(client):
    from tests.enterprises.factories import ApprovedRequestFactory, DailyReportFactory

    reported = ApprovedRequestFactory().enterprise
    silent = ApprovedRequestFactory(enterprise=EnterpriseFactory(township=reported.township, name="未报企业有限公司")).enterprise
    DailyReportFactory(enterprise=reported)
    client.force_login(township_user(reported.township))
    page = client.get(reverse("enterprises:reports-missing")).content.decode()
    assert silent.name in page and reported.name not in page
    latest = client.get(reverse("enterprises:reports-latest")).content.decode()
    assert reported.name in latest


def test_home_cards_show_real_counts(client):
    request = ResumptionRequestFactory(status=ResumptionStatus.SUBMITTED, submitted_at=timezone.now())
    client.force_login(township_user(request.enterprise.township))
    cards = client.get(reverse("home")).context["cards"]
    assert any(card.value == 1 and card.url == reverse("enterprises:queue") for card in cards)




def test_a_docx_plan_is_recognised_by_its_content(client):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    client.force_login(enterprise_user())
    response = client.post(reverse("enterprises:request-new"), form_data(prevention_plan=SimpleUploadedFile("方案.docx", buffer.getvalue())))
    assert response.status_code == 302
    assert ResumptionRequest.objects.get().prevention_plan.name.endswith(".docx")


def test_reporting_twice_on_the_page_shows_the_refusal(client):
    from enterprises.models import DailyReport
    from tests.enterprises.factories import DailyReportFactory

    firm = EnterpriseFactory()
    DailyReportFactory(enterprise=firm, staff_on_site=5)
    client.force_login(enterprise_user(firm))
    response = client.post(reverse("enterprises:report-new"), {"staff_on_site": 9, "staff_away": 1, "capacity_percent": 50})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert DailyReport.objects.get().staff_on_site == 5
