"""Health-check vouchers: issued once to a registered worker, verifiable publicly by their QR code, redeemed once at
a clinic the township lists; a second scan, another township's clinic or an expired voucher is refused and the
first redemption kept; two clinics scanning at once give exactly one redemption."""

import threading
from datetime import date

import pytest
from django.db import connection, connections
from django.urls import reverse

from fuyang_portal import clock
from fuyang_portal.models import Transition
from fuyang_portal.workflow import ActionRefused
from programmes import services
from programmes.models import HealthVoucher
from tests.factories import TownshipFactory, district_user, township_user
from tests.programmes.factories import MONDAY, clinic_user, registration

pytestmark = pytest.mark.django_db


def _voucher(cadre=None, **kwargs):
    cadre = cadre or township_user()
    return services.issue_voucher(cadre, registration(cadre.township), **kwargs), cadre


def test_a_voucher_is_issued_once_per_worker():
    voucher, cadre = _voucher()
    assert voucher.status == HealthVoucher.Status.ISSUED and voucher.expires_on == date(2020, 4, 24)
    with pytest.raises(ActionRefused) as refused:
        services.issue_voucher(cadre, voucher.registration)
    assert refused.value.code == ActionRefused.CONFLICT
    with pytest.raises(ActionRefused):
        services.issue_vouchers(cadre, [registration(cadre.township)] * 2)
    assert HealthVoucher.objects.count() == 1


def test_a_listed_clinic_redeems_once_and_a_second_scan_keeps_the_first(settings):
    settings.LANGUAGE_CODE = "en"
    voucher, cadre = _voucher()
    first, clinic = clinic_user(cadre.township, cadre)
    second, _other = clinic_user(cadre.township, cadre)
    services.redeem_voucher(voucher, first)
    with pytest.raises(ActionRefused) as refused:
        services.redeem_voucher(voucher, second)
    assert refused.value.code == ActionRefused.CONFLICT and clinic.name in str(refused.value.message)
    voucher.refresh_from_db()
    assert (voucher.status, voucher.clinic, voucher.redeemed_by) == (HealthVoucher.Status.REDEEMED, clinic, first)


def test_a_clinic_the_township_does_not_list_is_refused():
    voucher, cadre = _voucher()
    stranger, _clinic = clinic_user(TownshipFactory())
    with pytest.raises(ActionRefused) as refused:
        services.redeem_voucher(voucher, stranger)
    assert refused.value.code == ActionRefused.FORBIDDEN
    with pytest.raises(ActionRefused) as refused:
        services.redeem_voucher(voucher, cadre)
    assert refused.value.code == ActionRefused.FORBIDDEN
    voucher.refresh_from_db()
    assert voucher.status == HealthVoucher.Status.ISSUED


def test_an_expired_or_cancelled_voucher_is_refused():
    voucher, cadre = _voucher(expires_on=date(2020, 2, 25))
    clinic, _c = clinic_user(cadre.township, cadre)
    with clock.at(date(2020, 2, 26)):
        with pytest.raises(ActionRefused) as refused:
            services.redeem_voucher(voucher, clinic)
    assert refused.value.code == ActionRefused.CONFLICT
    services.void_voucher(voucher, cadre, "重复发放")
    with pytest.raises(ActionRefused) as refused:
        services.redeem_voucher(voucher, clinic)
    assert refused.value.code == ActionRefused.CONFLICT


def test_the_public_page_verifies_the_code_and_a_clinic_redeems_from_it(client):
    voucher, cadre = _voucher()
    page = client.get(reverse("programmes:voucher-verify", args=[voucher.code]))
    body = page.content.decode()
    assert page.status_code == 200 and voucher.registration.masked_name in body and voucher.registration.name not in body
    assert client.get(reverse("programmes:voucher-verify", args=["JKNOSUCHCODE"])).status_code == 404
    assert client.post(reverse("programmes:voucher-redeem", args=[voucher.code])).status_code == 302  # to sign in
    clinic, _c = clinic_user(cadre.township, cadre)
    client.force_login(clinic)
    assert "voucher-redeem" not in body
    assert client.post(reverse("programmes:voucher-redeem", args=[voucher.code])).status_code == 302
    again = client.post(reverse("programmes:voucher-redeem", args=[voucher.code]), follow=True)
    assert again.status_code == 200 and HealthVoucher.objects.get().status == HealthVoucher.Status.REDEEMED
    assert Transition.objects.for_object(voucher).filter(action="redeem").count() == 1


def test_the_api_redeems_by_code_and_answers_like_the_service(client):
    voucher, cadre = _voucher()
    clinic, _c = clinic_user(cadre.township, cadre)
    client.force_login(clinic)
    url = reverse("health-voucher-redeem")
    assert client.post(url, {"code": voucher.code}, content_type="application/json").status_code == 200
    assert client.post(url, {"code": voucher.code}, content_type="application/json").status_code == 409
    assert client.post(url, {"code": "nope"}, content_type="application/json").status_code == 404
    # The clinic sees the vouchers redeemed there, nothing else.
    other, _ = _voucher(cadre)
    listed = client.get(reverse("health-voucher-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in rows] == [voucher.pk]
    assert client.get(reverse("programmes:voucher", args=[other.pk])).status_code == 404
    client.force_login(township_user(TownshipFactory()))
    assert client.post(url, {"code": other.code}, content_type="application/json").status_code == 403


def test_issuing_on_the_page_refuses_an_unregistered_worker_with_a_link(client):
    cadre = township_user()
    client.force_login(cadre)
    response = client.post(reverse("programmes:voucher-issue"), {"worker": "LFUNKNOWN"})
    assert response.status_code == 200 and reverse("subsidies:public-register") in response.content.decode()
    worker = registration(cadre.township)
    response = client.post(reverse("programmes:voucher-issue"), {"worker": worker.reference})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "<svg" in detail.content.decode()
    client.force_login(district_user())
    assert client.post(reverse("programmes:voucher-issue"), {"worker": worker.reference}).status_code == 403


def _redeem(voucher_pk, user, barrier, results):
    try:
        if barrier is not None:
            barrier.wait(timeout=10)
        with clock.at(MONDAY):
            services.redeem_voucher(HealthVoucher.objects.get(pk=voucher_pk), user)
        results.append("ok")
    except ActionRefused as refusal:
        results.append(refusal.code)
    finally:
        if barrier is not None:
            connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_clinics_scanning_at_once_redeem_exactly_once():
    voucher, cadre = _voucher()
    first, _a = clinic_user(cadre.township, cadre)
    second, _b = clinic_user(cadre.township, cadre)
    results = []
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=_redeem, args=(voucher.pk, user, barrier, results)) for user in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    else:
        # SQLite serialises writers: the same rule, proved one after the other.
        _redeem(voucher.pk, first, None, results)
        _redeem(voucher.pk, second, None, results)
    assert sorted(results) == ["conflict", "ok"]
    assert HealthVoucher.objects.filter(status=HealthVoucher.Status.REDEEMED).count() == 1
    assert Transition.objects.for_object(voucher).filter(action="redeem").count() == 1


def test_the_township_opens_a_clinic_account_and_the_clinic_finds_a_voucher_by_code(client):
    voucher, cadre = _voucher()
    clinic = services.add_clinic(cadre, name="社区卫生服务中心")
    client.force_login(cadre)
    response = client.post(reverse("programmes:clinic-account-create"), {"clinic": clinic.pk, "username": "tijian1", "full_name": "体检科"},
                           follow=True)
    assert response.status_code == 200
    from programmes.models import ClinicAccount

    account = ClinicAccount.objects.select_related("user").get(clinic=clinic)
    assert account.user.role == "clinic" and account.user.has_usable_password()
    other_clinic = services.add_clinic(township_user(TownshipFactory()), name="别处诊所")
    refused = client.post(reverse("programmes:clinic-account-create"), {"clinic": other_clinic.pk, "username": "x2", "full_name": "x"})
    assert refused.status_code == 200 and not ClinicAccount.objects.filter(clinic=other_clinic).exists()
    client.force_login(account.user)
    found = client.post(reverse("programmes:voucher-lookup"), {"code": voucher.code.lower()})
    assert found.status_code == 302 and found["Location"] == reverse("programmes:voucher-verify", args=[voucher.code])
    assert client.post(reverse("programmes:voucher-lookup"), {"code": "JKNONE"}).status_code == 200
    page = client.get(found["Location"]).content.decode()
    assert reverse("programmes:voucher-redeem", args=[voucher.code]) in page
