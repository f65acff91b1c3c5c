"""Every list page, queue and API list of the portal runs the same number of queries whatever the size of
the district: each is requested by each staff role and a firm at 40 firms, then again after the district
grew to 160 firms (generate_scale's generator, twice into the same database).

The pages are found from the URL configuration (every list view and every API ``-list`` route without
arguments), so a list added later is pinned too. The apps' own tests pin some of these with their own
data; this one covers them all with the same generated district."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic.list import MultipleObjectMixin

from bench.scale import Generator
from enterprises.models import Enterprise
from fuyang_portal import reference
from fuyang_portal.demo import load_places
from django.db.models import Count

from fuyang_portal.models import Agency, Township
from fuyang_portal.roles import Role
from specialists.models import Specialist
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Public pages that list rows without being a ListView.
EXTRA = ["specialists:directory", "leaderboard:public"]


def list_routes():
    """URL names of every list page and API list that takes no argument."""
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if pattern.namespace and namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
                view_class = getattr(pattern.callback, "view_class", None)
                actions = getattr(pattern.callback, "actions", None) or {}
                if (view_class and issubclass(view_class, MultipleObjectMixin)) or actions.get("get") == "list":
                    names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return sorted(set(names)) + EXTRA


def test_the_route_list_covers_the_apps():
    routes = list_routes()
    for name in ("enterprises:list", "specialists:queue", "subsidies:claims", "leaderboard:weeks", "enterprise-list", "problem-list"):
        assert name in routes
    assert len(routes) > 40


def users():
    """One user per role, each with rows in every list it sees already in the small district."""
    township = Township.objects.annotate(n=Count("enterprises__subsidy_claims")).order_by("-n", "pk").first()
    agency = Agency.objects.annotate(n=Count("problems")).order_by("-n", "pk").first()
    specialist = Specialist.objects.select_related("user").order_by("pk").first()
    firm = Enterprise.objects.annotate(n=Count("subsidy_claims")).order_by("-n", "pk").first()
    return {
        "district": UserFactory(role=Role.DISTRICT, username="qc-district"),
        "township": UserFactory(role=Role.TOWNSHIP, township=township, username="qc-township"),
        "agency": UserFactory(role=Role.AGENCY, agency=agency, username="qc-agency"),
        "specialist": specialist.user,
        "enterprise": UserFactory(role=Role.ENTERPRISE, enterprise=firm, username="qc-firm"),
    }


def measure(clients, routes):
    counts = {}
    for role, client in clients.items():
        for name in routes:
            path = reverse(name)
            connection.queries_log.clear()  # the log keeps 9,000 queries: a full one would capture nothing
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, HTTP_ACCEPT="application/json" if "-" in name and ":" not in name else "text/html")
            if response.status_code == 200:
                counts[role, name] = len(captured.captured_queries)
            else:
                counts[role, name] = f"HTTP {response.status_code}"
    return counts


# Reference lists read on every page (the suite's default), and kept by the process as in production: relations to
# them then come from the copy (with_references), and a list that missed one would read it row by row.
@pytest.mark.parametrize("kept_seconds", [0, 300])
def test_every_list_runs_a_fixed_number_of_queries_at_two_sizes(settings, kept_seconds):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.REFERENCE_LIST_SECONDS = kept_seconds
    reference.forget()
    load_places()
    # Two townships, so that even the small district fills every list of the township and the firm.
    codes = list(Township.objects.order_by("sort_order", "code").values_list("code", flat=True)[:2])
    Generator(40, seed=1, prefix="first-", townships=codes).run()
    routes = list_routes()
    clients = {}
    for role, user in users().items():
        clients[role] = Client()
        clients[role].force_login(user)
    measure(clients, routes)  # warm up: first-request caches (content types, sessions) do not count
    small = measure(clients, routes)
    Generator(120, seed=2, prefix="second-", townships=codes).run()
    if kept_seconds:
        measure(clients, routes)  # warm up: a kept list the generator changed (relief policies) is read again once
    large = measure(clients, routes)
    served = [key for key, count in small.items() if isinstance(count, int)]
    assert len(served) > 150  # most lists answer most roles
    differ = {key: (small[key], large[key]) for key in small if small[key] != large[key]}
    assert differ == {}, sorted(differ.items())
