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


# base.html's menu loop before the menu was written in Python (fuyang_portal.navigation.menu_html).
MENU_LOOP = """{% for entry in nav_items %}
  {% if entry.children %}
    <li class="nav-item dropdown">
      <button class="nav-link dropdown-toggle" type="button" data-bs-toggle="dropdown" aria-expanded="false">{{ entry.label }}</button>
      <ul class="dropdown-menu">
        {% for item in entry.children %}
          <li><a class="dropdown-item{% if path == item.url %} active{% endif %}" href="{{ item.url }}"{% if path == item.url %} aria-current="page"{% endif %}>{{ item.label }}</a></li>
        {% endfor %}
      </ul>
    </li>
  {% else %}
    <li class="nav-item"><a class="nav-link{% if path == entry.url %} active{% endif %}" href="{{ entry.url }}"{% if path == entry.url %} aria-current="page"{% endif %}>{{ entry.label }}</a></li>
  {% endif %}
{% endfor %}"""


def test_the_menu_written_in_python_is_the_template_loops(world):
    from django.template import Context, Template
    from django.utils import translation

    from fuyang_portal.navigation import menu_html

    users, _sides, _shared = world
    squeeze = lambda html: re.sub(r">\s+<", "><", str(html)).strip()
    for role in SIGNED_IN:
        user = users[role]
        menu = menu_for(user)
        paths = ["/", "/nowhere/"] + [entry.get("url") or entry["children"][0]["url"] for entry in menu]
        for language in ("zh-hans", "en"):
            with translation.override(language):
                for path in paths:
                    expected = Template(MENU_LOOP).render(Context({"nav_items": menu_for(user), "path": path}))
                    assert squeeze(menu_html(user, path)) == squeeze(expected), (role, language, path)
                    assert path in ("/", "/nowhere/") or 'aria-current="page"' in menu_html(user, path)
