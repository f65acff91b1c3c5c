"""Browser journeys of the enterprises app, on a phone and at a desk, with axe-core on every page: a firm files
its resumption request with both plans, its township approves it from the queue, the firm sees the result;
a township issues a pass and anyone can verify it by its QR code's address."""

import pytest
from django.utils import timezone

from enterprises.models import Pass, PassStatus, ResumptionRequest, ResumptionStatus
from enterprises.views import verification_token
from tests.enterprises.factories import PDF_BYTES, PNG_BYTES, VehiclePassFactory
from tests.factories import EnterpriseFactory, enterprise_user, township_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_firm_files_a_request_and_its_township_approves_it(journey, tmp_path):
    firm = EnterpriseFactory(name="旅程测试企业有限公司")
    owner = enterprise_user(firm, username="firm-journey")
    township_user(firm.township, username="township-journey")
    plan, prevention = tmp_path / "复工方案.pdf", tmp_path / "防控方案.png"
    plan.write_bytes(PDF_BYTES)
    prevention.write_bytes(PNG_BYTES)

    journey.sign_in(owner.username)
    journey.go("/enterprises/requests/new/")
    page = journey.page
    page.fill("#id_planned_date", timezone.localdate().isoformat())
    page.fill("#id_staff_local", "40")
    page.fill("#id_staff_outside", "8")
    page.set_input_files("#id_resumption_plan", str(plan))
    page.set_input_files("#id_prevention_plan", str(prevention))
    page.click("button[name=submit]")
    page.wait_for_load_state()
    journey.check_accessibility("request page after submitting")
    request = ResumptionRequest.objects.get(enterprise=firm)
    assert request.status == ResumptionStatus.SUBMITTED

    page.context.clear_cookies()
    journey.sign_in("township-journey")
    journey.follow_menu("/enterprises/requests/queue/")
    page.click(f"a[href='/enterprises/requests/{request.pk}/']")
    page.wait_for_load_state()
    page.click(f"a[href='/enterprises/requests/{request.pk}/approve/']")
    page.wait_for_load_state()
    journey.check_accessibility("approve form")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    request.refresh_from_db()
    assert request.status == ResumptionStatus.APPROVED

    page.context.clear_cookies()
    journey.sign_in(owner.username)
    journey.go(f"/enterprises/requests/{request.pk}/")
    assert page.locator(".timeline li").count() == 3  # create, submit, approve


def test_a_township_issues_a_pass_and_the_public_page_verifies_it(journey):
    p = VehiclePassFactory(plate="浙AD12345")
    township_user(p.enterprise.township, username="pass-reviewer")
    journey.sign_in("pass-reviewer")
    journey.go(f"/enterprises/passes/{p.pk}/approve/")
    journey.page.click("main form button[type=submit]")
    journey.page.wait_for_load_state()
    p.refresh_from_db()
    assert p.status == PassStatus.ISSUED
    journey.go(f"/enterprises/passes/{p.pk}/print/")
    assert journey.page.locator("svg").count() >= 1
    journey.page.context.clear_cookies()
    journey.go(f"/enterprises/verify/{verification_token(Pass.objects.get(pk=p.pk))}/")
    text = journey.page.locator("main").inner_text()
    assert "浙A" in text and "浙AD12345" not in text
