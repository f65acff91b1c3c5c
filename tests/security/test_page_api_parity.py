"""The same object and user get the same answer on the page and in the API: a role that sees none of a
model's rows is refused (403) at both doors, an object outside the user's scope is missing (404) at both, and
an action the policy does not allow is refused (403) at both before any input is read."""

import pytest

from tests.security.test_access_matrix import ARGS, _answer, _api_url, _url, page_routes, world  # noqa: F401
from tests.security.world import ROLES, api_ids

pytestmark = pytest.mark.django_db

# Page route (GET, or POST for an action) and the API operation on the same object.
PAIRS = [
    ("GET", "enterprises:enterprise", "GET /api/v1/enterprises/{id}/"),
    ("GET", "enterprises:request", "GET /api/v1/resumption-requests/{id}/"),
    ("GET", "enterprises:pass", "GET /api/v1/passes/{id}/"),
    ("GET", "specialists:specialist", "GET /api/v1/specialists/{id}/"),
    ("GET", "specialists:visit", "GET /api/v1/visits/{id}/"),
    ("GET", "specialists:project", "GET /api/v1/tracked-projects/{id}/"),
    ("GET", "specialists:problem", "GET /api/v1/problems/{id}/"),
    ("GET", "subsidies:registration", "GET /api/v1/worker-registrations/{id}/"),
    ("GET", "subsidies:trip", "GET /api/v1/charter-trips/{id}/"),
    ("GET", "subsidies:claim", "GET /api/v1/subsidy-claims/{id}/"),
    ("GET", "subsidies:payout", "GET /api/v1/payout-batches/{id}/"),
    ("GET", "leaderboard:week", "GET /api/v1/leaderboard/weeks/{id}/"),
    ("POST", "enterprises:request-approve", "POST /api/v1/resumption-requests/{id}/approve/"),
    ("POST", "enterprises:pass-approve", "POST /api/v1/passes/{id}/approve/"),
    ("POST", "enterprises:pass-revoke", "POST /api/v1/passes/{id}/revoke/"),
    ("POST", "subsidies:payout-paid", "POST /api/v1/payout-batches/{id}/mark-paid/"),
    ("POST", "subsidies:trip-cancel", "POST /api/v1/charter-trips/{id}/cancel/"),
    ("POST", "leaderboard:publish", "POST /api/v1/leaderboard/weeks/{id}/publish/"),
]

SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def _kind(status):
    """What the answer means: refused (403), missing (404), or let in (the page shows its form or acts; the
    API validates the empty body or acts)."""
    if status in (403, 404):
        return status
    return "let in"


def test_page_and_api_answer_alike_for_the_same_object(client, world):
    users, sides, shared = world
    differences = []
    for method, page, operation in PAIRS:
        api_method, path = operation.split(" ", 1)
        for scope in ("in", "out"):
            page_url = _url(page_routes()[page], ARGS[page](sides[scope], shared))
            api_url = _api_url(path, api_ids(path, sides[scope], shared))
            for role in SIGNED_IN:
                on_page = _kind(_answer(client, users[role], method, page_url))
                in_api = _kind(_answer(client, users[role], api_method, api_url))
                if on_page != in_api:
                    differences.append(f"{page} / {operation}: {role} [{scope}]: page {on_page}, API {in_api}")
    assert differences == []
