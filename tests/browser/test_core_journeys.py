"""Each role signs in, finds its home page and menu, switches language and signs out, on a phone and a desk."""

import pytest

from fuyang_portal import demo
from fuyang_portal.models import User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_accounts():
    demo.load()
    for user in User.objects.all():
        user.set_password("Correct-Horse-42")
        user.save(update_fields=["password"])


@pytest.mark.parametrize("username", ["district", "fuchun", "jingxin", "specialist"])
def test_each_role_signs_in_and_out(journey, demo_accounts, username):
    journey.sign_in(username)
    page = journey.page
    assert page.url.endswith("/")
    assert page.locator("h1").first.inner_text().startswith("欢迎")
    journey.check_accessibility(f"home of {username}")
    if page.viewport_size["width"] < 600:
        page.click("button.navbar-toggler")
        page.wait_for_selector("#portal-nav.show")
    page.click("#user-menu")
    page.click("text=退出登录")
    page.wait_for_url("**/accounts/login/**")
    assert page.locator("h1").inner_text() == "登录"


def test_the_language_switch_turns_pages_english(journey, demo_accounts):
    journey.sign_in("district")
    page = journey.page
    if page.viewport_size["width"] < 600:
        page.click("button.navbar-toggler")
        page.wait_for_selector("#portal-nav.show")
    page.click("button[value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Welcome" in page.locator("h1").first.inner_text()
    journey.go("/places/townships/")
    assert page.locator("h1").first.inner_text().startswith("Townships")


def test_a_wrong_password_is_explained_and_the_lockout_is_announced(journey, demo_accounts):
    journey.sign_in("fuchun", password="wrong-password-1")
    assert journey.page.locator("[role=alert]").first.is_visible()
    journey.check_accessibility("failed sign-in")
