"""Navigation, home-page cards and the home to-do list, contributed by each app's AppConfig so the base layout
never changes.

An AppConfig may define ``nav_items`` (a list of NavItem), ``home_cards(user)`` returning Cards with real
counts, and ``todo(user)`` returning the user's Todos: the work waiting for them, each linked to the page where
it is done. The hooks start from ``visible_to(user)``, offer only what the policy allows, and run a small fixed
number of queries; this module orders the to-do list by urgency and caps each kind.
"""

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, time

from django.apps import apps
from django.db.models import Count, Window
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from fuyang_portal import clock
from fuyang_portal.metrics import week_of
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
    The menu depends on the role, the language and the URL configuration (and prefix) only: built once per process for
    each of them (every page shows it), and handed out as a copy.
    """
    if not user.is_authenticated:
        return []
    menu = _menu_of(role_of(user), get_language(), get_urlconf(), get_script_prefix())
    return [{**entry, "children": [dict(child) for child in entry["children"]]} if "children" in entry else dict(entry) for entry in menu]


def menu_html(user, path):
    """The menu's ``<li>`` entries as base.html shows them, the entry of ``path`` marked current: written once per
    role, language and page address (every page shows some 40 links, a template loop cost more than the page's own
    rows)."""
    if not user.is_authenticated:
        return ""
    return _menu_html(role_of(user), get_language(), get_urlconf(), get_script_prefix(), path)


def _link(css, url, label, path):
    current = url == path
    active = " active" if current else ""
    aria = ' aria-current="page"' if current else ""
    return f'<a class="{css}{active}" href="{escape(url)}"{aria}>{escape(label)}</a>'


@lru_cache(maxsize=4096)
def _menu_html(role, language, urlconf, script_prefix, path):
    parts = []
    for entry in _menu_of(role, language, urlconf, script_prefix):
        if "children" in entry:
            children = "".join(f"<li>{_link('dropdown-item', child['url'], child['label'], path)}</li>" for child in entry["children"])
            parts.append(
                '<li class="nav-item dropdown"><button class="nav-link dropdown-toggle" type="button" data-bs-toggle="dropdown" '
                f'aria-expanded="false">{escape(entry["label"])}</button><ul class="dropdown-menu">{children}</ul></li>'
            )
        else:
            parts.append(f'<li class="nav-item">{_link("nav-link", entry["url"], entry["label"], path)}</li>')
    return mark_safe("".join(parts))


@lru_cache(maxsize=256)
def _menu_of(role, language, urlconf, script_prefix):
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


# --- the home to-do list ------------------------------------------------------------------------------

OVERDUE, TODAY, WEEK, NEW = "overdue", "today", "week", "new"
URGENCIES = (OVERDUE, TODAY, WEEK, NEW)
# Items shown per kind; the rest of a kind is one "N more" link to its list.
TODO_PER_KIND = 5


@dataclass(frozen=True)
class TodoKind:
    """A kind of to-do item: its key, its name and the list that holds every item of the kind."""

    key: str
    label: object
    url: str


@dataclass
class Todo:
    """One thing the user has to do: ``url`` is the page where it is done; ``due`` a date or an aware
    datetime (None: no deadline, a new item); ``since`` when it arrived (older first among equals);
    ``total`` how many items of its kind there are in all (the capped list says how many more)."""

    label: object
    url: str
    due: object = None
    kind: TodoKind = None
    since: object = None
    total: int = 1
    hint: object = ""

    @property
    def urgency(self):
        return urgency(self.due)

    @property
    def due_date(self):
        return _as_date(self.due)


@dataclass
class TodoMore:
    kind: TodoKind
    count: int


def _as_date(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    return value


def _as_datetime(value):
    if value is None:
        return datetime.max.replace(tzinfo=timezone.get_current_timezone())
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, time.min))


def urgency(due, today=None):
    """overdue, today, week (by Sunday of this week) or new (no deadline, or a later one), by the business clock."""
    if due is None:
        return NEW
    today = today or clock.today()
    day = _as_date(due)
    if day < today:
        return OVERDUE
    if day == today:
        return TODAY
    if day <= week_of(today)[1]:
        return WEEK
    return NEW


def capped(queryset, limit=TODO_PER_KIND):
    """The first ``limit`` rows of ``queryset`` and the number of rows it holds in all, in one query
    (a window count, computed before the limit)."""
    rows = list(queryset.annotate(todo_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].todo_total if rows else 0)


def todos_for(user, per_kind=TODO_PER_KIND):
    """The user's to-do list, most urgent first (overdue, today, this week, new; earlier deadline, then older
    first), at most ``per_kind`` items of each kind, and a TodoMore for each kind that holds more."""
    if not user.is_authenticated:
        return [], []
    today = clock.today()
    rank = {name: position for position, name in enumerate(URGENCIES)}
    items = []
    for config in apps.get_app_configs():
        build = getattr(config, "todo", None)
        if build is not None:
            items.extend(build(user))
    items.sort(
        key=lambda item: (
            rank[urgency(item.due, today)],
            _as_date(item.due) or date.max,
            _as_datetime(item.since),
        )
    )
    shown, counts, totals, kinds = [], Counter(), {}, {}
    for item in items:
        key = item.kind.key if item.kind else ""
        kinds.setdefault(key, item.kind)
        totals[key] = max(totals.get(key, 0), item.total)
        if counts[key] < per_kind:
            shown.append(item)
        counts[key] += 1
    more = [
        TodoMore(kinds[key], max(totals[key], counts[key]) - min(counts[key], per_kind))
        for key in kinds
        if kinds[key] is not None and max(totals[key], counts[key]) > min(counts[key], per_kind)
    ]
    return shown, more
