"""Browser journey of the subsidies app, on a phone and at a desk, with axe-core on every page: a firm files a
charter-bus claim for its completed trip (invoice image attached) and submits it; its township and then the
district office approve it; the district office puts it into a payout batch and marks the batch paid."""

from datetime import timedelta

import pytest
from django.utils import timezone

from subsidies.models import CharterTrip, PayoutBatch, SubsidyClaim
from tests.factories import EnterpriseFactory, district_user, enterprise_user, township_user
from tests.subsidies.factories import PNG, TripFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _submit(journey, label):
    journey.page.click("main form button[type=submit]")
    journey.page.wait_for_load_state()
    journey.check_accessibility(label)


def test_a_charter_claim_goes_through_both_reviews_into_a_paid_batch(journey, tmp_path):
    today = timezone.localdate()
    firm = EnterpriseFactory(name="包车旅程纺织有限公司")
    owner = enterprise_user(firm, username="claim-firm")
    township_user(firm.township, username="claim-township")
    district_user(username="claim-district")
    trip = TripFactory(
        enterprise=firm, riders=3, status=CharterTrip.Status.COMPLETED,
        departure_date=today - timedelta(days=2), arrival_date=today - timedelta(days=1),
    )
    invoice = tmp_path / "发票.png"
    invoice.write_bytes(PNG)
    page = journey.page

    journey.sign_in(owner.username)
    journey.go(f"/subsidies/trips/{trip.pk}/claim/")
    page.fill("#id_bus_company", "遵义长运")
    page.fill("#id_plate", "贵C 12345")
    page.fill("#id_departure_date", trip.departure_date.isoformat())
    page.fill("#id_arrival_date", trip.arrival_date.isoformat())
    page.fill("#id_invoice_number", "33000012")
    page.fill("#id_invoice_amount", "9000.00")
    page.set_input_files("#id_invoice_image", str(invoice))
    page.fill("#id_payee_bank", "工商银行富阳支行")
    page.fill("#id_payee_account", "6222021202012345678")
    _submit(journey, "claim page after filing")
    claim = SubsidyClaim.objects.get(enterprise=firm)
    journey.go(f"/subsidies/claims/{claim.pk}/submit/")
    _submit(journey, "claim after submitting")
    claim.refresh_from_db()
    assert claim.status == SubsidyClaim.Status.SUBMITTED

    for username, action in (("claim-township", "township-approve"), ("claim-district", "district-approve")):
        page.context.clear_cookies()
        journey.sign_in(username)
        journey.go(f"/subsidies/claims/{claim.pk}/")
        page.click(f"main a[href='/subsidies/claims/{claim.pk}/{action}/']")
        page.wait_for_load_state()
        journey.check_accessibility(f"{action} form")
        page.fill("#id_reason", "核实无误")
        _submit(journey, f"claim after {action}")
    claim.refresh_from_db()
    assert claim.status == SubsidyClaim.Status.DISTRICT_APPROVED

    journey.go("/subsidies/payouts/new/")
    page.check(f"main input[name=claims][value='{claim.pk}']")
    _submit(journey, "payout batch")
    batch = PayoutBatch.objects.get()
    journey.go(f"/subsidies/payouts/{batch.pk}/paid/")
    page.fill("#id_transfer_reference", "ICBC2020031200001")
    _submit(journey, "paid batch")
    batch.refresh_from_db()
    claim.refresh_from_db()
    assert batch.status == PayoutBatch.Status.PAID and batch.transfer_reference == "ICBC2020031200001"
    assert claim.status == SubsidyClaim.Status.PAID
    journey.go(f"/subsidies/claims/{claim.pk}/")
    assert page.locator(".timeline li").count() >= 4
