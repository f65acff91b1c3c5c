"""axe-core on every page of the portal, not only those the journeys pass through: each page of the access
matrix (tests/security/test_access_matrix.py) that answers 200 is opened once, by the first role the table lets
in (on an object of that role's own scope), on a phone and at a desk; no serious or critical violations."""

import pytest

from tests.security.test_access_matrix import ARGS, PAGES, _url, page_routes
from tests.security.world import ROLES, build_world, side_objects

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# Not pages a person reads: files, redirects and API documentation with its own third-party scripts.
NOT_PAGES = {"api-docs", "api-redoc", "api-schema", "api-root", "api-me", "enterprises:import-template",
             "enterprises:export-download", "leaderboard:inspection-template", "subsidies:payout-export",
             "subsidies:claim-invoice", "enterprises:request-plan", "specialists:attachment", "login",
             "labour:candidate-template", "relief:document", "programmes:update-photo", "leaderboard:objection-evidence",
             "health-live", "health-ready", "metrics"}


def pages_by_role():
    chosen = {}
    for name, answers in sorted(PAGES.items()):
        if name in NOT_PAGES:
            continue
        for role, answer in zip(ROLES, answers["in"]):
            if answer == 200:
                chosen.setdefault(role, []).append(name)
                break
    return chosen


def test_every_page_has_no_serious_accessibility_violations(journey):
    from enterprises.views import verification_token

    users, ours, _theirs, shared = build_world()
    objects = side_objects(ours)
    objects["verify_token"] = verification_token(objects["pass"])
    routes = page_routes()
    failures = []
    for role, names in pages_by_role().items():
        journey.page.context.clear_cookies()
        if users[role] is not None:
            journey.sign_in(users[role].username)
        for name in names:
            url = _url(routes[name], ARGS[name](objects, shared) if name in ARGS else {})
            try:
                journey.go(url)
            except AssertionError as failure:
                failures.append(f"{role} {name}: {failure}")
    assert failures == [], "\n".join(failures)
