"""A claim from draft to paid, and every refusal on the way changes nothing."""

from datetime import date
from decimal import Decimal

import pytest

from fuyang_portal.models import Notification, Transition
from fuyang_portal.workflow import ActionRefused
from subsidies import services
from subsidies.models import CharterTrip, PayoutBatch, SubsidyClaim, TripPassenger
from tests.factories import EnterpriseFactory, TownshipFactory, district_user, enterprise_user, township_user
from tests.subsidies.factories import ClaimFactory, RegistrationFactory, TripFactory, submit

pytestmark = pytest.mark.django_db
FILED = date(2020, 2, 25)
S = SubsidyClaim.Status


@pytest.fixture
def claim():
    return ClaimFactory(invoice_amount=Decimal("12345.67"))


def states(claim):
    claim.refresh_from_db()
    return claim.status


def test_claim_goes_from_draft_to_paid(claim, django_capture_on_commit_callbacks):
    firm = enterprise_user(claim.enterprise)
    township = township_user(claim.enterprise.township)
    district = district_user()
    with django_capture_on_commit_callbacks(execute=True):
        submit(claim, actor=firm, on=FILED)
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED
    assert claim.subsidy_amount == Decimal("6172.84")
    assert claim.policy.version == 1
    assert claim.prechecked_at is not None  # the Celery pre-check ran after commit
    assert Notification.objects.filter(recipient=township).exists()

    services.township_approve(claim, actor=township, comment="材料齐全")
    services.district_approve(claim, actor=district)
    assert states(claim) == S.DISTRICT_APPROVED
    assert claim.approved_amount == Decimal("6172.84")

    batch = services.create_payout_batch(actor=district, claims=[claim])
    services.mark_batch_paid(batch, actor=district, transfer_reference="ICBC20200301001")
    assert states(claim) == S.PAID
    batch.refresh_from_db()
    assert batch.status == PayoutBatch.Status.PAID and batch.paid_at is not None
    actions = list(Transition.objects.for_object(claim).values_list("action", flat=True))
    assert actions == ["submit", "township_approve", "district_approve", "batch", "pay"]


def test_returned_claim_can_be_corrected_and_resubmitted(claim):
    firm = enterprise_user(claim.enterprise)
    submit(claim, actor=firm, on=FILED)
    services.township_return(claim, actor=township_user(claim.enterprise.township), reason="发票不清晰")
    assert states(claim) == S.RETURNED
    assert claim.review_comment == "发票不清晰"
    services.update_claim(claim, actor=firm, bus_company="遵义长运")
    submit(claim, actor=firm, on=FILED)
    assert states(claim) == S.SUBMITTED


def test_district_can_return_or_reject_after_the_township_check(claim):
    firm = enterprise_user(claim.enterprise)
    township = township_user(claim.enterprise.township)
    district = district_user()
    submit(claim, actor=firm, on=FILED)
    services.township_approve(claim, actor=township)
    services.district_return(claim, actor=district, reason="乘客名单不全")
    assert states(claim) == S.RETURNED
    submit(claim, actor=firm, on=FILED)
    services.township_approve(claim, actor=township)
    services.district_reject(claim, actor=district, reason="重复申报")
    assert states(claim) == S.REJECTED
    assert claim.approved_amount is None


def assert_refused(call, code=None):
    with pytest.raises(ActionRefused) as refusal:
        call()
    if code:
        assert refusal.value.code == code
    return refusal.value


def test_claim_for_a_trip_before_the_window_is_refused():
    claim = ClaimFactory(trip__departure_date=date(2020, 2, 10), trip__arrival_date=date(2020, 2, 11))
    refusal = assert_refused(lambda: submit(claim, actor=enterprise_user(claim.enterprise), on=FILED), ActionRefused.INVALID)
    assert "2020-02-14" in str(refusal.message)
    assert states(claim) == S.DRAFT
    assert not Transition.objects.for_object(claim).filter(action="submit").exists()


def test_claim_after_the_filing_deadline_is_refused(claim):
    assert_refused(lambda: submit(claim, actor=enterprise_user(claim.enterprise), on=date(2020, 4, 30)), ActionRefused.INVALID)
    assert states(claim) == S.DRAFT


def test_claim_with_a_passenger_who_is_not_the_firms_is_refused(claim):
    stranger = RegistrationFactory(enterprise=EnterpriseFactory())
    TripPassenger.objects.create(trip=claim.trip, registration=stranger, travelled=True)
    refusal = assert_refused(lambda: submit(claim, actor=enterprise_user(claim.enterprise), on=FILED), ActionRefused.INVALID)
    assert stranger.masked_name in str(refusal.message)
    assert states(claim) == S.DRAFT and claim.subsidy_amount is None


def test_seating_another_firms_registrant_is_refused():
    trip = TripFactory(status=CharterTrip.Status.PLANNED)
    other = RegistrationFactory()
    assert_refused(lambda: services.add_passengers(trip, actor=district_user(), registrations=[other]), ActionRefused.INVALID)
    assert not trip.passengers.exists()


def test_claim_over_the_enterprise_cap_is_refused():
    firm = EnterpriseFactory()
    first = ClaimFactory(trip__enterprise=firm, invoice_amount=Decimal("200000"))
    user = enterprise_user(firm)
    services.revise_policy(
        actor=district_user(), rate=Decimal("0.5"), window_start=date(2020, 2, 14), window_end=None,
        per_trip_cap=Decimal("20000"), per_enterprise_cap=Decimal("20000"), filing_days=30,
    )
    submit(first, actor=user, on=FILED)
    assert first.subsidy_amount == Decimal("20000.00")
    second = ClaimFactory(trip__enterprise=firm)
    refusal = assert_refused(lambda: submit(second, actor=user, on=FILED), ActionRefused.INVALID)
    assert "20000" in str(refusal.message)
    assert states(second) == S.DRAFT


def test_claim_without_an_invoice_image_is_refused():
    claim = ClaimFactory(invoice_image=None)
    assert_refused(lambda: submit(claim, actor=enterprise_user(claim.enterprise), on=FILED), ActionRefused.INVALID)
    assert states(claim) == S.DRAFT


def test_the_same_invoice_number_twice_is_refused_by_the_service_and_the_database():
    first = ClaimFactory(invoice_number="12345678")
    trip = TripFactory(riders=2)
    fields = dict(bus_company="客运公司", plate="贵A12345", invoice_number="12345678", invoice_amount=Decimal("1000"), payee_bank="农行", payee_account="62284801234567")
    refusal = assert_refused(lambda: services.start_claim(trip, actor=enterprise_user(trip.enterprise), **fields), ActionRefused.CONFLICT)
    assert "12345678" in str(refusal.message)
    assert SubsidyClaim.objects.count() == 1
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(invoice_number=first.invoice_number)


@pytest.mark.parametrize(
    "field,value",
    [("invoice_number", "1234"), ("invoice_number", "ABCDEFGH"), ("invoice_amount", Decimal("-100")), ("invoice_amount", Decimal("0")),
     ("invoice_amount", Decimal("9999999")), ("plate", "ABC123"), ("arrival_date", date(2020, 2, 1)), ("payee_account", "12ab")],
)
def test_malformed_claim_fields_are_refused(field, value):
    trip = TripFactory(riders=2)
    fields = dict(bus_company="客运公司", plate="贵A12345", invoice_number="87654321", invoice_amount=Decimal("1000"), payee_bank="农行", payee_account="62284801234567")
    fields[field] = value
    assert_refused(lambda: services.start_claim(trip, actor=enterprise_user(trip.enterprise), **fields), ActionRefused.INVALID)
    assert not SubsidyClaim.objects.exists()


def test_claim_for_a_trip_not_completed_is_refused():
    trip = TripFactory(status=CharterTrip.Status.PLANNED)
    assert_refused(
        lambda: services.start_claim(trip, actor=enterprise_user(trip.enterprise), bus_company="x", plate="贵A12345", invoice_number="11112222",
                                     invoice_amount=Decimal("10"), payee_bank="x", payee_account="12345678"),
        ActionRefused.CONFLICT,
    )


def test_actions_in_the_wrong_state_are_refused(claim):
    district = district_user()
    township = township_user(claim.enterprise.township)
    assert_refused(lambda: services.township_approve(claim, actor=township), ActionRefused.CONFLICT)
    assert_refused(lambda: services.district_approve(claim, actor=district), ActionRefused.CONFLICT)
    submit(claim, actor=enterprise_user(claim.enterprise), on=FILED)
    assert_refused(lambda: services.district_approve(claim, actor=district), ActionRefused.CONFLICT)
    assert_refused(lambda: submit(claim, actor=enterprise_user(claim.enterprise), on=FILED), ActionRefused.CONFLICT)
    assert_refused(lambda: services.create_payout_batch(actor=district, claims=[claim]), ActionRefused.CONFLICT)
    assert states(claim) == S.SUBMITTED


def test_the_wrong_people_are_refused(claim):
    other_firm_user = enterprise_user(EnterpriseFactory(township=claim.enterprise.township))
    assert_refused(lambda: submit(claim, actor=other_firm_user, on=FILED), ActionRefused.FORBIDDEN)
    submit(claim, actor=enterprise_user(claim.enterprise), on=FILED)
    other_township = township_user(TownshipFactory())
    assert_refused(lambda: services.township_approve(claim, actor=other_township), ActionRefused.FORBIDDEN)
    assert_refused(lambda: services.township_approve(claim, actor=district_user()), ActionRefused.FORBIDDEN)
    assert_refused(lambda: services.township_approve(claim, actor=enterprise_user(claim.enterprise)), ActionRefused.FORBIDDEN)
    assert states(claim) == S.SUBMITTED


def test_a_return_needs_a_reason(claim):
    submit(claim, actor=enterprise_user(claim.enterprise), on=FILED)
    assert_refused(lambda: services.township_return(claim, actor=township_user(claim.enterprise.township), reason="  "), ActionRefused.INVALID)
    assert states(claim) == S.SUBMITTED


def test_a_submitted_claim_cannot_be_edited(claim):
    firm = enterprise_user(claim.enterprise)
    submit(claim, actor=firm, on=FILED)
    assert_refused(lambda: services.update_claim(claim, actor=firm, invoice_amount=Decimal("99999")), ActionRefused.CONFLICT)
    claim.refresh_from_db()
    assert claim.invoice_amount == Decimal("12345.67")


def test_policy_revision_adds_a_version_and_keeps_the_old_one():
    district = district_user()
    first = services.current_policy()
    second = services.revise_policy(
        actor=district, rate=Decimal("0.6"), window_start=date(2020, 2, 14), window_end=date(2020, 6, 30),
        per_trip_cap=Decimal("15000"), per_enterprise_cap=Decimal("80000"), filing_days=45, note="提高比例",
    )
    assert second.version == first.version + 1
    first.refresh_from_db()
    assert first.rate == Decimal("0.500")
    assert services.current_policy() == second
    assert_refused(lambda: services.revise_policy(actor=township_user(), rate=Decimal("1"), window_start=date(2020, 1, 1), window_end=None,
                                                  per_trip_cap=Decimal("1"), per_enterprise_cap=Decimal("1"), filing_days=1), ActionRefused.FORBIDDEN)
    assert_refused(lambda: services.revise_policy(actor=district, rate=Decimal("1.5"), window_start=date(2020, 1, 1), window_end=None,
                                                  per_trip_cap=Decimal("1"), per_enterprise_cap=Decimal("1"), filing_days=1), ActionRefused.INVALID)
    assert services.current_policy() == second


def test_claims_keep_the_policy_version_they_were_filed_under(claim):
    submit(claim, actor=enterprise_user(claim.enterprise), on=FILED)
    services.revise_policy(
        actor=district_user(), rate=Decimal("0.1"), window_start=date(2020, 2, 14), window_end=None,
        per_trip_cap=Decimal("15000"), per_enterprise_cap=Decimal("80000"), filing_days=45,
    )
    services.township_approve(claim, actor=township_user(claim.enterprise.township))
    services.district_approve(claim, actor=district_user())
    assert claim.approved_amount == Decimal("6172.84")


def test_moving_the_invoice_dates_does_not_get_a_trip_into_the_window():
    claim = ClaimFactory(trip__departure_date=date(2020, 2, 10), trip__arrival_date=date(2020, 2, 11),
                         departure_date=date(2020, 2, 15), arrival_date=date(2020, 2, 16))
    assert_refused(lambda: submit(claim, actor=enterprise_user(claim.enterprise), on=FILED), ActionRefused.INVALID)
    assert states(claim) == S.DRAFT


def test_a_trip_from_a_county_outside_its_province_is_refused():
    firm = EnterpriseFactory()
    assert_refused(lambda: services.plan_trip(actor=district_user(), enterprise=firm, origin_province="510000", origin_county="520322",
                                              departure_date=date(2020, 2, 18), seats=10, registrations=[]), ActionRefused.INVALID)
    assert not CharterTrip.objects.exists()
