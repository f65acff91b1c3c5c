"""The pages: a firm goes from registrations to a paid claim in the browser; scope answers 404; lists run a
fixed number of queries."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fuyang_portal.models import AuditEvent
from subsidies.models import CharterTrip, PayoutBatch, PayoutItem, SubsidyClaim, WorkerRegistration
from tests.factories import EnterpriseFactory, TownshipFactory, agency_user, district_user, enterprise_user, township_user
from tests.subsidies.factories import PNG, ClaimFactory, RegistrationFactory, TripFactory, resident_id

pytestmark = pytest.mark.django_db
S = SubsidyClaim.Status


def test_a_firm_goes_from_registrations_to_a_paid_claim_in_the_browser(client, django_capture_on_commit_callbacks):
    firm = EnterpriseFactory(name="杭州润德车轮制造有限公司")
    firm_user, township, district = enterprise_user(firm), township_user(firm.township), district_user()
    today = timezone.localdate()

    client.force_login(firm_user)
    for n in range(3):
        client.post(reverse("subsidies:registration-create"), {
            "mobile": f"1391000000{n}", "name": f"黔工{n}", "id_number": resident_id(300 + n), "origin_province": "520000",
            "origin_county": "520322", "return_date": today.isoformat(), "travel_mode": "charter", "health_code": "green",
        })
    registrations = list(WorkerRegistration.objects.filter(enterprise=firm))
    assert len(registrations) == 3

    response = client.post(reverse("subsidies:trip-plan"), {
        "origin_province": "520000", "origin_county": "520322", "departure_date": (today - timedelta(days=2)).isoformat(), "seats": 45,
        "registrations": [r.pk for r in registrations],
    })
    trip = CharterTrip.objects.get()
    assert response.url == trip.get_absolute_url()
    passengers = list(trip.passengers.values_list("pk", flat=True))
    client.post(reverse("subsidies:trip-complete", args=[trip.pk]), {
        "departure_date": (today - timedelta(days=2)).isoformat(), "arrival_date": (today - timedelta(days=1)).isoformat(), "travelled": passengers[:2],
    })
    trip.refresh_from_db()
    assert trip.status == CharterTrip.Status.COMPLETED and trip.passengers.filter(travelled=True).count() == 2

    response = client.post(reverse("subsidies:claim-create", args=[trip.pk]), {
        "bus_company": "遵义长运", "plate": "贵C 12345", "departure_date": trip.departure_date.isoformat(), "arrival_date": trip.arrival_date.isoformat(),
        "invoice_number": "33000012", "invoice_amount": "9000.05", "invoice_image": SimpleUploadedFile("fapiao.png", PNG),
        "payee_bank": "工商银行富阳支行", "payee_account": "6222021202012345678",
    })
    claim = SubsidyClaim.objects.get()
    assert claim.plate == "贵C12345"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("subsidies:claim-action", args=[claim.pk, "submit"]))
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED and claim.subsidy_amount == Decimal("4500.03")

    client.force_login(township)
    assert "4500.03" in client.get(claim.get_absolute_url()).content.decode()
    client.post(reverse("subsidies:claim-action", args=[claim.pk, "township-approve"]), {"reason": "核实无误"})
    client.force_login(district)
    client.post(reverse("subsidies:claim-action", args=[claim.pk, "district-approve"]), {"reason": ""})
    claim.refresh_from_db()
    assert claim.status == S.DISTRICT_APPROVED

    response = client.post(reverse("subsidies:payout-create"), {"claims": [claim.pk]})
    batch = PayoutBatch.objects.get()
    export = client.get(reverse("subsidies:payout-export", args=[batch.pk]))
    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet.cell(2, 2).value == firm.name and Decimal(str(sheet.cell(2, 6).value)) == Decimal("4500.03")
    assert sheet.cell(2, 5).value == "6222021202012345678"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, target=f"payout:{batch.number}").exists()
    client.post(reverse("subsidies:payout-paid", args=[batch.pk]), {"transfer_reference": "ICBC-0001"})
    claim.refresh_from_db()
    assert claim.status == S.PAID

    client.force_login(firm_user)
    assert str(claim.get_status_display()) in client.get(claim.get_absolute_url()).content.decode()


def test_an_invoice_file_that_is_not_an_image_is_refused(client):
    trip = TripFactory(riders=2)
    client.force_login(enterprise_user(trip.enterprise))
    response = client.post(reverse("subsidies:claim-create", args=[trip.pk]), {
        "bus_company": "x", "plate": "贵C12345", "departure_date": "2020-02-18", "arrival_date": "2020-02-19", "invoice_number": "33000012",
        "invoice_amount": "100", "invoice_image": SimpleUploadedFile("fapiao.png", b"MZ\x90\x00 not an image"), "payee_bank": "x",
        "payee_account": "6222021202012345678",
    })
    assert response.status_code == 200 and response.context["form"].errors["invoice_image"]
    assert not SubsidyClaim.objects.exists()


def test_a_refused_submission_shows_the_reason_and_changes_nothing(client):
    claim = ClaimFactory()  # a 2020 trip: long past the filing deadline today
    client.force_login(enterprise_user(claim.enterprise))
    response = client.post(reverse("subsidies:claim-action", args=[claim.pk, "submit"]))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    claim.refresh_from_db()
    assert claim.status == S.DRAFT


def test_another_firms_claim_answers_404(client):
    claim = ClaimFactory()
    client.force_login(enterprise_user(EnterpriseFactory(township=claim.enterprise.township)))
    for url in (claim.get_absolute_url(), reverse("subsidies:claim-invoice", args=[claim.pk]), reverse("subsidies:claim-action", args=[claim.pk, "submit"]),
                reverse("subsidies:claim-edit", args=[claim.pk]), claim.trip.get_absolute_url()):
        assert client.get(url).status_code == 404
    assert client.post(reverse("subsidies:claim-action", args=[claim.pk, "submit"])).status_code == 404
    claim.refresh_from_db()
    assert claim.status == S.DRAFT


def test_a_township_reviewing_another_townships_claim_gets_404(client):
    claim = ClaimFactory(status=S.SUBMITTED)
    client.force_login(township_user(TownshipFactory()))
    assert client.get(claim.get_absolute_url()).status_code == 404
    assert client.post(reverse("subsidies:claim-action", args=[claim.pk, "township-approve"]), {"reason": ""}).status_code == 404
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


def test_wrong_roles_are_refused(client):
    claim = ClaimFactory(status=S.SUBMITTED)
    client.force_login(enterprise_user(claim.enterprise))
    assert client.get(reverse("subsidies:payouts")).status_code == 403
    assert client.get(reverse("subsidies:statistics")).status_code == 403
    assert client.post(reverse("subsidies:claim-action", args=[claim.pk, "township-approve"])).status_code == 403
    client.force_login(agency_user())
    assert client.get(reverse("subsidies:claims")).status_code == 403
    client.force_login(township_user(claim.enterprise.township))
    assert client.post(reverse("subsidies:policy"), {"rate": "0.9"}).status_code == 403
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


def test_the_invoice_image_is_served_to_the_reviewer_and_audited(client):
    claim = ClaimFactory()
    client.force_login(township_user(claim.enterprise.township))
    response = client.get(reverse("subsidies:claim-invoice", args=[claim.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DOWNLOAD, target=f"claim:{claim.pk}").exists()


def test_the_enterprise_sees_only_its_own_registrations(client):
    mine = RegistrationFactory()
    theirs = RegistrationFactory()
    client.force_login(enterprise_user(mine.enterprise))
    body = client.get(reverse("subsidies:registrations")).content.decode()
    assert mine.reference in body and theirs.reference not in body
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_the_demand_page_groups_by_county_and_week_and_lists_the_unseated(client):
    firm = EnterpriseFactory()
    RegistrationFactory.create_batch(3, enterprise=firm, origin_county="520322")
    seated = TripFactory(enterprise=firm, riders=2, status=CharterTrip.Status.PLANNED)
    client.force_login(district_user())
    response = client.get(reverse("subsidies:demand"))
    rows = response.context["rows"]
    assert [(r["origin_county"], r["total"], r["unseated_charter"]) for r in rows] == [("520322", 5, 3)]
    assert [(w["enterprise_id"], w["workers"]) for w in response.context["waiting"]] == [(firm.pk, 3)]
    assert "桐梓县" in response.content.decode()
    assert seated.pk


def test_the_policy_page_adds_a_version(client):
    client.force_login(district_user())
    response = client.post(reverse("subsidies:policy"), {
        "rate": "0.5", "window_start": "2020-02-14", "window_end": "", "per_trip_cap": "18000", "per_enterprise_cap": "90000", "filing_days": "30", "note": "调整上限",
    })
    assert response.status_code == 302
    body = client.get(reverse("subsidies:policy")).content.decode()
    assert "v2" in body and "v1" in body and "调整上限" in body


def _grow(n):
    for _ in range(n):
        ClaimFactory(trip=TripFactory(riders=1), status=S.SUBMITTED, subsidy_amount=Decimal("100"))
        RegistrationFactory()
        approved = ClaimFactory(trip=TripFactory(riders=1), status=S.DISTRICT_APPROVED, subsidy_amount=Decimal("50"), approved_amount=Decimal("50"))
        batch = PayoutBatch.objects.create(number=f"T{approved.pk:06d}")
        PayoutItem.objects.create(batch=batch, claim=approved, amount=approved.approved_amount)


@pytest.mark.parametrize("url_name", ["subsidies:claims", "subsidies:trips", "subsidies:registrations", "subsidies:payouts", "subsidies:demand", "subsidies:statistics"])
def test_list_pages_run_the_same_number_of_queries_at_two_sizes(client, django_assert_num_queries, url_name):
    client.force_login(district_user())
    _grow(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(url_name)).status_code == 200
    _grow(8)
    with django_assert_num_queries(len(small)):
        assert client.get(reverse(url_name)).status_code == 200


def test_workers_are_added_to_a_planned_trip_and_the_bus_cannot_overfill(client):
    trip = TripFactory(status=CharterTrip.Status.PLANNED, seats=3, riders=2)
    newcomers = RegistrationFactory.create_batch(2, enterprise=trip.enterprise)
    client.force_login(enterprise_user(trip.enterprise))
    url = reverse("subsidies:trip-passengers", args=[trip.pk])
    response = client.post(url, {"registrations": [r.pk for r in newcomers]})
    assert "3" in " ".join(response.context["form"].non_field_errors())
    assert trip.passengers.count() == 2
    client.post(url, {"registrations": [newcomers[0].pk]})
    assert trip.passengers.count() == 3


def test_a_cancelled_trip_frees_its_workers(client):
    trip = TripFactory(status=CharterTrip.Status.PLANNED, riders=2)
    client.force_login(district_user())
    client.post(reverse("subsidies:trip-cancel", args=[trip.pk]), {"reason": "班次取消"})
    trip.refresh_from_db()
    assert trip.status == CharterTrip.Status.CANCELLED
    assert WorkerRegistration.objects.filter(enterprise=trip.enterprise).not_on_trip().count() == 2


@pytest.mark.parametrize("model", ["workerregistration", "chartertrip", "subsidyclaim", "subsidypolicy", "payoutbatch"])
def test_admin_lists_and_forms_render(admin_client, model):
    claim = ClaimFactory(status=S.DISTRICT_APPROVED, subsidy_amount=Decimal("10"), approved_amount=Decimal("10"))
    batch = PayoutBatch.objects.create(number="ADMIN-1")
    from subsidies.services import current_policy

    objects = {"workerregistration": claim.trip.passengers.first().registration, "chartertrip": claim.trip, "subsidyclaim": claim,
               "subsidypolicy": current_policy(), "payoutbatch": batch}
    assert admin_client.get(reverse(f"admin:subsidies_{model}_changelist")).status_code == 200
    body = admin_client.get(reverse(f"admin:subsidies_{model}_change", args=[objects[model].pk])).content.decode()
    if model == "workerregistration":
        assert objects[model].id_number not in body


def test_the_list_of_workers_needing_a_bus_shows_only_the_unseated(client):
    firm = EnterpriseFactory()
    waiting = RegistrationFactory(enterprise=firm)
    by_train = RegistrationFactory(enterprise=firm, travel_mode="train")
    seated = TripFactory(enterprise=firm, riders=1, status=CharterTrip.Status.PLANNED).passengers.get().registration
    client.force_login(district_user())
    body = client.get(reverse("subsidies:registrations"), {"travel_mode": "charter", "not_on_trip": "true"}).content.decode()
    assert waiting.reference in body
    assert by_train.reference not in body and seated.reference not in body
