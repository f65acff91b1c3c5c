"""Screenshots of every role's home page and main list on a phone (390 px) and at a desk (1280 px), kept in
test-artifacts/screens/<role>-<page>-<width>.png for people to look at; each page is also measured as the list
tests measure it (no wider than the screen, cards on the phone, a table at the desk)."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE
from tests.browser.phone import SIGNED_IN_ROLES, desk_problems, open_page, phone_problems

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENS = Path(ARTIFACTS) / "screens"
# The list each role works from most of the day.
MAIN_LIST = {
    "district": "specialists:queue",
    "township": "enterprises:queue",
    "agency": "specialists:queue",
    "specialist": "specialists:visits",
    "enterprise": "enterprises:requests",
    "county": "labour:candidates",
    "clinic": "programmes:vouchers",
    # The system and security administrators work in the admin site; the portal lists them their notices.
    "sysadmin": "inbox",
    "secadmin": "inbox",
    "auditor": "audit",
}


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_screens_of_each_roles_home_and_main_list(people, world, role):
    SCREENS.mkdir(parents=True, exist_ok=True)
    failures = []
    for viewport, measure in ((PHONE, phone_problems), (DESKTOP, desk_problems)):
        person = people(viewport)
        person.sign_in(world["users"][role].username)
        for name, path in (("home", "/"), (MAIN_LIST[role].replace(":", "-"), reverse(MAIN_LIST[role]))):
            layout = open_page(person, path)
            screen = SCREENS / f"{role}-{name}-{viewport['width']}.png"
            person.page.screenshot(path=str(screen), full_page=True)
            assert screen.stat().st_size > 0
            failures += [f"{screen.name}: {problem}" for problem in measure(layout)]
            if layout["scrollWidth"] > layout["innerWidth"]:
                failures.append(f"{screen.name}: wider than the screen")
    assert failures == [], "\n".join(failures)
