"""The Celery pre-check finds what a reviewer should look at and stores it on the claim, idempotently."""

from datetime import date
from decimal import Decimal

import pytest

from subsidies import services
from subsidies.models import CharterTrip, HealthCode, SubsidyClaim, TripPassenger
from subsidies.tasks import precheck_claim
from tests.factories import EnterpriseFactory, enterprise_user
from tests.subsidies.factories import ClaimFactory, RegistrationFactory, TripFactory
from tests.subsidies.factories import submit as file_claim

pytestmark = pytest.mark.django_db
FILED = date(2020, 2, 25)


def codes(claim):
    claim.refresh_from_db()
    return sorted(f["code"] for f in claim.findings)


def submit(claim):
    file_claim(claim, actor=enterprise_user(claim.enterprise), on=FILED)


def test_a_clean_claim_has_no_findings(django_capture_on_commit_callbacks):
    claim = ClaimFactory()
    with django_capture_on_commit_callbacks(execute=True):
        submit(claim)
    claim.refresh_from_db()
    assert claim.findings == [] and claim.prechecked_at is not None


def test_the_same_plate_on_the_same_days_is_flagged():
    first = ClaimFactory(plate="贵C88888")
    second = ClaimFactory(plate="贵C88888", trip__departure_date=date(2020, 2, 19), trip__arrival_date=date(2020, 2, 20))
    submit(second)
    precheck_claim(second.pk)
    assert codes(second) == ["plate_same_day"]
    assert second.findings[0]["params"]["claim"] == first.pk


def test_a_different_day_for_the_same_plate_is_not_flagged():
    ClaimFactory(plate="贵C88888")
    later = ClaimFactory(plate="贵C88888", trip__departure_date=date(2020, 2, 22), trip__arrival_date=date(2020, 2, 23))
    submit(later)
    precheck_claim(later.pk)
    assert codes(later) == []


def test_a_passenger_on_two_trips_with_overlapping_dates_is_flagged():
    firm_a, firm_b = EnterpriseFactory(), EnterpriseFactory()
    # The same person registered with two firms a month apart, then carried by both firms' buses the same week.
    worker_a = RegistrationFactory(enterprise=firm_a, id_number="520322199001010019", return_date=date(2020, 2, 18))
    worker_b = RegistrationFactory(enterprise=firm_b, id_number="520322199001010019", return_date=date(2020, 3, 30))
    trip_a = TripFactory(enterprise=firm_a)
    TripPassenger.objects.create(trip=trip_a, registration=worker_a, travelled=True)
    claim_b = ClaimFactory(trip__enterprise=firm_b, trip__departure_date=date(2020, 2, 19), trip__arrival_date=date(2020, 2, 20))
    TripPassenger.objects.create(trip=claim_b.trip, registration=worker_b, travelled=True)
    submit(claim_b)
    precheck_claim(claim_b.pk)
    assert codes(claim_b) == ["passenger_overlap"]
    assert claim_b.findings[0]["params"]["trip"] == trip_a.pk


def test_caps_and_health_codes_are_flagged():
    claim = ClaimFactory(invoice_amount=Decimal("60000"))
    passenger = claim.trip.passengers.first().registration
    passenger.health_code = HealthCode.YELLOW
    passenger.save()
    submit(claim)
    precheck_claim(claim.pk)
    assert codes(claim) == ["cost_per_head", "health_code", "trip_cap"]
    claim.refresh_from_db()
    assert claim.subsidy_amount == Decimal("20000.00")


def test_running_the_precheck_twice_stores_the_same_findings():
    ClaimFactory(plate="贵C88888")
    claim = ClaimFactory(plate="贵C88888")
    submit(claim)
    precheck_claim(claim.pk)
    claim.refresh_from_db()
    first = claim.findings
    precheck_claim(claim.pk)
    claim.refresh_from_db()
    assert claim.findings == first and len(first) == 1
    assert claim.status == SubsidyClaim.Status.SUBMITTED


def test_a_draft_is_not_prechecked():
    claim = ClaimFactory()
    assert precheck_claim(claim.pk) is None
    claim.refresh_from_db()
    assert claim.prechecked_at is None


def test_precheck_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    small = ClaimFactory(trip=TripFactory(riders=2, status=CharterTrip.Status.COMPLETED))
    large = ClaimFactory(trip=TripFactory(riders=30, status=CharterTrip.Status.COMPLETED))
    for claim in (small, large):
        submit(claim)
    with django_assert_max_num_queries(8):
        services.precheck(small.pk)
    with django_assert_max_num_queries(8):
        services.precheck(large.pk)
