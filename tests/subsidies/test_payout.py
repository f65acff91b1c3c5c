"""Payouts: a claim is paid once, whatever happens."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from fuyang_portal.models import Transition
from fuyang_portal.workflow import ActionRefused
from subsidies import services
from subsidies.models import PayoutBatch, PayoutItem, SubsidyClaim
from tests.factories import district_user, enterprise_user, township_user
from tests.subsidies.factories import ClaimFactory, approved_claim

FILED = date(2020, 2, 25)
S = SubsidyClaim.Status



def pay_transitions(claim):
    return Transition.objects.for_object(claim).filter(action="pay").count()


@pytest.mark.django_db
def test_a_claim_cannot_be_in_two_batches():
    district = district_user()
    claim = approved_claim()
    services.create_payout_batch(actor=district, claims=[claim])
    with pytest.raises(ActionRefused):
        services.create_payout_batch(actor=district, claims=[claim])
    assert PayoutBatch.objects.count() == 1
    batch = PayoutBatch.objects.create(number="MANUAL-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        PayoutItem.objects.create(batch=batch, claim=claim, amount=Decimal("1"))  # the database refuses it too


@pytest.mark.django_db
def test_only_approved_claims_go_into_a_batch():
    claim = ClaimFactory()
    with pytest.raises(ActionRefused):
        services.create_payout_batch(actor=district_user(), claims=[claim])
    assert not PayoutBatch.objects.exists()


@pytest.mark.django_db
def test_only_the_district_office_pays():
    claim = approved_claim()
    with pytest.raises(ActionRefused):
        services.create_payout_batch(actor=township_user(claim.enterprise.township), claims=[claim])
    batch = services.create_payout_batch(actor=district_user(), claims=[claim])
    with pytest.raises(ActionRefused):
        services.mark_batch_paid(batch, actor=enterprise_user(claim.enterprise), transfer_reference="X1")
    batch.refresh_from_db()
    assert batch.status == PayoutBatch.Status.OPEN


@pytest.mark.django_db
def test_a_retried_request_pays_once_and_another_reference_is_refused():
    district = district_user()
    claims = [approved_claim(), approved_claim("8888.88")]
    batch = services.create_payout_batch(actor=district, claims=claims)
    services.mark_batch_paid(batch, actor=district, transfer_reference="TR-1")
    services.mark_batch_paid(batch, actor=district, transfer_reference="TR-1")  # the retry
    with pytest.raises(ActionRefused) as refusal:
        services.mark_batch_paid(batch, actor=district, transfer_reference="TR-2")
    assert refusal.value.code == ActionRefused.CONFLICT
    for claim in claims:
        claim.refresh_from_db()
        assert claim.status == S.PAID
        assert pay_transitions(claim) == 1
    assert Transition.objects.for_object(batch).filter(action="mark_paid").count() == 1
    assert services.transfer_summary(batch) == Decimal("5000.00") + Decimal("4444.44")


@pytest.mark.django_db(transaction=True)
def test_two_people_marking_one_batch_paid_at_once_pay_once():
    """On PostgreSQL two transactions race for the batch row; elsewhere the same two calls run in turn.
    Either way exactly one payout is recorded and the loser is refused or finds it done."""
    district_a, district_b = district_user(), district_user()
    claims = [approved_claim(), approved_claim("5000")]
    batch = services.create_payout_batch(actor=district_a, claims=claims)
    concurrent = connection.vendor == "postgresql"
    barrier = threading.Barrier(2) if concurrent else None
    outcomes = []

    def pay(user, reference):
        try:
            if barrier:
                barrier.wait(timeout=10)
            services.mark_batch_paid(PayoutBatch.objects.get(pk=batch.pk), actor=user, transfer_reference=reference)
            outcomes.append("paid")
        except ActionRefused as refusal:
            outcomes.append(refusal.code)
        finally:
            if concurrent:
                connection.close()

    if concurrent:
        threads = [threading.Thread(target=pay, args=(u, r)) for u, r in ((district_a, "BANK-A"), (district_b, "BANK-B"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    else:
        pay(district_a, "BANK-A")
        pay(district_b, "BANK-B")
    assert sorted(outcomes) == [ActionRefused.CONFLICT, "paid"]
    batch.refresh_from_db()
    assert batch.status == PayoutBatch.Status.PAID and batch.transfer_reference in ("BANK-A", "BANK-B")
    assert Transition.objects.for_object(batch).filter(action="mark_paid").count() == 1
    for claim in claims:
        claim.refresh_from_db()
        assert claim.status == S.PAID
        assert pay_transitions(claim) == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_batching_one_claim_at_once_batch_it_once():
    claim = approved_claim()
    district_a, district_b = district_user(), district_user()
    concurrent = connection.vendor == "postgresql"
    barrier = threading.Barrier(2) if concurrent else None
    outcomes = []

    def batch_it(user):
        try:
            if barrier:
                barrier.wait(timeout=10)
            services.create_payout_batch(actor=user, claims=[claim.pk])
            outcomes.append("ok")
        except ActionRefused as refusal:
            outcomes.append(refusal.code)
        finally:
            if concurrent:
                connection.close()

    if concurrent:
        threads = [threading.Thread(target=batch_it, args=(u,)) for u in (district_a, district_b)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    else:
        batch_it(district_a)
        batch_it(district_b)
    assert sorted(outcomes) == [ActionRefused.CONFLICT, "ok"]
    assert PayoutItem.objects.filter(claim=claim).count() == 1
