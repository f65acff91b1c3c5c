"""Phone-first lists: at 390 px every list page of the access matrix, as every role that may open it, is no wider
than the screen and shows each row as a card (title line, then labelled lines; the header row hidden); a card
carries the same fields and links as the desktop table's row; at 1280 px a list is a table. Every other page of
the matrix fits the phone's screen too."""

import pytest

from enterprises.models import Enterprise
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.phone import ROW, SIGNED_IN_ROLES, allowed, desk_problems, list_pages, open_page, phone_problems
from tests.browser.test_every_page_accessible import pages_by_role
from tests.security.test_access_matrix import ARGS, _url, page_routes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# Long enough that a line which cannot wrap runs off a phone's screen.
LONG_NAME = "杭州富阳绿凯塑料制品股份有限公司富春江第二分公司"


@pytest.fixture
def long_names(world):
    Enterprise.objects.filter(pk=world["objects"]["firm"].pk).update(name=LONG_NAME)
    return world


def test_there_are_list_pages_to_check():
    assert {"enterprises:list", "enterprises:queue", "specialists:queue", "subsidies:claims", "specialists:visits"} <= set(list_pages())


# The roles with list pages of their own (the system and security administrators work in the admin site).
LIST_ROLES = [role for role in SIGNED_IN_ROLES if any(allowed(name, role) for name in list_pages())]


def test_the_roles_with_lists_are_the_business_roles_and_the_auditor():
    assert set(SIGNED_IN_ROLES) - set(LIST_ROLES) == {"sysadmin", "secadmin"}


@pytest.mark.parametrize("role", LIST_ROLES)
def test_every_list_page_is_cards_no_wider_than_a_phone(people, long_names, role):
    person = people(PHONE)
    person.sign_in(long_names["users"][role].username)
    failures, cards = [], 0
    for name, path in sorted(list_pages().items()):
        if not allowed(name, role):
            continue
        layout = open_page(person, path)
        if not layout["lists"]:
            failures.append(f"{name}: no list rendered")
        cards += sum(len(table["rows"]) for table in layout["lists"])
        failures += [f"{name}: {problem}" for problem in phone_problems(layout)]
    assert failures == [], "\n".join(failures)
    assert cards > 0, "no list had a row to show as a card"


@pytest.mark.parametrize("role", LIST_ROLES)
def test_every_list_page_is_a_table_at_a_desk(people, long_names, role):
    person = people(DESKTOP)
    person.sign_in(long_names["users"][role].username)
    failures = []
    for name, path in sorted(list_pages().items()):
        if allowed(name, role):
            layout = open_page(person, path)
            failures += [f"{name}: {problem}" for problem in desk_problems(layout)]
            if layout["scrollWidth"] > layout["innerWidth"]:
                failures.append(f"{name}: {layout['scrollWidth']} px wide at a desk")
    assert failures == [], "\n".join(failures)


def test_a_card_shows_the_fields_and_links_of_its_table_row(people, long_names):
    firm = long_names["objects"]["firm"]
    href = f"/enterprises/{firm.pk}/"
    rows = {}
    for size, viewport in (("phone", PHONE), ("desk", DESKTOP)):
        person = people(viewport)
        person.sign_in(long_names["users"]["township"].username)
        open_page(person, "/enterprises/")
        rows[size] = person.page.evaluate(ROW, href)
    card, desk = rows["phone"], rows["desk"]
    headers, cells = desk["headers"], [cell["text"] for cell in desk["cells"]]
    assert cells[0] == LONG_NAME
    # The title line is the table's first cell; every other line is "header: cell" of the same column.
    assert card["cells"][0]["text"] == cells[0]
    lines = [(cell["label"], cell["text"]) for cell in card["cells"][1:] if cell["visible"]]
    assert lines == [(header, text) for header, text in zip(headers[1:], cells[1:]) if text]
    assert len(lines) >= 2
    assert card["links"] == desk["links"] and href in card["links"]


def test_every_other_page_fits_a_phone(people, world):
    """Every page of the matrix, opened by the first role it lets in (as the axe test does), on a phone."""
    routes, objects, shared = page_routes(), world["objects"], world["shared"]
    person = people(PHONE)
    failures = []
    for role, names in pages_by_role().items():
        person.page.context.clear_cookies()
        if world["users"][role] is not None:
            person.sign_in(world["users"][role].username)
        for name in names:
            url = _url(routes[name], ARGS[name](objects, shared) if name in ARGS else {})
            failures += [f"{role} {name}: {problem}" for problem in phone_problems(open_page(person, url))]
    assert failures == [], "\n".join(failures)
