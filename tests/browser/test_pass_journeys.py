"""Browser journey of passes, on a phone and at a desk, with axe-core on every page: a firm applies for a vehicle
pass and an employee pass (a wrong ID number is announced as an error on its field first), and its township
approves both from the pass queue."""

import pytest

from enterprises.models import Pass, PassKind, PassStatus
from tests.enterprises.factories import resident_id
from tests.factories import EnterpriseFactory, enterprise_user, township_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_firm_applies_for_passes_and_its_township_approves_them(journey):
    firm = EnterpriseFactory(name="通行证旅程机械有限公司")
    owner = enterprise_user(firm, username="pass-firm")
    township_user(firm.township, username="pass-township")
    page = journey.page

    journey.sign_in(owner.username)
    journey.go("/enterprises/passes/new/vehicle/")
    page.fill("#id_plate", "浙A 23456")
    page.select_option("#id_vehicle_type", index=0)
    page.fill("#id_driver_name", "王师傅")
    page.fill("#id_mobile", "13800138000")
    page.fill("#id_route", "新登镇—银湖街道")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    journey.check_accessibility("vehicle pass after applying")

    journey.go("/enterprises/passes/new/employee/")
    page.fill("#id_holder_name", "李娟")
    page.fill("#id_id_number", "330183198501010000")  # wrong check digit
    page.fill("#id_mobile", "13900139000")
    page.fill("#id_origin", "贵州遵义")
    page.select_option("#id_health_code", "green")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    field = page.locator("#id_id_number")
    assert field.get_attribute("aria-invalid") == "true"
    assert page.locator(f"#{field.get_attribute('aria-describedby')}[role=alert]").is_visible()
    journey.check_accessibility("employee pass form with an error")
    assert Pass.objects.filter(kind=PassKind.EMPLOYEE).count() == 0
    page.fill("#id_id_number", resident_id())
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    journey.check_accessibility("employee pass after applying")
    passes = {p.kind: p for p in Pass.objects.filter(enterprise=firm)}
    assert set(passes) == {PassKind.VEHICLE, PassKind.EMPLOYEE}
    assert all(p.status == PassStatus.PENDING for p in passes.values())

    page.context.clear_cookies()
    journey.sign_in("pass-township")
    journey.go("/enterprises/passes/queue/")
    assert page.locator(f"main a[href='/enterprises/passes/{passes[PassKind.EMPLOYEE].pk}/']").count() >= 1
    for p in passes.values():
        journey.go(f"/enterprises/passes/{p.pk}/approve/")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        journey.check_accessibility("pass after approval")
        p.refresh_from_db()
        assert p.status == PassStatus.ISSUED
