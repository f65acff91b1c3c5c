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
    if not user.is_authenticated:
        return []
    role = role_of(user)
    items = []
    for config in apps.get_app_configs():
        for item in getattr(config, "nav_items", ()):
            if role in item.roles:
                try:
                    items.append((item.order, str(item.label), reverse(item.url_name)))
                except NoReverseMatch:
                    continue
    return [{"label": label, "url": url} for _, label, url in sorted(items, key=lambda entry: entry[0])]


def cards_for(user):
    cards = []
    for config in apps.get_app_configs():
        build = getattr(config, "home_cards", None)
        if build is not None:
            cards.extend(build(user))
    return cards
