"""Issue 19 in the charter programme: one policy for every model, permission before validation, the same answer
on page and API, one write path with its history, and batch numbers that cannot collide."""

import threading
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fuyang_portal import clock, policy
from fuyang_portal.models import Transition
from fuyang_portal.roles import Role
from fuyang_portal.visibility import DISTRICT_ROLES
from fuyang_portal.workflow import ActionRefused
from subsidies import services
from subsidies.models import CharterTrip, PayoutBatch, SubsidyClaim, TripPassenger, WorkerRegistration
from tests.factories import (
    EnterpriseFactory,
    TownshipFactory,
    agency_user,
    district_user,
    enterprise_user,
    specialist_user,
    township_user,
)
from tests.subsidies.factories import ClaimFactory, RegistrationFactory, TripFactory, approved_claim, resident_id

S = SubsidyClaim.Status



# --- Every model declares its scope for every role, and its actions ------------------------------------


@pytest.mark.parametrize("model", list(apps.get_app_config("subsidies").get_models()), ids=lambda m: m.__name__)
def test_every_model_declares_every_role_and_its_actions(model):
    assert model.objects.all().declared_scopes() >= set(DISTRICT_ROLES), model
    assert policy.declaration(model) is not None, model


@pytest.mark.django_db
def test_trip_passengers_are_seen_with_their_firm_only():
    trip = TripFactory(riders=2)
    other = TripFactory(riders=1)
    firm, township = enterprise_user(trip.enterprise), township_user(trip.enterprise.township)
    assert set(TripPassenger.objects.visible_to(firm)) == set(trip.passengers.all())
    assert set(TripPassenger.objects.visible_to(township)) == set(trip.passengers.all()) - set(other.passengers.all())
    for outsider in (agency_user(), specialist_user(), enterprise_user()):
        assert not TripPassenger.objects.visible_to(outsider).exists()
    assert TripPassenger.objects.visible_to(district_user()).count() == 3


# --- Same answer on page and API; permission before validation --------------------------------------------


@pytest.mark.django_db
def test_marking_a_batch_paid_answers_like_the_batch_page(client):
    batch = services.create_payout_batch(actor=district_user(), claims=[approved_claim()])
    api = APIClient()
    for user in (township_user(), enterprise_user(), agency_user(), specialist_user()):
        client.force_login(user)
        api.force_authenticate(user)
        assert client.get(reverse("subsidies:payout", args=[batch.pk])).status_code == 403
        assert client.get(reverse("subsidies:payout-paid", args=[batch.pk])).status_code == 403
        assert client.post(reverse("subsidies:payout-paid", args=[batch.pk]), {}).status_code == 403
        assert api.get(f"/api/v1/payout-batches/{batch.pk}/").status_code == 403
        assert api.post(f"/api/v1/payout-batches/{batch.pk}/mark-paid/", {}, format="json").status_code == 403
    batch.refresh_from_db()
    assert batch.status == PayoutBatch.Status.OPEN


@pytest.mark.django_db
def test_an_empty_post_from_the_wrong_role_is_refused_before_it_is_read():
    """Every API write of the app, by a role the policy refuses: 403 (or 404 out of scope), never 400."""
    planned = TripFactory(status=CharterTrip.Status.PLANNED, riders=1)
    completed = TripFactory(riders=1)
    draft = ClaimFactory(trip=completed)
    submitted = ClaimFactory(status=S.SUBMITTED)
    checked = ClaimFactory(status=S.TOWNSHIP_APPROVED)
    batch = services.create_payout_batch(actor=district_user(), claims=[approved_claim()])
    township = township_user(planned.enterprise.township)
    cases = [
        (township_user(), "/api/v1/worker-registrations/"),
        (township, "/api/v1/charter-trips/"),
        (township, f"/api/v1/charter-trips/{planned.pk}/complete/"),
        (township, f"/api/v1/charter-trips/{planned.pk}/add-passengers/"),
        (township, f"/api/v1/charter-trips/{planned.pk}/cancel/"),
        (district_user(), "/api/v1/subsidy-claims/"),
        (district_user(), f"/api/v1/subsidy-claims/{draft.pk}/submit/"),
        (enterprise_user(submitted.enterprise), f"/api/v1/subsidy-claims/{submitted.pk}/township-approve/"),
        (enterprise_user(submitted.enterprise), f"/api/v1/subsidy-claims/{submitted.pk}/township-return/"),
        (township_user(checked.enterprise.township), f"/api/v1/subsidy-claims/{checked.pk}/district-approve/"),
        (township_user(checked.enterprise.township), f"/api/v1/subsidy-claims/{checked.pk}/district-return/"),
        (township_user(checked.enterprise.township), f"/api/v1/subsidy-claims/{checked.pk}/district-reject/"),
        (enterprise_user(), "/api/v1/payout-batches/"),
        (township_user(), f"/api/v1/payout-batches/{batch.pk}/mark-paid/"),
        (agency_user(), "/api/v1/subsidy-claims/"),
        (specialist_user(), "/api/v1/charter-trips/"),
    ]
    api = APIClient()
    for user, url in cases:
        api.force_authenticate(user)
        for body in ({}, {"registrations": "x", "reason": None, "transfer_reference": ""}):
            answer = api.post(url, body, format="json").status_code
            assert answer in (403, 404), (user.role, url, answer)
    # An out-of-scope record answers 404, as its page does.
    api.force_authenticate(township_user(TownshipFactory()))
    assert api.post(f"/api/v1/subsidy-claims/{submitted.pk}/township-approve/", {}, format="json").status_code == 404
    assert SubsidyClaim.objects.get(pk=submitted.pk).status == S.SUBMITTED
    assert CharterTrip.objects.get(pk=planned.pk).status == CharterTrip.Status.PLANNED


@pytest.mark.django_db
def test_a_hidden_trip_or_firm_answers_like_a_missing_one():
    mine, hidden = TripFactory(riders=1), TripFactory(riders=1)
    api = APIClient()
    api.force_authenticate(enterprise_user(mine.enterprise))
    body = {"bus_company": "x", "plate": "贵C12345", "invoice_number": "44001234", "invoice_amount": "10", "payee_bank": "x",
            "payee_account": "6222021202012345678"}
    hidden_answer = api.post("/api/v1/subsidy-claims/", {**body, "trip": hidden.pk}, format="multipart")
    missing_answer = api.post("/api/v1/subsidy-claims/", {**body, "trip": 999999}, format="multipart")
    assert hidden_answer.status_code == missing_answer.status_code == 400
    assert str(hidden.pk) in hidden_answer.json()["trip"][0]
    assert hidden_answer.json()["trip"][0].replace(str(hidden.pk), "N") == missing_answer.json()["trip"][0].replace("999999", "N")
    api.force_authenticate(district_user())
    registration = RegistrationFactory(enterprise=mine.enterprise)
    answer = api.post("/api/v1/charter-trips/", {"enterprise": 999999, "origin_province": "520000", "departure_date": "2020-02-18",
                                              "seats": 10, "registrations": [registration.pk]}, format="json")
    assert answer.status_code == 400 and "enterprise" in answer.json()
    assert not SubsidyClaim.objects.exists()


@pytest.mark.django_db
def test_the_claim_page_shows_the_actions_the_table_allows_and_nothing_else(client):
    claim = ClaimFactory(status=S.SUBMITTED)
    firm, township, district = enterprise_user(claim.enterprise), township_user(claim.enterprise.township), district_user()
    url = reverse("subsidies:claim", args=[claim.pk])
    action = lambda slug: reverse("subsidies:claim-action", args=[claim.pk, slug])  # noqa: E731
    client.force_login(township)
    body = client.get(url).content.decode()
    assert action("township-approve") in body and action("township-return") in body
    assert action("district-approve") not in body and action("submit") not in body
    client.force_login(firm)
    body = client.get(url).content.decode()
    assert action("submit") not in body and reverse("subsidies:claim-edit", args=[claim.pk]) not in body
    assert client.get(action("township-approve")).status_code == 403
    client.force_login(district)
    body = client.get(url).content.decode()
    assert not any(action(slug) in body for slug in ("submit", "township-approve", "district-approve", "district-reject"))


# --- One write path: validators on the service, history with its actor -------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("field,value", [
    ("id_number", "520322199001010010"),  # wrong check digit
    ("mobile", "12345678901"),
    ("origin_county", "110101"),  # a county of another province
    ("origin_province", "990000"),
])
def test_the_registration_service_refuses_what_every_form_refuses(field, value):
    """The public form, the firm's form, the API and the demo all call register_worker: it validates itself."""
    firm = EnterpriseFactory()
    values = dict(name="杨贵平", id_number=resident_id(777), mobile="13955556666", origin_province="520000", origin_county="520322",
                  return_date=date(2020, 2, 18), travel_mode="charter", health_code="green")
    values[field] = value
    for actor in (None, enterprise_user(firm)):
        with pytest.raises(ActionRefused) as refusal:
            services.register_worker(enterprise=firm, actor=actor, **values)
        assert refusal.value.code == ActionRefused.INVALID
    assert not WorkerRegistration.objects.exists()


@pytest.mark.django_db
def test_a_trip_from_an_unknown_county_is_refused_by_the_service():
    firm = EnterpriseFactory()
    with pytest.raises(ActionRefused):
        services.plan_trip(actor=district_user(), enterprise=firm, origin_province="520000", origin_county="999999",
                           departure_date=date(2020, 2, 18), seats=10, registrations=[])
    assert not CharterTrip.objects.exists()


@pytest.mark.django_db
def test_every_create_and_change_leaves_a_history_row_with_its_actor():
    firm = EnterpriseFactory()
    hr, district = enterprise_user(firm), district_user()
    moment = timezone.make_aware(datetime(2020, 2, 17, 15, 0))
    with clock.at(moment):
        registration = services.register_worker(
            enterprise=firm, actor=hr, name="杨贵平", id_number=resident_id(778), mobile="13955556667", origin_province="520000",
            origin_county="520322", return_date=date(2020, 2, 18), travel_mode="charter", health_code="green",
        )
        trip = services.plan_trip(actor=hr, enterprise=firm, origin_province="520000", origin_county="520322",
                                  departure_date=date(2020, 2, 18), seats=10, registrations=[registration])
        services.complete_trip(trip, actor=hr, travelled=trip.passengers.values_list("pk", flat=True), arrival_date=date(2020, 2, 19))
        claim = services.start_claim(trip, actor=hr, bus_company="遵义长运", plate="贵C12345", invoice_number="44001234",
                                     invoice_amount=Decimal("1000"), payee_bank="工行", payee_account="6222021202012345678")
        services.update_claim(claim, actor=hr, bus_company="遵义长运集团")
        rules = services.revise_policy(actor=district, rate=Decimal("0.5"), window_start=date(2020, 2, 14), window_end=None,
                                       per_trip_cap=Decimal("20000"), per_enterprise_cap=Decimal("100000"), filing_days=30)
    rows = [(type(t.subject).__name__, t.action, t.actor) for t in Transition.objects.order_by("pk")]
    assert rows == [
        ("WorkerRegistration", "create", hr),
        ("CharterTrip", "create", hr),
        ("CharterTrip", "complete", hr),
        ("SubsidyClaim", "create", hr),
        ("SubsidyClaim", "change", hr),
        ("SubsidyPolicy", "create", district),
    ]
    assert set(Transition.objects.values_list("at", flat=True)) == {moment}
    assert registration.created_at == trip.created_at == claim.created_at == rules.created_at == moment


@pytest.mark.django_db
def test_only_the_firm_edits_its_claim_and_the_edit_is_validated():
    claim = ClaimFactory()
    with pytest.raises(ActionRefused) as refusal:
        services.update_claim(claim, actor=township_user(claim.enterprise.township), bus_company="x")
    assert refusal.value.code == ActionRefused.FORBIDDEN
    with pytest.raises(ActionRefused) as refusal:
        services.update_claim(claim, actor=enterprise_user(claim.enterprise), plate="ABC123")
    assert refusal.value.code == ActionRefused.INVALID
    assert not Transition.objects.for_object(claim).exists()


# --- Batch numbers ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_batch_numbers_follow_the_business_date_and_count_per_day():
    district = district_user()
    claims = [approved_claim() for _ in range(3)]
    with clock.at(date(2020, 2, 23)):
        first = services.create_payout_batch(actor=district, claims=[claims[0]])
        second = services.create_payout_batch(actor=district, claims=[claims[1]])
    with clock.at(date(2020, 2, 24)):
        third = services.create_payout_batch(actor=district, claims=[claims[2]])
    assert [b.number for b in (first, second, third)] == ["ZF20200223-001", "ZF20200223-002", "ZF20200224-001"]
    # A batch removed by hand does not make the next number repeat one already given.
    PayoutBatch.objects.filter(pk=first.pk).update(number="ZF-REMOVED")
    with clock.at(date(2020, 2, 23)):
        fourth = services.create_payout_batch(actor=district, claims=[approved_claim()])
    assert fourth.number == "ZF20200223-003"
    assert [c.status for c in SubsidyClaim.objects.filter(pk__in=[c.pk for c in claims])] == [S.BATCHED] * 3


@pytest.mark.django_db(transaction=True)
def test_two_batches_made_at_once_get_two_numbers():
    """On PostgreSQL two district officers prepare a batch in the same instant (two threads, two connections);
    elsewhere the two calls run in turn. Either way both batches are made, with distinct numbers."""
    claims = [approved_claim(), approved_claim("5000")]
    officers = [district_user(), district_user()]
    concurrent = connection.vendor == "postgresql"
    barrier = threading.Barrier(2) if concurrent else None
    numbers, errors = [], []

    def prepare(user, claim):
        try:
            if barrier:
                barrier.wait(timeout=10)
            with clock.at(date(2020, 2, 24)):
                numbers.append(services.create_payout_batch(actor=user, claims=[claim.pk]).number)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            if concurrent:
                connection.close()

    if concurrent:
        threads = [threading.Thread(target=prepare, args=pair) for pair in zip(officers, claims)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    else:
        for pair in zip(officers, claims):
            prepare(*pair)
    assert errors == []
    assert sorted(numbers) == ["ZF20200224-001", "ZF20200224-002"]
    assert PayoutBatch.objects.count() == 2


@pytest.mark.django_db
def test_only_the_district_office_prepares_and_exports_batches(client):
    claim = approved_claim()
    with pytest.raises(ActionRefused) as refusal:
        services.create_payout_batch(actor=township_user(claim.enterprise.township), claims=[claim])
    assert refusal.value.code == ActionRefused.FORBIDDEN
    assert policy.can(district_user(), "export", model=PayoutBatch)
    assert not any(policy.can(u, "export", model=PayoutBatch) for u in (township_user(), enterprise_user()))
    assert Role.DISTRICT in PayoutBatch.objects.open_roles() and len(PayoutBatch.objects.open_roles()) == 1
