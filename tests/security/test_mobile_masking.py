"""Private persons' mobiles are masked 3+4 (GB/T 35273 §7.2) on pages, lists, exports and the API, for everyone but
the record's owner (the firm that filed it, the county that referred it); the audited unmask reveals them."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from fuyang_portal import clock
from fuyang_portal.masking import mask_mobile, owns
from fuyang_portal.models import AuditEvent
from labour.tables import CandidateTable
from subsidies.api import WorkerRegistrationSerializer
from subsidies.tables import RegistrationTable
from tests.enterprises.factories import EmployeePassFactory, VehiclePassFactory
from tests.factories import district_user, enterprise_user, township_user
from tests.labour.factories import CandidateFactory, county_user, jinyun
from tests.subsidies.factories import RegistrationFactory

MOBILE, MASKED = "13812345678", "138****5678"


# --- the helper ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, shown",
    [
        ("13812345678", "138****5678"),
        (" 138-1234-5678 ", "138****5678"),
        ("", ""),
        (None, ""),
        ("0571-6334567", "***********"),  # a landline: nothing of it shown
        ("1381234567", "**********"),  # ten digits: not a mobile
        ("+8613812345678", "**************"),
        ("138****5678", "***********"),
    ],
)
def test_mask_mobile_keeps_three_and_four_digits_of_a_mobile_and_hides_anything_else(value, shown):
    assert mask_mobile(value) == shown


@pytest.mark.django_db
def test_the_template_filter_masks_whoever_looks():
    assert Template("{% load masking %}{{ m|mask_mobile }}").render(Context({"m": MOBILE})) == MASKED


@pytest.mark.django_db
def test_no_user_and_an_anonymous_user_own_nothing():
    from django.contrib.auth.models import AnonymousUser

    registration = RegistrationFactory(mobile=MOBILE)
    assert not owns(None, registration) and not owns(AnonymousUser(), registration)
    assert WorkerRegistrationSerializer(registration).data["mobile"] == MASKED  # a serializer without a request masks


# --- pages and the API, per model ---------------------------------------------------------------------------


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _api(user, url):
    api = APIClient()
    api.force_authenticate(user)
    response = api.get(url)
    assert response.status_code == 200
    return response.json()


def _shows(text, full):
    """The page shows the mobile in full (True) or only masked (False)."""
    if full:
        return MOBILE in text
    return MOBILE not in text and MASKED in text


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [EmployeePassFactory, VehiclePassFactory])
def test_a_pass_holders_mobile_is_masked_to_staff_and_shown_to_the_firm(client, factory):
    p = factory(mobile=MOBILE)
    for user, full in ((township_user(p.enterprise.township), False), (district_user(), False), (enterprise_user(p.enterprise), True)):
        assert _shows(_page(client, user, p.get_absolute_url()), full), user.role
        assert _api(user, reverse("pass-detail", args=[p.pk]))["mobile"] == (MOBILE if full else MASKED), user.role
        assert [row["mobile"] for row in _api(user, reverse("pass-list"))["results"]] == [MOBILE if full else MASKED]


def _validity():
    today = clock.today()
    return {"valid_from": today.isoformat(), "valid_until": (today + timedelta(days=14)).isoformat()}


@pytest.mark.django_db
def test_a_firm_filing_a_pass_by_the_api_reads_its_mobile_back_in_full():
    firm_user = enterprise_user()
    api = APIClient()
    api.force_authenticate(firm_user)
    response = api.post(reverse("pass-list"), {
        "kind": "vehicle", "plate": "浙A54321", "vehicle_type": "van", "driver_name": "王师傅", "route": "富阳—杭州",
        "mobile": MOBILE, **_validity(),
    }, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["mobile"] == MOBILE


@pytest.mark.django_db
def test_a_pass_with_a_bad_mobile_is_refused_by_the_api():
    api = APIClient()
    api.force_authenticate(enterprise_user())
    response = api.post(reverse("pass-list"), {
        "kind": "vehicle", "plate": "浙A54322", "vehicle_type": "van", "driver_name": "王师傅", "route": "富阳—杭州",
        "mobile": "1381234", **_validity(),
    }, format="json")
    assert response.status_code == 400 and "mobile" in response.json()


@pytest.mark.django_db
def test_a_registered_workers_mobile_is_masked_to_staff_and_shown_to_the_employer(client):
    registration = RegistrationFactory(mobile=MOBILE)
    firm = registration.enterprise
    for user, full in ((township_user(firm.township), False), (district_user(), False), (enterprise_user(firm), True)):
        assert _shows(_page(client, user, registration.get_absolute_url()), full), user.role
        assert _shows(_page(client, user, reverse("subsidies:registrations")), full), user.role
        assert _api(user, reverse("worker-registration-detail", args=[registration.pk]))["mobile"] == (MOBILE if full else MASKED)


@pytest.mark.django_db
def test_another_firm_never_sees_the_mobile_of_a_worker_registered_elsewhere(client):
    registration = RegistrationFactory(mobile=MOBILE)
    stranger = enterprise_user()
    assert not owns(stranger, registration)
    assert MOBILE not in _page(client, stranger, reverse("subsidies:registrations"))


@pytest.mark.django_db
def test_a_candidates_mobile_is_masked_to_the_firm_and_staff_and_shown_to_the_referring_county(client):
    office = county_user()
    candidate = CandidateFactory(mobile=MOBILE, county=office.county_account.county)
    firm = candidate.vacancy.enterprise
    viewers = ((enterprise_user(firm), False), (township_user(firm.township), False), (district_user(), False), (office, True))
    for user, full in viewers:
        assert _shows(_page(client, user, candidate.get_absolute_url()), full), user.role
        assert _shows(_page(client, user, reverse("labour:candidates")), full), user.role
        assert _api(user, reverse("candidate-detail", args=[candidate.pk]))["mobile"] == (MOBILE if full else MASKED), user.role
    assert not owns(county_user(jinyun()), candidate)  # another county (which cannot open it either)


@pytest.mark.django_db
def test_the_list_exports_mask_as_the_page_does():
    registration = RegistrationFactory(mobile=MOBILE)
    candidate = CandidateFactory(mobile="13912345678")
    owners_and_staff = (
        (RegistrationTable, registration, enterprise_user(registration.enterprise)),
        (CandidateTable, candidate, county_user(candidate.county)),
    )
    for table_class, record, owner in owners_and_staff:
        for user, full in ((owner, True), (district_user(), False)):
            request = RequestFactory().get("/")
            request.user = user
            table = table_class([record], request=request)
            header, row = list(table.as_values())
            value = row[header.index(str(table.columns["mobile"].header))]
            assert value == (record.mobile if full else mask_mobile(record.mobile)), (table_class, user.role)


# --- the reveal -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_district_unmask_of_a_pass_reveals_the_mobile_with_the_id_and_is_audited(client):
    p = EmployeePassFactory(mobile=MOBILE)
    client.force_login(district_user())
    assert MOBILE not in client.get(p.get_absolute_url()).content.decode()
    response = client.post(reverse("enterprises:pass-unmask", args=[p.pk]))
    assert response.status_code == 200 and MOBILE in response.content.decode() and p.id_number in response.content.decode()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.UNMASK, target__endswith=f"#{p.pk}").count() == 1


@pytest.mark.django_db
def test_a_township_cannot_unmask_a_pass_and_sees_no_mobile(client):
    p = EmployeePassFactory(mobile=MOBILE)
    client.force_login(township_user(p.enterprise.township))
    response = client.post(reverse("enterprises:pass-unmask", args=[p.pk]))
    assert response.status_code == 403 and MOBILE not in response.content.decode()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.UNMASK).exists()


@pytest.mark.django_db
def test_the_unmask_of_a_registration_and_of_a_candidate_reveals_the_mobile_and_is_audited(client):
    registration = RegistrationFactory(mobile=MOBILE)
    candidate = CandidateFactory(mobile="13912345678")
    client.force_login(district_user())
    for record, target in ((registration, f"registration:{registration.pk}"), (candidate, f"candidate:{candidate.pk}")):
        response = client.post(record.get_absolute_url())
        assert response.status_code == 200 and record.mobile in response.content.decode()
        assert AuditEvent.objects.filter(kind=AuditEvent.Kind.UNMASK, target=target).count() == 1


@pytest.mark.django_db
def test_a_vehicle_pass_reveals_its_drivers_mobile_and_the_reveal_is_audited(client):
    p = VehiclePassFactory(plate="浙A54329", mobile=MOBILE)
    client.force_login(district_user())
    page = client.get(reverse("enterprises:pass", args=[p.pk])).content.decode()
    assert MASKED in page and MOBILE not in page
    revealed = client.post(reverse("enterprises:pass-unmask", args=[p.pk]))
    assert revealed.status_code == 200 and MOBILE in revealed.content.decode()
    row = AuditEvent.objects.get(kind=AuditEvent.Kind.UNMASK)
    assert row.target == f"enterprises.Pass#{p.pk}" and "浙A54329" in row.detail
