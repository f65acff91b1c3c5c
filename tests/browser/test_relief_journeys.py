"""Browser journey of a policy paid without application (免申即享), on a phone, with axe-core on every page: the
district office publishes a policy, the firm finds its award under "policies for me" and confirms its bank
account, and the district office puts the award in a payout batch (the charter claims' batches) and marks it
paid."""

import pytest

from relief.models import Award
from subsidies.models import PayoutBatch
from tests.browser.conftest import PHONE
from tests.factories import EnterpriseFactory, district_user, enterprise_user
from tests.relief.factories import make_policy

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _sign_in(journey, user):
    """Password, then the second factor where the role needs one (the district office): a confirmed TOTP device
    made for the test, its current code typed in."""
    journey.sign_in(user.username)
    if "/accounts/second-factor/" in journey.page.url:
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        journey.page.fill("#id_code", f"{code:0{device.digits}d}")
        journey.page.click("main form button[type=submit]")
        journey.page.wait_for_load_state()
    assert "/accounts/" not in journey.page.url, journey.page.url


def _no_wider_than_the_screen(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_district_publishes_the_firm_confirms_and_the_award_is_paid(people, settings):
    from datetime import datetime

    from django.utils import timezone

    from fuyang_portal import clock

    settings.DEMO_CLOCK = "2020-02-24T10:00:00"  # the policies' validity is 2020's; the live server reads this clock
    firm = EnterpriseFactory(name="旅程稳岗测试有限公司", registered_headcount=10)
    owner = enterprise_user(firm, username="relief-firm")
    office = district_user(username="relief-district")
    try:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=office, name="test", confirmed=True)
    except ImportError:  # no second factor in this build
        pass
    with clock.at(timezone.make_aware(datetime(2020, 2, 24, 9))):
        policy = make_policy(title="稳岗返还测试政策", publish=False, actor=district_user())

    district = people(PHONE)
    page = district.page
    _sign_in(district, office)
    district.go(f"/relief/policies/{policy.pk}/")
    page.click("main a[href$='/publish/']")
    page.wait_for_load_state()
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    district.check_accessibility("policy after publishing")
    award = Award.objects.get(policy=policy, enterprise=firm)
    assert award.amount == 3000 and award.status == Award.Status.PENDING

    firm_person = people(PHONE)
    fpage = firm_person.page
    _sign_in(firm_person, owner)
    firm_person.go("/relief/mine/")
    assert "稳岗返还测试政策" in fpage.content()
    _no_wider_than_the_screen(fpage)
    fpage.click(f"main a[href='/relief/awards/{award.pk}/confirm/']")
    fpage.wait_for_load_state()
    fpage.fill("#id_bank", "杭州银行富阳支行")
    fpage.fill("#id_account_name", firm.name)
    fpage.fill("#id_account_number", "12")  # too short: refused, nothing changes
    fpage.click("main form button[type=submit]")
    fpage.wait_for_load_state()
    firm_person.check_accessibility("confirm form with an error")
    assert fpage.locator("main .alert-danger[role=alert]").is_visible()
    award.refresh_from_db()
    assert award.status == Award.Status.PENDING
    fpage.fill("#id_account_number", "6228480012345678")
    fpage.click("main form button[type=submit]")
    fpage.wait_for_load_state()
    firm_person.check_accessibility("award after confirming")
    award.refresh_from_db()
    assert award.status == Award.Status.CONFIRMED

    district.go("/relief/awards/batch/")
    page.check(f"main input[name=awards][value='{award.pk}']")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    district.check_accessibility("payout batch")
    batch = PayoutBatch.objects.get()
    assert page.url.endswith(f"/subsidies/payouts/{batch.pk}/")
    assert award.reference in page.content()
    _no_wider_than_the_screen(page)
    page.click(f"main a[href='/subsidies/payouts/{batch.pk}/paid/']")
    page.wait_for_load_state()
    page.fill("#id_transfer_reference", "ICBC-RELIEF-0001")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    award.refresh_from_db()
    assert award.status == Award.Status.PAID

    firm_person.go(f"/relief/awards/{award.pk}/")
    assert award.get_status_display() in fpage.content()
    _no_wider_than_the_screen(fpage)
