"""The API: public registration, scoped reads, and every claim and payout action through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from subsidies.models import CharterTrip, PayoutBatch, SubsidyClaim, WorkerRegistration
from tests.factories import EnterpriseFactory, TownshipFactory, district_user, enterprise_user, township_user
from tests.subsidies.factories import ClaimFactory, RegistrationFactory, TripFactory, invoice_png, resident_id

pytestmark = pytest.mark.django_db
S = SubsidyClaim.Status


@pytest.fixture
def api():
    return APIClient()


def recent_claim(**kwargs):
    today = timezone.localdate()
    trip = TripFactory(riders=4, departure_date=today - timedelta(days=3), arrival_date=today - timedelta(days=2))
    return ClaimFactory(trip=trip, **kwargs)


def test_anyone_can_register_and_gets_a_reference(api):
    firm = EnterpriseFactory()
    response = api.post("/api/v1/worker-registrations/", {
        "employer": firm.credit_code, "name": "杨贵平", "id_number": resident_id(901), "mobile": "13955556666", "origin_province": "520000",
        "origin_county": "520322", "return_date": "2020-02-18", "travel_mode": "charter", "health_code": "green",
    }, format="json")
    assert response.status_code == 201
    assert WorkerRegistration.objects.get().reference == response.json()["reference"]


def test_a_registration_with_a_bad_id_is_refused(api):
    response = api.post("/api/v1/worker-registrations/", {
        "employer": EnterpriseFactory().credit_code, "name": "杨", "id_number": "520322199001010010", "mobile": "13955556666",
        "origin_province": "520000", "return_date": "2020-02-18", "travel_mode": "charter", "health_code": "green",
    }, format="json")
    assert response.status_code == 400 and "id_number" in response.json()
    assert not WorkerRegistration.objects.exists()


def test_anonymous_readers_see_nothing_and_firms_see_their_own(api):
    mine, theirs = RegistrationFactory(), RegistrationFactory()
    assert api.get("/api/v1/worker-registrations/").status_code in (401, 403)
    api.force_authenticate(enterprise_user(mine.enterprise))
    references = [row["reference"] for row in api.get("/api/v1/worker-registrations/").json()["results"]]
    assert references == [mine.reference]
    assert api.get(f"/api/v1/worker-registrations/{theirs.pk}/").status_code == 404
    assert mine.id_number not in str(api.get(f"/api/v1/worker-registrations/{mine.pk}/").json())


def test_a_firm_plans_and_completes_a_trip(api):
    firm = EnterpriseFactory()
    workers = RegistrationFactory.create_batch(3, enterprise=firm)
    api.force_authenticate(enterprise_user(firm))
    response = api.post("/api/v1/charter-trips/", {
        "origin_province": "520000", "origin_county": "520322", "departure_date": "2020-02-18", "seats": 40, "registrations": [w.pk for w in workers],
    }, format="json")
    assert response.status_code == 201, response.json()
    trip_id = response.json()["id"]
    passengers = [p["id"] for p in response.json()["passengers"]]
    response = api.post(f"/api/v1/charter-trips/{trip_id}/complete/", {"arrival_date": "2020-02-19", "travelled": passengers}, format="json")
    assert response.status_code == 200 and response.json()["status"] == CharterTrip.Status.COMPLETED


def test_a_firm_cannot_seat_another_firms_workers(api):
    firm = EnterpriseFactory()
    stranger = RegistrationFactory()
    api.force_authenticate(enterprise_user(firm))
    response = api.post("/api/v1/charter-trips/", {
        "origin_province": "520000", "departure_date": "2020-02-18", "seats": 40, "registrations": [stranger.pk],
    }, format="json")
    assert response.status_code == 400
    assert not CharterTrip.objects.exists()


def test_a_claim_goes_through_every_api_action(api):
    today = timezone.localdate()
    trip = TripFactory(riders=4, departure_date=today - timedelta(days=3), arrival_date=today - timedelta(days=2))
    firm_user = enterprise_user(trip.enterprise)
    api.force_authenticate(firm_user)
    response = api.post("/api/v1/subsidy-claims/", {
        "trip": trip.pk, "bus_company": "遵义长运", "plate": "贵C12345", "invoice_number": "44001234", "invoice_amount": "15000.00",
        "invoice_image": invoice_png(), "payee_bank": "工行", "payee_account": "6222021202012345678",
    }, format="multipart")
    assert response.status_code == 201, response.json()
    claim_id = response.json()["id"]
    assert api.post(f"/api/v1/subsidy-claims/{claim_id}/submit/").json()["status"] == S.SUBMITTED
    assert api.post(f"/api/v1/subsidy-claims/{claim_id}/submit/").status_code == 409  # wrong state

    api.force_authenticate(township_user(TownshipFactory()))
    assert api.post(f"/api/v1/subsidy-claims/{claim_id}/township-approve/", {}, format="json").status_code == 404
    api.force_authenticate(township_user(trip.enterprise.township))
    assert api.post(f"/api/v1/subsidy-claims/{claim_id}/township-return/", {"reason": ""}, format="json").status_code == 400
    assert api.post(f"/api/v1/subsidy-claims/{claim_id}/township-approve/", {"reason": "ok"}, format="json").status_code == 200

    district = district_user()
    api.force_authenticate(district)
    response = api.post(f"/api/v1/subsidy-claims/{claim_id}/district-approve/", {}, format="json")
    assert response.status_code == 200 and Decimal(response.json()["approved_amount"]) == Decimal("7500.00")

    response = api.post("/api/v1/payout-batches/", {"claims": [claim_id]}, format="json")
    assert response.status_code == 201
    batch_id = response.json()["id"]
    assert api.post("/api/v1/payout-batches/", {"claims": [claim_id]}, format="json").status_code == 409
    export = api.get(f"/api/v1/payout-batches/{batch_id}/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert api.post(f"/api/v1/payout-batches/{batch_id}/mark-paid/", {"transfer_reference": "T-1"}, format="json").status_code == 200
    assert api.post(f"/api/v1/payout-batches/{batch_id}/mark-paid/", {"transfer_reference": "T-1"}, format="json").status_code == 200  # retry
    assert api.post(f"/api/v1/payout-batches/{batch_id}/mark-paid/", {"transfer_reference": "T-2"}, format="json").status_code == 409
    assert SubsidyClaim.objects.get(pk=claim_id).status == S.PAID
    assert PayoutBatch.objects.get().transfer_reference == "T-1"


def test_district_return_and_reject_through_the_api(api):
    claim = recent_claim(status=S.TOWNSHIP_APPROVED, subsidy_amount=Decimal("100"))
    other = recent_claim(status=S.TOWNSHIP_APPROVED, subsidy_amount=Decimal("100"))
    api.force_authenticate(district_user())
    assert api.post(f"/api/v1/subsidy-claims/{claim.pk}/district-return/", {"reason": "补充合同"}, format="json").json()["status"] == S.RETURNED
    assert api.post(f"/api/v1/subsidy-claims/{other.pk}/district-reject/", {"reason": "重复"}, format="json").json()["status"] == S.REJECTED


def test_another_firms_claim_is_404_and_a_firm_cannot_pay(api):
    claim = recent_claim()
    api.force_authenticate(enterprise_user())
    assert api.get(f"/api/v1/subsidy-claims/{claim.pk}/").status_code == 404
    assert api.post(f"/api/v1/subsidy-claims/{claim.pk}/submit/").status_code == 404
    api.force_authenticate(enterprise_user(claim.enterprise))
    assert api.get("/api/v1/payout-batches/").status_code == 403
    claim.refresh_from_db()
    assert claim.status == S.DRAFT


def test_a_duplicate_invoice_through_the_api_is_refused(api):
    first = recent_claim()
    trip = TripFactory(riders=2)
    api.force_authenticate(enterprise_user(trip.enterprise))
    response = api.post("/api/v1/subsidy-claims/", {
        "trip": trip.pk, "bus_company": "x", "plate": "贵C12345", "invoice_number": first.invoice_number, "invoice_amount": "100",
        "invoice_image": invoice_png(), "payee_bank": "x", "payee_account": "6222021202012345678",
    }, format="multipart")
    assert response.status_code == 409
    assert SubsidyClaim.objects.count() == 1


def test_the_schema_lists_the_subsidy_endpoints(api):
    api.force_authenticate(district_user())
    schema = api.get("/api/v1/schema/", {"format": "json"}).content.decode()
    for path in ("/api/v1/worker-registrations/", "/api/v1/charter-trips/{id}/complete/", "/api/v1/subsidy-claims/{id}/township-return/",
                 "/api/v1/subsidy-claims/{id}/district-reject/", "/api/v1/payout-batches/{id}/mark-paid/", "/api/v1/payout-batches/{id}/export/"):
        assert path in schema


def test_workers_are_added_to_a_planned_trip_through_the_api(api):
    trip = TripFactory(status=CharterTrip.Status.PLANNED, riders=1)
    mine, stranger = RegistrationFactory(enterprise=trip.enterprise), RegistrationFactory()
    api.force_authenticate(district_user())
    assert api.post(f"/api/v1/charter-trips/{trip.pk}/add-passengers/", {"registrations": [stranger.pk]}, format="json").status_code == 400
    response = api.post(f"/api/v1/charter-trips/{trip.pk}/add-passengers/", {"registrations": [mine.pk]}, format="json")
    assert response.status_code == 200 and len(response.json()["passengers"]) == 2
