"""Navigation and home-page cards, contributed by each app's AppConfig so the base layout never changes.

An AppConfig may define ``nav_items`` (a list of NavItem) and ``home_cards(user)`` returning Cards with
real counts; both are filtered by the user's role here.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from fuyang_portal.roles import Role

ALL_ROLES = tuple(Role.values)


@dataclass(frozen=True)
class NavItem:
    label: object
    url_name: str
    roles: tuple = ALL_ROLES
    order: int = 100


@dataclass
class Card:
    label: object
    value: object
    url: str = ""
    hint: object = ""
    tone: str = "primary"
    extra: dict = field(default_factory=dict)


def role_of(user):
    return Role.DISTRICT if user.is_superuser else user.role


def menu_for(user):
    """The user's menu: each app's entries for the user's role, one dropdown per app when it has several.

    Returns entries ``{"label", "url"}`` or ``{"label", "children": [{"label", "url"}, ...]}`` in menu order
    (not "items": a template looking up ``entry.items`` on a dict finds the dict's method).
    """
    if not user.is_authenticated:
        return []
    role = role_of(user)
    groups = []
    for config in apps.get_app_configs():
        items = []
        for item in getattr(config, "nav_items", ()):
            if role not in item.roles:
                continue
            try:
                items.append((item.order, {"label": str(item.label), "url": reverse(item.url_name)}))
            except NoReverseMatch:
                continue
        if not items:
            continue
        items.sort(key=lambda entry: entry[0])
        order = items[0][0]
        if len(items) == 1 or getattr(config, "nav_flat", False):
            groups.extend(items)
        else:
            label = str(getattr(config, "nav_label", config.verbose_name))
            groups.append((order, {"label": label, "children": [entry for _, entry in items]}))
    return [entry for _, entry in sorted(groups, key=lambda group: group[0])]


def cards_for(user):
    cards = []
    for config in apps.get_app_configs():
        build = getattr(config, "home_cards", None)
        if build is not None:
            cards.extend(build(user))
    return cards
