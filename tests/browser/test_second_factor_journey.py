"""The district office signs in with its password and then the code an authenticator computes from the enrolment
key, as a phone would: at the first sign-in from the key the page shows, later from the key it keeps. A wrong code
and a code used once already are refused with a message that says so."""

import base64

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from fuyang_portal import demo
from fuyang_portal.models import User
from tests.factories import district_user

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Correct-Horse-42"
REFUSED = "验证码不正确或已被使用"


class Authenticator:
    """A phone's authenticator app: holds the base32 key typed or scanned in, shows the code of the moment."""

    def __init__(self, base32_key):
        self.key = base64.b32decode(base32_key + "=" * (-len(base32_key) % 8))

    def code(self, ahead=0):
        totp = TOTP(self.key)
        totp.time += ahead * totp.step
        return f"{totp.token():06d}"

    def wrong_code(self):
        """Six digits that are none of the codes the portal would accept now (one step either side)."""
        near = {self.code(ahead) for ahead in (-1, 0, 1)}
        return next(code for code in ("000000", "111111", "222222", "333333") if code not in near)


def password_step(journey, username):
    journey.go("/accounts/login/")
    page = journey.page
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/second-factor/" in page.url, "the password alone must not sign the district office in"
    journey.check_accessibility("second factor")


def give_code(journey, code):
    journey.page.fill("#id_code", code)
    journey.page.click("main form button[type=submit]")
    journey.page.wait_for_load_state()


def assert_refused(journey):
    page = journey.page
    assert "/accounts/second-factor/" in page.url
    error = page.locator("#id_code-error")
    assert error.is_visible() and REFUSED in error.inner_text()
    assert page.locator("#id_code").get_attribute("aria-invalid") == "true"
    journey.check_accessibility("refused code")


def assert_home(journey, user):
    page = journey.page
    assert page.url.rstrip("/") == journey.base_url.rstrip("/")
    assert page.locator("h1").first.inner_text().startswith("欢迎")
    assert User.objects.get(pk=user.pk).last_login is not None


def sign_out(journey):
    page = journey.page
    if page.viewport_size["width"] < 600:
        page.click("button.navbar-toggler")
        page.wait_for_selector("#portal-nav.show")
    page.click("#user-menu")
    page.click("text=退出登录")
    page.wait_for_url("**/accounts/login/**")


def test_at_the_first_sign_in_the_district_office_enrols_from_the_key_shown_and_lands_home(journey):
    demo.load_places()
    user = district_user(full_name="区服务企业办 新同事")
    password_step(journey, user.username)
    page = journey.page
    assert page.locator(".second-factor-qr svg").is_visible()
    phone = Authenticator(page.locator("#totp-key").inner_text().strip())

    give_code(journey, phone.wrong_code())
    assert_refused(journey)
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    give_code(journey, phone.code())
    assert page.locator("#recovery-codes li").count() == 10
    journey.check_accessibility("recovery codes")
    page.click("main a.btn-primary")
    page.wait_for_load_state()
    assert_home(journey, user)
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


def test_the_district_office_signs_in_with_its_enrolled_key_and_a_code_is_good_once(journey):
    demo.load()
    user = User.objects.get(username="district")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    key = dict(demo.enrol_demo_devices())["district"]  # what `load_demo` prints for the authenticator
    phone = Authenticator(key)

    password_step(journey, "district")
    give_code(journey, phone.wrong_code())
    assert_refused(journey)
    code = phone.code()
    give_code(journey, code)
    assert_home(journey, user)

    sign_out(journey)
    password_step(journey, "district")
    give_code(journey, code)  # replayed: the device remembers the last time step it accepted
    assert_refused(journey)
    device = TOTPDevice.objects.get(user=user, name=demo.DEMO_DEVICE)
    # The next code the phone shows (30 seconds on at most) is accepted, as a phone a little fast would be.
    step_now = int((TOTP(phone.key).time - device.t0) // device.step)
    give_code(journey, phone.code(ahead=1 if device.last_t >= step_now else 0))
    assert_home(journey, user)
