"""Every role's menu: no dropdown opens empty, and every entry answers."""

import re

import pytest

from fuyang_portal.navigation import menu_for
from tests.security.test_access_matrix import world  # noqa: F401
from tests.security.world import ROLES

pytestmark = pytest.mark.django_db

SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def test_every_menu_group_has_entries_and_every_entry_answers(client, world):
    users, _sides, _shared = world
    for role in SIGNED_IN:
        _check_menu(client, role, users[role])


def _check_menu(client, role, user):
    menu = menu_for(user)
    assert menu, f"{role} has an empty menu"
    links = []
    for entry in menu:
        if "children" in entry:
            assert entry["children"], f"{role}: the group {entry['label']} opens empty"
            links.extend(child["url"] for child in entry["children"])
        else:
            links.append(entry["url"])
    client.force_login(user)
    home = client.get("/").content.decode()
    # The rendered menu: each dropdown holds at least one link.
    for dropdown in re.findall(r'<ul class="dropdown-menu">(.*?)</ul>', home, flags=re.S):
        assert "<a " in dropdown or "<form" in dropdown, f"{role}: an empty dropdown on the home page"
    for url in links:
        assert f'href="{url}"' in home, f"{role}: {url} is not in the rendered menu"
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{role}: {url} answers {response.status_code}"
