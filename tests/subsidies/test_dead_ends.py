"""No dead ends in the charter-subsidy claims: the invoice image is required (marked, and checked before
anything is saved); after a township check or a district decision the next claim of the same stage opens,
oldest submission first, or the stage's list when none is left; refusals answer as before."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from subsidies.models import SubsidyClaim
from tests.factories import EnterpriseFactory, TownshipFactory, district_user, enterprise_user, township_user

from .factories import ClaimFactory, TripFactory

pytestmark = pytest.mark.django_db
S = SubsidyClaim.Status


def act(claim, slug):
    return reverse("subsidies:claim-action", args=[claim.pk, slug])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def claim_data(trip, **extra):
    return {
        "bus_company": "遵义长运", "plate": "贵C12345", "departure_date": trip.departure_date.isoformat(),
        "arrival_date": trip.arrival_date.isoformat(), "invoice_number": "33000099", "invoice_amount": "9000",
        "payee_bank": "工商银行富阳支行", "payee_account": "6222021202012345678", **extra,
    }


# --- the invoice is required -------------------------------------------------------------------------------


def test_the_invoice_image_is_marked_required_and_checked_before_anything_is_saved(client):
    trip = TripFactory(riders=2)
    client.force_login(enterprise_user(trip.enterprise))
    url = reverse("subsidies:claim-create", args=[trip.pk])
    page = client.get(url).content.decode()
    assert "required" in page.split('name="invoice_image"', 1)[1].split(">", 1)[0]
    assert 'class="text-danger"' in page.split('for="id_invoice_image"', 1)[1].split("</label>", 1)[0]
    response = client.post(url, claim_data(trip))
    assert response.status_code == 200 and response.context["form"].errors["invoice_image"]
    assert not SubsidyClaim.objects.exists()


def test_a_returned_claim_keeps_its_invoice_when_edited(client):
    claim = ClaimFactory(status=S.RETURNED)
    client.force_login(enterprise_user(claim.enterprise))
    url = reverse("subsidies:claim-edit", args=[claim.pk])
    assert "required" not in client.get(url).content.decode().split('name="invoice_image"', 1)[1].split(">", 1)[0]
    response = client.post(url, claim_data(claim.trip, invoice_number=claim.invoice_number, bus_company="富阳客运"))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.bus_company == "富阳客运" and claim.invoice_image


# --- next claim of the same stage --------------------------------------------------------------------------


def claims(status, n, township):
    start = timezone.now() - datetime.timedelta(days=1)
    return [
        ClaimFactory(
            status=status, trip=TripFactory(riders=1, enterprise=EnterpriseFactory(township=township)),
            submitted_at=start + datetime.timedelta(hours=i), subsidy_amount=4500,
        )
        for i in range(n)
    ]


def test_after_a_township_check_the_next_submitted_claim_opens_then_the_empty_list(client):
    township = TownshipFactory()
    first, second = claims(S.SUBMITTED, 2, township)
    claims(S.SUBMITTED, 1, TownshipFactory())  # another township's: never offered
    claims(S.TOWNSHIP_APPROVED, 1, township)  # another stage: not this queue
    client.force_login(township_user(township))
    response = client.post(act(first, "township-approve"), {"reason": "核实无误"})
    assert response.status_code == 302 and response["Location"] == second.get_absolute_url()
    said = " ".join(messages_of(response))
    assert first.invoice_number in said and second.invoice_number in said
    response = client.post(act(second, "township-return"), {"reason": "发票不清晰"})
    assert response["Location"] == f"{reverse('subsidies:claims')}?status=submitted"
    assert SubsidyClaim.objects.get(pk=first.pk).status == S.TOWNSHIP_APPROVED
    assert SubsidyClaim.objects.get(pk=second.pk).status == S.RETURNED


def test_after_a_district_decision_the_next_claim_for_decision_opens(client):
    township = TownshipFactory()
    first, second = claims(S.TOWNSHIP_APPROVED, 2, township)
    claims(S.SUBMITTED, 1, township)  # still at the township: not the district's to decide
    client.force_login(district_user())
    response = client.post(act(first, "district-return"), {"reason": "请补充乘客名单"})
    assert response["Location"] == second.get_absolute_url()
    response = client.post(act(second, "district-reject"), {"reason": "重复申领"})
    assert response["Location"] == f"{reverse('subsidies:claims')}?status={S.TOWNSHIP_APPROVED}"


def test_the_firms_submission_goes_back_to_its_claim(client):
    claim = ClaimFactory()
    client.force_login(enterprise_user(claim.enterprise))
    response = client.post(act(claim, "submit"))
    assert response.status_code == 200  # refused (a 2020 trip, past the filing deadline): shown on the form
    assert SubsidyClaim.objects.get(pk=claim.pk).status == S.DRAFT


def test_refusals_of_the_reviews_answer_as_before(client):
    township = TownshipFactory()
    claim, = claims(S.SUBMITTED, 1, township)
    client.force_login(enterprise_user(claim.enterprise))
    assert client.post(act(claim, "township-approve"), {"reason": ""}).status_code == 403
    client.force_login(township_user(TownshipFactory()))
    assert client.post(act(claim, "township-approve"), {"reason": ""}).status_code == 404
    client.force_login(township_user(township))
    response = client.post(act(claim, "township-return"), {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.post(act(claim, "district-approve"), {"reason": ""}).status_code == 403
    client.force_login(district_user())
    response = client.post(act(claim, "district-reject"), {"reason": "x"})  # not yet checked by the township
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert SubsidyClaim.objects.get(pk=claim.pk).status == S.SUBMITTED


def test_the_next_claim_costs_the_same_queries_whatever_the_queue_length(client):
    township = TownshipFactory()
    client.force_login(township_user(township))

    def approve_first(queue):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(act(queue[0], "township-approve"), {"reason": ""})
        assert response["Location"] == queue[1].get_absolute_url()
        return len(queries)

    few = approve_first(claims(S.SUBMITTED, 2, township))
    SubsidyClaim.objects.filter(status=S.SUBMITTED).update(status=S.RETURNED)
    many = approve_first(claims(S.SUBMITTED, 7, township))
    assert many == few
