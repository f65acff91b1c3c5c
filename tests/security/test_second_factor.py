"""The second factor: the district office and the administrators sign in with a password and a TOTP code, enrol
a device at their first sign-in and get recovery codes; a wrong code counts like a wrong password (five lock the
account) and is audited; a code used once is refused; the token endpoint asks for it too. Other roles sign in with
the password alone."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from fuyang_portal.models import AuditEvent
from fuyang_portal.roles import Role
from tests.factories import administrator, code_of, district_user, enrolled, township_user

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-Horse-42"



def password_step(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def test_other_roles_sign_in_with_the_password_alone(client):
    user = township_user()
    response = password_step(client, user)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user == user


@pytest.mark.parametrize("make", [district_user, lambda: administrator(Role.SYSADMIN), lambda: administrator(Role.AUDITOR)])
def test_the_password_alone_does_not_sign_in_the_district_office_or_an_administrator(client, make):
    user = make()
    enrolled(user)
    response = password_step(client, user)
    assert response.status_code == 302 and response["Location"] == reverse("second-factor")
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_the_code_completes_the_sign_in_and_cannot_be_used_twice(client):
    user = district_user()
    device = enrolled(user)
    password_step(client, user)
    code = code_of(device)
    response = client.post(reverse("second-factor"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user == user
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN, username=user.username).count() == 1

    client.logout()
    password_step(client, user)
    again = client.post(reverse("second-factor"), {"code": code})  # the same code, replayed
    assert again.status_code == 200 and "code" in again.context["form"].errors
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_five_wrong_codes_lock_the_account_and_are_audited(client):
    user = district_user()
    device = enrolled(user)
    password_step(client, user)
    for _ in range(4):
        assert client.post(reverse("second-factor"), {"code": "000000"}).status_code == 200
    assert client.post(reverse("second-factor"), {"code": "000000"}).status_code == 429
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SECOND_FACTOR_FAILED, username=user.username).count() == 5
    # Locked: even the right password and then the right code do not sign in.
    assert password_step(client, user).status_code in (403, 429)
    client.post(reverse("second-factor"), {"code": code_of(device)})
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_the_first_sign_in_enrols_a_device_and_shows_recovery_codes_once(client):
    user = administrator(Role.SECADMIN)
    password_step(client, user)
    page = client.get(reverse("second-factor")).content.decode()
    assert "<svg" in page
    key = re.search(r'id="totp-key"[^>]*>([A-Z2-7]+)<', page).group(1)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert key and device.bin_key
    response = client.post(reverse("second-factor"), {"code": code_of(device)})
    codes = re.findall(r"<li>([0-9a-f]{8})</li>", response.content.decode())
    assert response.status_code == 200 and len(codes) == 10
    assert TOTPDevice.objects.get(user=user).confirmed
    # A recovery code signs in once.
    client.logout()
    password_step(client, user)
    assert client.post(reverse("second-factor"), {"code": codes[0]}).status_code == 302
    client.logout()
    password_step(client, user)
    assert client.post(reverse("second-factor"), {"code": codes[0]}).status_code == 200


def test_the_second_factor_page_needs_the_password_first(client):
    assert client.get(reverse("second-factor"))["Location"] == reverse("login")


def test_the_token_endpoint_asks_the_district_office_for_its_code():
    user = district_user()
    device = enrolled(user)
    api = APIClient()
    missing = api.post(reverse("api-token"), {"username": user.username, "password": PASSWORD})
    assert missing.status_code == 400 and missing.json()["code"] == "second_factor"
    wrong = api.post(reverse("api-token"), {"username": user.username, "password": PASSWORD, "otp": "123456"})
    assert wrong.status_code == 400
    right = api.post(reverse("api-token"), {"username": user.username, "password": PASSWORD, "otp": code_of(device)})
    assert right.status_code == 200 and right.json()["token"]
    # Others need no code.
    assert api.post(reverse("api-token"), {"username": township_user().username, "password": PASSWORD}).status_code == 200


def test_the_demo_accounts_are_enrolled_and_their_code_can_be_printed():
    from io import StringIO

    from django.core.management import call_command

    from fuyang_portal import demo

    demo.load()
    district = TOTPDevice.objects.get(user__username="district", name=demo.DEMO_DEVICE)
    out = StringIO()
    call_command("demo_code", "district", stdout=out)
    assert out.getvalue().strip() == code_of(district)
    assert {name for name, _key in demo.enrol_demo_devices()} == {"admin", "district", "sysadmin", "secadmin", "auditor"}
