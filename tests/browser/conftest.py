"""Browser journeys: Playwright drives Debian's Chromium against a live server.

Every page a journey visits is checked with axe-core (served from node_modules) for serious or critical
accessibility violations; a failing journey leaves screenshots in test-artifacts/.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests make there are
# ordinary synchronous calls, so Django's async guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.fail("Chromium is not installed: `apt-get install chromium` (.ci/run does it).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


class Journey:
    """One browser context: a person on a phone or a desk, signing in and looking at pages."""

    def __init__(self, browser, base_url, viewport, request):
        self.base_url = base_url
        # bypass_csp lets the test inject axe-core; the pages' own policy is tested elsewhere.
        self.context = browser.new_context(viewport=viewport, locale="zh-CN", bypass_csp=True)
        self.page = self.context.new_page()
        self.request = request
        self.visited = []
        self.errors = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def go(self, path):
        response = self.page.goto(self.base_url + path)
        self.visited.append(path)
        assert response.status < 400, f"{path} answered {response.status}"
        self.check_accessibility(path)
        return response

    def sign_in(self, username, password="Correct-Horse-42"):
        self.go("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("main form button[type=submit]")
        self.page.wait_for_load_state()
        if "/accounts/second-factor/" in self.page.url:
            self.second_factor(username)

    def second_factor(self, username):
        """The district office and the administrators give the code of their authenticator (enrolled here at a
        first sign-in, as its owner would with the key the page shows)."""
        from django_otp.oath import TOTP
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user__username=username).order_by("-confirmed", "-pk").first()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        if device.last_t >= totp.t():
            # Signed in already within this 30 s step: its code is spent, so give the next one (within tolerance).
            totp.drift = device.last_t - totp.t() + 1
        self.page.fill("#id_code", f"{totp.token():0{device.digits}d}")
        self.page.click("main form button[type=submit]")
        self.page.wait_for_load_state()
        if self.page.locator("#recovery-codes").count():
            self.page.click("main a.btn-primary")
            self.page.wait_for_load_state()

    def follow_menu(self, href):
        """Open the menu (the collapsed bar on a phone, then the item's dropdown) and follow a link."""
        page = self.page
        toggler = page.locator("button.navbar-toggler")
        if toggler.is_visible() and not page.locator("#portal-nav.show").count():
            toggler.click()
            page.wait_for_selector("#portal-nav.show")
        link = page.locator(f"#portal-nav a[href='{href}']").first
        if not link.is_visible():
            group = page.locator("#portal-nav li.dropdown", has=page.locator(f"a[href='{href}']"))
            group.locator("button.dropdown-toggle").click()
        link.click()
        page.wait_for_load_state()
        self.visited.append(href)
        self.check_accessibility(href)

    def check_accessibility(self, label):
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
        )
        assert result == [], f"axe on {label}: {result}"

    def screenshot(self, name):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def close(self):
        failed = getattr(self.request.node, "rep_call", None)
        if failed is not None and failed.failed:
            self.screenshot(self.request.node.name.replace("/", "_"))
        self.context.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(params=["phone", "desktop"])
def journey(request, browser, live_server):
    viewport = PHONE if request.param == "phone" else DESKTOP
    person = Journey(browser, live_server.url, viewport, request)
    yield person
    person.close()
    assert person.errors == [], f"JavaScript errors: {person.errors}"


@pytest.fixture
def people(browser, live_server, request):
    """Opens journeys at a chosen viewport (several in one test, e.g. the same list on a phone and at a desk);
    each is closed at the end, with the failure screenshot and the JavaScript-error check of ``journey``."""
    opened = []

    def open_journey(viewport):
        person = Journey(browser, live_server.url, viewport, request)
        opened.append(person)
        return person

    yield open_journey
    for person in opened:
        person.close()
    errors = [error for person in opened for error in person.errors]
    assert errors == [], f"JavaScript errors: {errors}"


@pytest.fixture
def world():
    """The access matrix's world (tests/security/world.py): a user of every role and, in their scope, one record
    of every kind; ``objects`` fills in the routes' arguments as the matrix does."""
    from enterprises.views import verification_token
    from tests.security.world import build_world, side_objects

    users, ours, theirs, shared = build_world()
    objects = side_objects(ours)
    objects["verify_token"] = verification_token(objects["pass"])
    return {"users": users, "ours": ours, "theirs": theirs, "shared": shared, "objects": objects}
