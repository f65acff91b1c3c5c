"""Every menu works on a phone: for each role the navbar toggler opens the menu, each dropdown (the apps' groups
and the user's own menu) opens with at least one link on the screen, and every link of the menu answers 200."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.phone import SIGNED_IN_ROLES

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SHOWN = re.compile(r"\bshow\b")


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_every_menu_opens_with_its_links_on_a_phone(people, world, role):
    person = people(PHONE)
    person.sign_in(world["users"][role].username)
    page = person.page
    toggler = page.locator("button.navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.locator("#portal-nav")).to_be_hidden()
    toggler.click()
    expect(page.locator("#portal-nav")).to_have_class(SHOWN)

    hrefs = {link.get_attribute("href") for link in page.locator("#portal-nav .nav-item > a.nav-link").all()}
    toggles = page.locator("#portal-nav .dropdown-toggle").all()
    # The apps' groups (a role with few pages gets them as plain links) besides the user's own menu.
    assert len(toggles) >= 2 or len(hrefs - {None}) >= 1, "no menu besides the user's own"
    for toggle in toggles:
        label = toggle.inner_text().strip()
        menu = toggle.locator("xpath=following-sibling::ul[contains(@class, 'dropdown-menu')]")
        toggle.click()
        expect(menu).to_have_class(SHOWN)
        links = [link for link in menu.locator("a.dropdown-item").all() if link.is_visible()]
        assert links, f"the {label!r} menu opens empty"
        for link in links:
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"{link.inner_text()!r} of {label!r} is off the screen"
            hrefs.add(link.get_attribute("href"))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"the open {label!r} menu widens the page"
        toggle.click()
        expect(menu).not_to_have_class(SHOWN)

    for href in sorted(hrefs):
        response = page.context.request.get(person.base_url + href)
        assert response.status == 200, f"{href} in the menu answered {response.status}"
