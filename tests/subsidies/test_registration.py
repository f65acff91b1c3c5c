"""Worker-return registration: the public form, the employer's form, duplicates, rate limits, status look-up."""

from datetime import date

import pytest
from django.urls import reverse

from fuyang_portal.identity import lookup_hash
from fuyang_portal.models import AuditEvent
from fuyang_portal.workflow import ActionRefused
from subsidies import services
from subsidies.models import CharterTrip, TripPassenger, WorkerRegistration
from tests.factories import EnterpriseFactory, district_user, enterprise_user
from tests.subsidies.factories import RegistrationFactory, TripFactory, resident_id

pytestmark = pytest.mark.django_db
REGISTER = reverse("subsidies:public-register")
STATUS = reverse("subsidies:public-status")


def form_data(firm, **overrides):
    data = {
        "mobile": "13912345678",
        "name": "张贵生",
        "id_number": resident_id(77),
        "employer": firm.credit_code,
        "origin_province": "520000",
        "origin_county": "520322",
        "return_date": "2020-02-18",
        "travel_mode": "charter",
        "health_code": "green",
    }
    data.update(overrides)
    return data


def test_a_worker_registers_without_signing_in_and_gets_a_reference(client):
    firm = EnterpriseFactory()
    response = client.post(REGISTER, form_data(firm), follow=True)
    registration = WorkerRegistration.objects.get()
    assert registration.reference in response.content.decode()
    assert registration.enterprise == firm
    assert registration.origin_city == "520300"  # 遵义市, from the code list
    assert registration.source == WorkerRegistration.Source.PUBLIC
    assert registration.id_number_hash == lookup_hash(resident_id(77))


def test_the_id_number_is_encrypted_at_rest(client):
    from django.db import connection

    client.post(REGISTER, form_data(EnterpriseFactory()))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM subsidies_workerregistration")
        stored = cursor.fetchone()[0]
    assert resident_id(77) not in stored


def test_the_employer_can_be_named_instead_of_coded(client):
    firm = EnterpriseFactory(name="杭州润德车轮制造有限公司")
    client.post(REGISTER, form_data(firm, employer="润德车轮"))
    assert WorkerRegistration.objects.get().enterprise == firm


@pytest.mark.parametrize(
    "field,value",
    [("id_number", "520322199001010010"), ("mobile", "12345"), ("employer", "不存在的公司"), ("origin_county", "330111"), ("travel_mode", "plane")],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(client, field, value):
    response = client.post(REGISTER, form_data(EnterpriseFactory(), **{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not WorkerRegistration.objects.exists()


def test_the_same_id_in_the_same_return_window_is_refused(client):
    firm = EnterpriseFactory()
    client.post(REGISTER, form_data(firm))
    response = client.post(REGISTER, form_data(firm, mobile="13912345679", return_date="2020-02-25"))
    assert WorkerRegistration.objects.count() == 1
    errors = " ".join(response.context["form"].non_field_errors())
    assert "2020-02-18" in errors
    assert WorkerRegistration.objects.get().reference not in errors  # another mobile does not learn the reference


def test_the_same_id_in_another_return_window_is_accepted():
    firm = EnterpriseFactory()
    kwargs = dict(enterprise=firm, name="张三", id_number=resident_id(5), mobile="13900000000", origin_province="520000",
                  origin_county="", travel_mode="train", health_code="green")
    services.register_worker(return_date=date(2020, 2, 1), **kwargs)
    services.register_worker(return_date=date(2020, 6, 1), **kwargs)
    assert WorkerRegistration.objects.count() == 2


def test_the_public_form_is_rate_limited_per_mobile(client):
    firm = EnterpriseFactory()
    for n in range(services.RATE_LIMITS["mobile"][0]):
        client.post(REGISTER, form_data(firm, id_number=resident_id(100 + n), return_date=f"2020-0{1 + n}-01"))
    assert WorkerRegistration.objects.count() == 3
    response = client.post(REGISTER, form_data(firm, id_number=resident_id(200), return_date="2020-09-01"))
    assert response.status_code == 429
    assert WorkerRegistration.objects.count() == 3


def test_the_public_form_is_rate_limited_per_address(client):
    firm = EnterpriseFactory()
    limit = services.RATE_LIMITS["ip"][0]
    for n in range(limit):
        client.post(REGISTER, form_data(firm, mobile="1391234%04d" % n, id_number="bad"))
    response = client.post(REGISTER, form_data(firm, mobile="13800000000"))
    assert response.status_code == 429
    assert not WorkerRegistration.objects.exists()


def test_a_worker_checks_the_status_with_reference_and_mobile(client):
    registration = RegistrationFactory(mobile="13911112222")
    trip = TripFactory(enterprise=registration.enterprise, status=CharterTrip.Status.PLANNED, departure_date=date(2020, 2, 18))
    TripPassenger.objects.create(trip=trip, registration=registration)
    response = client.post(STATUS, {"reference": registration.reference.lower(), "mobile": "13911112222"})
    body = response.content.decode()
    assert "2020-02-18" in body
    assert registration.enterprise.name in body


def test_a_forged_lookup_reveals_nothing(client):
    registration = RegistrationFactory(mobile="13911112222", name="李秘密")
    for reference, mobile in ((registration.reference, "13900000000"), ("LFAAAAAAAAAA", "13911112222")):
        response = client.post(STATUS, {"reference": reference, "mobile": mobile})
        body = response.content.decode()
        assert response.context["registration"] is None and response.context["not_found"]
        assert registration.enterprise.name not in body and "李*" not in body


def test_lookups_are_rate_limited(client):
    for _ in range(services.RATE_LIMITS["lookup"][0]):
        client.post(STATUS, {"reference": "LFAAAAAAAAAA", "mobile": "13911112222"})
    assert client.post(STATUS, {"reference": "LFAAAAAAAAAA", "mobile": "13911112222"}).status_code == 429


def test_an_employer_registers_its_own_staff(client):
    firm = EnterpriseFactory()
    client.force_login(enterprise_user(firm))
    data = form_data(firm)
    data.pop("employer")
    response = client.post(reverse("subsidies:registration-create"), data)
    registration = WorkerRegistration.objects.get()
    assert response.url == registration.get_absolute_url()
    assert registration.source == WorkerRegistration.Source.ENTERPRISE and registration.enterprise == firm


def test_an_employer_cannot_register_for_another_firm():
    with pytest.raises(ActionRefused):
        services.register_worker(
            enterprise=EnterpriseFactory(), actor=enterprise_user(), name="王五", id_number=resident_id(9), mobile="13900000001",
            origin_province="520000", origin_county="", return_date=date(2020, 2, 18), travel_mode="train", health_code="green",
        )
    assert not WorkerRegistration.objects.exists()


def test_the_full_id_is_shown_only_on_request_and_audited(client):
    registration = RegistrationFactory()
    client.force_login(district_user())
    url = registration.get_absolute_url()
    assert registration.id_number not in client.get(url).content.decode()
    assert registration.id_number in client.post(url).content.decode()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.UNMASK, target=f"registration:{registration.pk}").count() == 1
