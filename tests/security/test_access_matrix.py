"""Who gets what, for every page and every API route, as each role, on an object in scope and one out of it.

The routes are enumerated from the URL resolver and from the OpenAPI schema, so a new route that is not in the
tables below fails the test. Answers: 200 (or another 2xx/3xx the table names), 302 to sign-in for anonymous
visitors, 403 for a role that may not use the page, 404 for an object outside the user's scope, 405 where an
endpoint takes no GET. Every request runs in a savepoint that is rolled back, so no answer depends on another.
"""

import re

import pytest
from django.conf import settings
from django.contrib.admin import site as admin_site
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from fuyang_portal import health
from leaderboard.models import Score
from tests.security.world import ROLES, api_ids, build_world, side_objects

ADMINISTRATOR_ROLES = ("sysadmin", "secadmin", "auditor")

pytestmark = pytest.mark.django_db

# Route name -> how to fill in its arguments from one side of the world ("ours" in scope, "theirs" not);
# routes without arguments are checked once. "s" is the shared contest data.
ARGS = {
    "mark-read": lambda o, s: {"pk": o["notification"].pk},
    "places:township": lambda o, s: {"pk": o["township"].pk},
    "enterprises:import-template": lambda o, s: {"kind": "firms"},
    "enterprises:enterprise": lambda o, s: {"pk": o["firm"].pk},
    "enterprises:edit": lambda o, s: {"pk": o["firm"].pk},
    "enterprises:request": lambda o, s: {"pk": o["request"].pk},
    "enterprises:request-edit": lambda o, s: {"pk": o["request"].pk},
    "enterprises:request-submit": lambda o, s: {"pk": o["request"].pk},
    "enterprises:request-approve": lambda o, s: {"pk": o["request"].pk},
    "enterprises:request-return": lambda o, s: {"pk": o["request"].pk},
    "enterprises:request-plan": lambda o, s: {"pk": o["request"].pk, "which": "prevention"},
    "enterprises:pass": lambda o, s: {"pk": o["pass"].pk},
    "enterprises:pass-unmask": lambda o, s: {"pk": o["pass"].pk},
    "enterprises:pass-approve": lambda o, s: {"pk": o["pass"].pk},
    "enterprises:pass-revoke": lambda o, s: {"pk": o["pass"].pk},
    "enterprises:pass-print": lambda o, s: {"pk": o["pass"].pk},
    "enterprises:verify": lambda o, s: {"token": o["verify_token"]},
    "enterprises:export": lambda o, s: {"pk": o["export"].pk},
    "enterprises:export-download": lambda o, s: {"pk": o["export"].pk},
    "specialists:specialist-edit": lambda o, s: {"pk": o["specialist"].pk},
    "specialists:visit": lambda o, s: {"pk": o["visit"].pk},
    "specialists:project": lambda o, s: {"pk": o["project"].pk},
    "specialists:project-edit": lambda o, s: {"pk": o["project"].pk},
    "specialists:problem": lambda o, s: {"pk": o["problem"].pk},
    "specialists:problem-attach": lambda o, s: {"pk": o["problem"].pk},
    "specialists:attachment": lambda o, s: {"pk": o["problem"].pk, "attachment_pk": o["attachment"].pk},
    "specialists:problem-action": lambda o, s: {"pk": o["problem"].pk, "action": "escalate"},
    "specialists:specialist": lambda o, s: {"pk": o["specialist"].pk},
    "specialists:end-assignment": lambda o, s: {"pk": o["assignment"].pk},
    "specialists:deadline-rule": lambda o, s: {"pk": s["deadline_rule"].pk},
    "subsidies:registration": lambda o, s: {"pk": o["registration"].pk},
    "subsidies:trip": lambda o, s: {"pk": o["trip"].pk},
    "subsidies:trip-complete": lambda o, s: {"pk": o["trip"].pk},
    "subsidies:trip-passengers": lambda o, s: {"pk": o["trip"].pk},
    "subsidies:trip-cancel": lambda o, s: {"pk": o["trip"].pk},
    "subsidies:claim-create": lambda o, s: {"trip": o["trip"].pk},
    "subsidies:claim": lambda o, s: {"pk": o["claim"].pk},
    "subsidies:claim-edit": lambda o, s: {"pk": o["claim"].pk},
    "subsidies:claim-invoice": lambda o, s: {"pk": o["claim"].pk},
    "subsidies:claim-action": lambda o, s: {"pk": o["claim"].pk, "action": "district-reject"},
    "subsidies:payout": lambda o, s: {"pk": o["batch"].pk},
    "subsidies:payout-export": lambda o, s: {"pk": o["batch"].pk},
    "subsidies:payout-paid": lambda o, s: {"pk": o["batch"].pk},
    "leaderboard:public-level": lambda o, s: {"level": s["level"]},
    "leaderboard:public-week": lambda o, s: {"level": s["level"], "week_start": s["week_start"]},
    "leaderboard:week": lambda o, s: {"pk": s["week"].pk},
    "leaderboard:recompute": lambda o, s: {"pk": s["week"].pk},
    "leaderboard:publish": lambda o, s: {"pk": s["week"].pk},
    "leaderboard:correct": lambda o, s: {"pk": s["week"].pk},
    "leaderboard:sensitivity": lambda o, s: {"pk": s["week"].pk},
    "leaderboard:indicator-edit": lambda o, s: {"pk": s["indicator"].pk},
    "leaderboard:level-setting": lambda o, s: {"level": s["level"]},
    "leaderboard:inspection-sheet": lambda o, s: {"level": s["level"], "week_start": s["week_start"]},
    "leaderboard:inspection-template": lambda o, s: {"level": s["level"], "week_start": s["week_start"]},
    "leaderboard:unit": lambda o, s: {"level": s["level"], "unit_id": o["township"].pk},
    "leaderboard:drill": lambda o, s: {"level": s["level"], "unit_id": o["township"].pk, "week_pk": s["week"].pk, "code": s["code"]},
    "leaderboard:close-appeals": lambda o, s: {"pk": s["week"].pk},
    "leaderboard:objection": lambda o, s: {"pk": o["objection"].pk},
    "leaderboard:objection-evidence": lambda o, s: {"pk": o["objection"].pk},
    "leaderboard:objection-accept": lambda o, s: {"pk": o["objection"].pk},
    "leaderboard:objection-reject": lambda o, s: {"pk": o["objection"].pk},
    "leaderboard:objection-file": lambda o, s: {"score_pk": Score.objects.get(week=s["week"], unit_id=o["township"].pk).pk},
    "specialists:part-action": lambda o, s: {"problem_pk": o["part"].problem_id, "pk": o["part"].pk, "action": "accept"},
    "relief:policy": lambda o, s: {"pk": o["relief_policy"].pk},
    "relief:policy-apply": lambda o, s: {"pk": o["relief_application"].policy_id},
    "relief:policy-match": lambda o, s: {"pk": o["relief_policy"].pk},
    "relief:policy-publish": lambda o, s: {"pk": o["relief_policy"].pk},
    "relief:policy-revise": lambda o, s: {"pk": o["relief_policy"].pk},
    "relief:policy-withdraw": lambda o, s: {"pk": o["relief_policy"].pk},
    "relief:award": lambda o, s: {"pk": o["relief_award"].pk},
    "relief:award-cancel": lambda o, s: {"pk": o["relief_award"].pk},
    "relief:award-confirm": lambda o, s: {"pk": o["relief_award"].pk},
    "relief:award-recover": lambda o, s: {"pk": o["relief_award"].pk},
    "relief:recovery-settle": lambda o, s: {"pk": o["relief_recovery"].pk},
    "relief:application": lambda o, s: {"pk": o["relief_application"].pk},
    "relief:application-action": lambda o, s: {"pk": o["relief_application"].pk, "action": "submit"},
    "relief:application-upload": lambda o, s: {"pk": o["relief_application"].pk},
    "relief:document": lambda o, s: {"pk": o["relief_document"].pk},
    "relief:firm": lambda o, s: {"pk": o["firm"].pk},
    "labour:county": lambda o, s: {"pk": o["county"].pk},
    "labour:board-vacancy": lambda o, s: {"pk": o["vacancy"].pk},
    "labour:vacancy": lambda o, s: {"pk": o["vacancy"].pk},
    "labour:vacancy-action": lambda o, s: {"pk": o["vacancy"].pk, "action": "fill"},
    "labour:vacancy-edit": lambda o, s: {"pk": o["vacancy"].pk},
    "labour:vacancy-refer": lambda o, s: {"pk": o["vacancy"].pk},
    "labour:vacancy-trip": lambda o, s: {"pk": o["vacancy"].pk},
    "labour:vacancy-upload": lambda o, s: {"pk": o["vacancy"].pk},
    "labour:candidate": lambda o, s: {"pk": o["candidate"].pk},
    "labour:candidate-action": lambda o, s: {"pk": o["candidate"].pk, "action": "accept"},
    "programmes:work-list": lambda o, s: {"pk": o["work_list"].pk},
    "programmes:work-item-add": lambda o, s: {"pk": o["work_list"].pk},
    "programmes:item": lambda o, s: {"pk": o["work_item"].pk},
    "programmes:item-inspect": lambda o, s: {"pk": o["work_item"].pk},
    "programmes:item-reopen": lambda o, s: {"pk": o["work_item"].pk},
    "programmes:item-report": lambda o, s: {"pk": o["work_item"].pk},
    "programmes:update-photo": lambda o, s: {"pk": o["update"].pk},
    "programmes:finding": lambda o, s: {"pk": o["finding"].pk},
    "programmes:finding-rectify": lambda o, s: {"pk": o["finding"].pk},
    "programmes:call": lambda o, s: {"pk": o["call"].pk},
    "programmes:call-close": lambda o, s: {"pk": o["call"].pk},
    "programmes:call-raise": lambda o, s: {"pk": o["call"].pk},
    "programmes:lodging": lambda o, s: {"pk": o["lodging"].pk},
    "programmes:check-in": lambda o, s: {"pk": o["lodging"].pk},
    "programmes:check-out": lambda o, s: {"pk": o["stay"].pk},
    "programmes:voucher": lambda o, s: {"pk": o["voucher"].pk},
    "programmes:voucher-void": lambda o, s: {"pk": o["voucher"].pk},
    "programmes:voucher-verify": lambda o, s: {"code": o["voucher"].code},
    "programmes:voucher-redeem": lambda o, s: {"code": o["voucher"].code},
    "exports:detail": lambda o, s: {"pk": o["export_request"].pk},
    "exports:approve": lambda o, s: {"pk": o["export_request"].pk},
    "exports:refuse": lambda o, s: {"pk": o["export_request"].pk},
    "exports:download": lambda o, s: {"pk": o["export_request"].pk},
}

# Route name -> expected GET answers, in the order of world.ROLES: anonymous, district, township, agency, specialist,
# enterprise, county, clinic, then the three administrators (system, security, auditor). "in" on the object of
# the signed-in user's own scope, "out" on the same kind of object in another township (and partner county).
PAGES = {
    'api-docs': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'api-me': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'api-redoc': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'api-root': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'api-schema': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'api-token': {'in': (405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)},
    'audit': {'in': ('login', 403, 403, 403, 403, 403, 403, 403, 403, 403, 200)},
    'audit-transitions': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 200)},
    'enterprises:create': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'enterprises:edit': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'enterprises:enterprise': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'enterprises:export': {'in': ('login', 404, 200, 404, 404, 403, 403, 403, 403, 403, 403), 'out': ('login', 404, 404, 404, 404, 403, 403, 403, 403, 403, 403)},
    'enterprises:export-create': {'in': ('login', 405, 405, 405, 405, 403, 403, 403, 403, 403, 403)},
    'enterprises:export-download': {'in': ('login', 404, 200, 404, 404, 403, 403, 403, 403, 403, 403), 'out': ('login', 404, 404, 404, 404, 403, 403, 403, 403, 403, 403)},
    'enterprises:import': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'enterprises:import-template': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'enterprises:list': {'in': ('login', 200, 200, 200, 200, 403, 403, 403, 403, 403, 403)},
    'enterprises:mine': {'in': ('login', 403, 403, 403, 403, 302, 403, 403, 403, 403, 403)},
    'enterprises:pass': {'in': ('login', 200, 200, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'enterprises:pass-approve': {'in': ('login', 403, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'enterprises:pass-import-employee': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403)},
    'enterprises:pass-import-vehicle': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403)},
    'enterprises:pass-new-employee': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403)},
    'enterprises:pass-new-vehicle': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403)},
    'enterprises:pass-print': {'in': ('login', 404, 404, 403, 403, 404, 403, 403, 403, 403, 403), 'out': ('login', 404, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'enterprises:pass-queue': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'enterprises:pass-revoke': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'enterprises:pass-unmask': {'in': ('login', 405, 405, 403, 403, 405, 403, 403, 403, 403, 403), 'out': ('login', 405, 405, 403, 403, 405, 403, 403, 403, 403, 403)},
    'enterprises:passes': {'in': ('login', 200, 200, 403, 403, 200, 403, 403, 403, 403, 403)},
    'enterprises:queue': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'enterprises:report-new': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403)},
    'enterprises:reports': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'enterprises:reports-latest': {'in': ('login', 200, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    'enterprises:reports-missing': {'in': ('login', 200, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    'enterprises:request': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'enterprises:request-approve': {'in': ('login', 403, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'enterprises:request-edit': {'in': ('login', 403, 403, 403, 403, 302, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'enterprises:request-new': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403)},
    'enterprises:request-plan': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'enterprises:request-return': {'in': ('login', 403, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'enterprises:request-submit': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'enterprises:requests': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'enterprises:stats': {'in': ('login', 200, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    'enterprises:verify': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200), 'out': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'exports:approve': {'in': ('login', 200, 403, 404, 404, 404, 404, 404, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 404, 404, 403, 403, 403)},
    'exports:detail': {'in': ('login', 200, 200, 404, 404, 404, 404, 404, 403, 403, 200), 'out': ('login', 200, 404, 404, 404, 404, 404, 404, 403, 403, 200)},
    'exports:download': {'in': ('login', 405, 405, 405, 405, 405, 405, 405, 403, 403, 405), 'out': ('login', 405, 405, 405, 405, 405, 405, 405, 403, 403, 405)},
    'exports:list': {'in': ('login', 200, 200, 200, 200, 200, 200, 200, 403, 403, 200)},
    'exports:new': {'in': ('login', 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'exports:refuse': {'in': ('login', 200, 403, 404, 404, 404, 404, 404, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 404, 404, 403, 403, 403)},
    'health-live': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'health-ready': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'home': {'in': ('login', 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'inbox': {'in': ('login', 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'labour:board': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'labour:board-vacancy': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200), 'out': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'labour:candidate': {'in': ('login', 200, 200, 403, 200, 200, 200, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 404, 404, 404, 403, 403, 403, 403)},
    'labour:candidate-action': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 403, 404, 404, 404, 403, 403, 403, 403)},
    'labour:candidate-template': {'in': ('login', 200, 403, 403, 403, 403, 200, 403, 403, 403, 403)},
    'labour:candidates': {'in': ('login', 200, 200, 403, 200, 200, 200, 403, 403, 403, 403)},
    'labour:counties': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'labour:county': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'labour:county-create': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'labour:figures': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'labour:index': {'in': (302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302)},
    'labour:print': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'labour:texts': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'labour:vacancies': {'in': ('login', 200, 200, 403, 200, 200, 200, 403, 403, 403, 403)},
    'labour:vacancy': {'in': ('login', 200, 200, 403, 200, 200, 200, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 404, 404, 200, 403, 403, 403, 403)},
    'labour:vacancy-action': {'in': ('login', 200, 200, 403, 200, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'labour:vacancy-create': {'in': ('login', 403, 403, 403, 200, 200, 403, 403, 403, 403, 403)},
    'labour:vacancy-edit': {'in': ('login', 403, 403, 403, 200, 200, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'labour:vacancy-refer': {'in': ('login', 403, 403, 403, 403, 403, 200, 403, 403, 403, 403), 'out': ('login', 403, 404, 403, 404, 404, 200, 403, 403, 403, 403)},
    'labour:vacancy-trip': {'in': ('login', 200, 403, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'labour:vacancy-upload': {'in': ('login', 403, 403, 403, 403, 403, 200, 403, 403, 403, 403), 'out': ('login', 403, 404, 403, 404, 404, 200, 403, 403, 403, 403)},
    'leaderboard:appeals': {'in': ('login', 403, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:close-appeals': {'in': ('login', 405, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 405, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:compute': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:correct': {'in': ('login', 405, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 405, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:drill': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:indicator-edit': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:indicators': {'in': ('login', 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'leaderboard:inspection-sheet': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:inspection-start': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:inspection-template': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:inspections': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:level-setting': {'in': (405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405), 'out': (405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)},
    'leaderboard:manage': {'in': (302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302)},
    'leaderboard:mine': {'in': ('login', 403, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:objection': {'in': ('login', 200, 200, 404, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:objection-accept': {'in': ('login', 405, 403, 404, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 405, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:objection-evidence': {'in': ('login', 200, 200, 404, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:objection-file': {'in': ('login', 403, 404, 404, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:objection-reject': {'in': ('login', 405, 403, 404, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 405, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:objections': {'in': ('login', 200, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:public': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'leaderboard:public-level': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200), 'out': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'leaderboard:public-week': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200), 'out': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'leaderboard:publish': {'in': ('login', 405, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 405, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:recompute': {'in': ('login', 405, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 405, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:sensitivity': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:unit': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'leaderboard:week': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'leaderboard:weeks': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'login': {'in': (200, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302)},
    'logout': {'in': (405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)},
    'mark-all-read': {'in': ('login', 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)},
    'mark-read': {'in': ('login', 405, 405, 405, 405, 405, 405, 405, 405, 405, 405), 'out': ('login', 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)},
    'metrics': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'password_change': {'in': ('login', 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'password_change_done': {'in': ('login', 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'places:agencies': {'in': ('login', 200, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    'places:township': {'in': ('login', 200, 200, 200, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    'places:townships': {'in': ('login', 200, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:call': {'in': ('login', 200, 200, 403, 404, 404, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'programmes:call-close': {'in': ('login', 403, 200, 403, 404, 404, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'programmes:call-create': {'in': ('login', 403, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:call-raise': {'in': ('login', 403, 403, 403, 404, 404, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'programmes:calls': {'in': ('login', 200, 200, 403, 200, 200, 403, 403, 403, 403, 403)},
    'programmes:car-run-create': {'in': ('login', 403, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:car-runs': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:check-in': {'in': ('login', 403, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:check-out': {'in': ('login', 403, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:clinic-account-create': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:clinic-create': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:clinics': {'in': ('login', 200, 200, 403, 403, 403, 403, 200, 403, 403, 403)},
    'programmes:coverage': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:coverage-create': {'in': ('login', 403, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:figures': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:finding': {'in': ('login', 200, 200, 404, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:finding-rectify': {'in': ('login', 200, 403, 404, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:findings': {'in': ('login', 200, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:item': {'in': ('login', 200, 200, 404, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:item-inspect': {'in': ('login', 200, 403, 404, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:item-reopen': {'in': ('login', 200, 200, 404, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:item-report': {'in': ('login', 403, 200, 404, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:items': {'in': ('login', 200, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:lodging': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:lodging-create': {'in': ('login', 403, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:lodgings': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:shopping-run-create': {'in': ('login', 403, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:shopping-runs': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:station-create': {'in': ('login', 403, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:stations': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:update-photo': {'in': ('login', 200, 200, 404, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:voucher': {'in': ('login', 200, 200, 403, 403, 403, 403, 404, 403, 403, 403), 'out': ('login', 200, 404, 403, 403, 403, 403, 404, 403, 403, 403)},
    'programmes:voucher-issue': {'in': ('login', 403, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:voucher-lookup': {'in': ('login', 200, 200, 403, 403, 403, 403, 200, 403, 403, 403)},
    'programmes:voucher-redeem': {'in': ('login', 403, 403, 403, 403, 403, 403, 405, 403, 403, 403), 'out': ('login', 403, 403, 403, 403, 403, 403, 405, 403, 403, 403)},
    'programmes:voucher-verify': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200), 'out': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'programmes:voucher-void': {'in': ('login', 200, 200, 403, 403, 403, 403, 404, 403, 403, 403), 'out': ('login', 200, 404, 403, 403, 403, 403, 404, 403, 403, 403)},
    'programmes:vouchers': {'in': ('login', 200, 200, 403, 403, 403, 403, 200, 403, 403, 403)},
    'programmes:work-item-add': {'in': ('login', 403, 200, 404, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:work-list': {'in': ('login', 200, 200, 404, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:work-list-create': {'in': ('login', 403, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'programmes:work-lists': {'in': ('login', 200, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    'relief:application': {'in': ('login', 200, 200, 403, 200, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'relief:application-action': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'relief:application-upload': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'relief:applications': {'in': ('login', 200, 200, 403, 200, 200, 403, 403, 403, 403, 403)},
    'relief:award': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'relief:award-cancel': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'relief:award-confirm': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'relief:award-recover': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'relief:awards': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'relief:batch': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'relief:catalogue': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'relief:document': {'in': ('login', 200, 200, 403, 200, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'relief:firm': {'in': ('login', 200, 200, 200, 200, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 403, 403, 403, 403, 403, 403)},
    'relief:mine': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403)},
    'relief:nudge': {'in': ('login', 200, 200, 200, 200, 403, 403, 403, 403, 403, 403)},
    'relief:policies': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'relief:policy': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'relief:policy-apply': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403)},
    'relief:policy-create': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'relief:policy-match': {'in': ('login', 405, 405, 405, 405, 405, 403, 403, 403, 403, 403), 'out': ('login', 405, 405, 405, 405, 405, 403, 403, 403, 403, 403)},
    'relief:policy-publish': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'relief:policy-revise': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'relief:policy-withdraw': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'relief:recovery-settle': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'relief:statistics': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'second-factor': {'in': ('login', 'login', 'login', 'login', 'login', 'login', 'login', 'login', 'login', 'login', 'login')},
    'set_language': {'in': (302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302)},
    'specialists:assignments': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'specialists:attachment': {'in': ('login', 200, 200, 200, 200, 200, 404, 404, 404, 404, 404), 'out': ('login', 200, 404, 404, 404, 404, 404, 404, 404, 404, 404)},
    'specialists:bulk-assign': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'specialists:coverage': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'specialists:deadline-rule': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'specialists:deadline-rules': {'in': ('login', 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'specialists:directory': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'specialists:end-assignment': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'specialists:import-assignments': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'specialists:my-firms': {'in': ('login', 403, 403, 403, 200, 403, 403, 403, 403, 403, 403)},
    'specialists:part-action': {'in': ('login', 403, 403, 200, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'specialists:problem': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'specialists:problem-action': {'in': ('login', 200, 403, 403, 200, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'specialists:problem-attach': {'in': ('login', 200, 403, 403, 200, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'specialists:problem-new': {'in': ('login', 403, 403, 403, 200, 200, 403, 403, 403, 403, 403)},
    'specialists:problems': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'specialists:project': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'specialists:project-edit': {'in': ('login', 403, 403, 403, 200, 403, 404, 404, 404, 404, 404), 'out': ('login', 403, 404, 404, 404, 404, 404, 404, 404, 404, 404)},
    'specialists:project-new': {'in': ('login', 403, 403, 403, 200, 403, 403, 403, 403, 403, 403)},
    'specialists:projects': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'specialists:queue': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'specialists:risk': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'specialists:scorecard': {'in': ('login', 200, 403, 200, 403, 403, 403, 403, 403, 403, 403)},
    'specialists:specialist': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'specialists:specialist-edit': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'specialists:specialist-new': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'specialists:specialists': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'specialists:visit': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'specialists:visit-new': {'in': ('login', 403, 403, 403, 200, 403, 403, 403, 403, 403, 403)},
    'specialists:visits': {'in': ('login', 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'subsidies:claim': {'in': ('login', 200, 200, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'subsidies:claim-action': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'subsidies:claim-create': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'subsidies:claim-edit': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 403, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'subsidies:claim-invoice': {'in': ('login', 200, 200, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'subsidies:claims': {'in': ('login', 200, 200, 403, 403, 200, 403, 403, 403, 403, 403)},
    'subsidies:demand': {'in': ('login', 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'subsidies:index': {'in': (302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302)},
    'subsidies:payout': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'subsidies:payout-create': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'subsidies:payout-export': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'subsidies:payout-paid': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'subsidies:payouts': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'subsidies:policy': {'in': ('login', 200, 200, 403, 403, 200, 200, 200, 403, 403, 403)},
    'subsidies:public-done': {'in': (302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302)},
    'subsidies:public-register': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'subsidies:public-status': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'subsidies:registration': {'in': ('login', 200, 200, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'subsidies:registration-create': {'in': ('login', 403, 403, 403, 403, 200, 403, 403, 403, 403, 403)},
    'subsidies:registrations': {'in': ('login', 200, 200, 403, 403, 200, 403, 403, 403, 403, 403)},
    'subsidies:statistics': {'in': ('login', 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'subsidies:trip': {'in': ('login', 200, 200, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'subsidies:trip-cancel': {'in': ('login', 200, 403, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'subsidies:trip-complete': {'in': ('login', 200, 403, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'subsidies:trip-passengers': {'in': ('login', 200, 403, 403, 403, 200, 403, 403, 403, 403, 403), 'out': ('login', 200, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'subsidies:trip-plan': {'in': ('login', 200, 403, 403, 403, 200, 403, 403, 403, 403, 403)},
    'subsidies:trips': {'in': ('login', 200, 200, 403, 403, 200, 403, 403, 403, 403, 403)},
}

# "METHOD /api/path/" -> expected answers, as above (GET for reads; POST with an empty body for actions).
API = {
    'GET /api/v1/agencies/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/agencies/{id}/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403), 'out': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/agency-scorecard/': {'in': (403, 200, 403, 200, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/candidates/': {'in': (403, 200, 200, 403, 200, 200, 200, 403, 403, 403, 403)},
    'GET /api/v1/candidates/{id}/': {'in': (403, 200, 200, 403, 200, 200, 200, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 404, 404, 404, 403, 403, 403, 403)},
    'GET /api/v1/car-runs/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/car-runs/{id}/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/charter-trips/': {'in': (403, 200, 200, 403, 403, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/charter-trips/{id}/': {'in': (403, 200, 200, 403, 403, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/clinics/': {'in': (403, 200, 200, 403, 403, 403, 403, 200, 403, 403, 403)},
    'GET /api/v1/clinics/{id}/': {'in': (403, 200, 200, 403, 403, 403, 403, 200, 403, 403, 403), 'out': (403, 200, 404, 403, 403, 403, 403, 404, 403, 403, 403)},
    'GET /api/v1/communities/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/communities/{id}/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403), 'out': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/community-groups/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/community-groups/{id}/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403), 'out': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/enterprises/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/enterprises/{id}/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/export-requests/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 200)},
    'GET /api/v1/export-requests/{id}/': {'in': (403, 200, 200, 404, 404, 404, 404, 404, 403, 403, 200), 'out': (403, 200, 404, 404, 404, 404, 404, 404, 403, 403, 200)},
    'GET /api/v1/headcount-reports/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/headcount-reports/{id}/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/health-vouchers/': {'in': (403, 200, 200, 403, 403, 403, 403, 200, 403, 403, 403)},
    'GET /api/v1/health-vouchers/{id}/': {'in': (403, 200, 200, 403, 403, 403, 403, 404, 403, 403, 403), 'out': (403, 200, 404, 403, 403, 403, 403, 404, 403, 403, 403)},
    'GET /api/v1/hotline-calls/': {'in': (403, 200, 200, 403, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/hotline-calls/{id}/': {'in': (403, 200, 200, 403, 404, 404, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/hotline-coverage/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/hotline-coverage/{id}/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/inspection-findings/': {'in': (403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/inspection-findings/{id}/': {'in': (403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/leaderboard/indicators/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/leaderboard/indicators/{id}/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403), 'out': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/leaderboard/levels/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/leaderboard/objections/': {'in': (403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/leaderboard/objections/{id}/': {'in': (403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/leaderboard/results/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/leaderboard/results/{id}/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/leaderboard/scores/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/leaderboard/scores/{id}/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/leaderboard/weeks/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/leaderboard/weeks/{id}/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/leaderboard/weeks/{id}/sensitivity/': {'in': (403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/lodging-stays/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/lodging-stays/{id}/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/lodgings/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/lodgings/{id}/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/lodgings/{id}/occupancy/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/lodgings/{id}/occupants/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/me/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'GET /api/v1/pairings/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/pairings/{id}/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403), 'out': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/partner-counties/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/partner-counties/{id}/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403), 'out': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/passes/': {'in': (403, 200, 200, 403, 403, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/passes/{id}/': {'in': (403, 200, 200, 403, 403, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/payout-batches/': {'in': (403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/payout-batches/{id}/': {'in': (403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/payout-batches/{id}/export/': {'in': (403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/problem-parts/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/problem-parts/{id}/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/problems/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/problems/{id}/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/relief-applications/': {'in': (403, 200, 200, 403, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/relief-applications/{id}/': {'in': (403, 200, 200, 403, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/relief-awards/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/relief-awards/{id}/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/relief-eligibility/{id}/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/relief-policies/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/relief-policies/{id}/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/relief-policies/{id}/versions/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/resumption-requests/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/resumption-requests/{id}/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/service-stations/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/service-stations/{id}/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/shopping-runs/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/shopping-runs/{id}/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/specialist-assignments/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/specialist-assignments/{id}/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/specialist-directory/': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'GET /api/v1/specialist-directory/{id}/': {'in': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200), 'out': (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    'GET /api/v1/specialists/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/specialists/{id}/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/subsidy-claims/': {'in': (403, 200, 200, 403, 403, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/subsidy-claims/{id}/': {'in': (403, 200, 200, 403, 403, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/subsidy-policies/': {'in': (403, 200, 200, 403, 403, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/subsidy-policies/{version}/': {'in': (403, 200, 200, 403, 403, 200, 200, 200, 403, 403, 403), 'out': (403, 200, 200, 403, 403, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/townships/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/townships/{id}/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403), 'out': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/tracked-projects/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/tracked-projects/{id}/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/vacancies/': {'in': (403, 200, 200, 403, 200, 200, 200, 403, 403, 403, 403)},
    'GET /api/v1/vacancies/{id}/': {'in': (403, 200, 200, 403, 200, 200, 200, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 404, 404, 200, 403, 403, 403, 403)},
    'GET /api/v1/villages/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/villages/{id}/': {'in': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403), 'out': (403, 200, 200, 200, 200, 200, 200, 200, 403, 403, 403)},
    'GET /api/v1/visits/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/visits/{id}/': {'in': (403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'GET /api/v1/work-items/': {'in': (403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/work-items/{id}/': {'in': (403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/work-items/{id}/updates/': {'in': (403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/work-lists/': {'in': (403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/work-lists/{id}/': {'in': (403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'GET /api/v1/worker-registrations/': {'in': (403, 200, 200, 403, 403, 200, 403, 403, 403, 403, 403)},
    'GET /api/v1/worker-registrations/{id}/': {'in': (403, 200, 200, 403, 403, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'PATCH /api/v1/enterprises/{id}/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'PATCH /api/v1/resumption-requests/{id}/': {'in': (403, 403, 403, 403, 403, 415, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'PATCH /api/v1/tracked-projects/{id}/': {'in': (403, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/candidates/{id}/accept/': {'in': (403, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 404, 404, 404, 403, 403, 403, 403)},
    'POST /api/v1/candidates/{id}/arrive/': {'in': (403, 403, 403, 403, 403, 409, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 404, 404, 404, 403, 403, 403, 403)},
    'POST /api/v1/candidates/{id}/decline/': {'in': (403, 403, 403, 403, 403, 400, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 404, 404, 404, 403, 403, 403, 403)},
    'POST /api/v1/candidates/{id}/depart/': {'in': (403, 409, 403, 403, 403, 409, 409, 403, 403, 403, 403), 'out': (403, 409, 404, 403, 404, 404, 404, 403, 403, 403, 403)},
    'POST /api/v1/candidates/{id}/hire/': {'in': (403, 403, 403, 403, 403, 409, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 404, 404, 404, 403, 403, 403, 403)},
    'POST /api/v1/candidates/{id}/no-show/': {'in': (403, 403, 403, 403, 403, 400, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 404, 404, 404, 403, 403, 403, 403)},
    'POST /api/v1/car-runs/': {'in': (403, 403, 400, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/charter-trips/': {'in': (403, 400, 403, 403, 403, 400, 403, 403, 403, 403, 403)},
    'POST /api/v1/charter-trips/{id}/add-passengers/': {'in': (403, 400, 403, 403, 403, 400, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/charter-trips/{id}/cancel/': {'in': (403, 409, 403, 403, 403, 409, 403, 403, 403, 403, 403), 'out': (403, 409, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/charter-trips/{id}/complete/': {'in': (403, 400, 403, 403, 403, 400, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/enterprises/': {'in': (403, 400, 400, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/export-requests/': {'in': (403, 400, 400, 400, 400, 400, 400, 400, 403, 403, 403)},
    'POST /api/v1/export-requests/{id}/approve/': {'in': (403, 200, 403, 404, 404, 404, 404, 404, 403, 403, 403), 'out': (403, 200, 404, 404, 404, 404, 404, 404, 403, 403, 403)},
    'POST /api/v1/export-requests/{id}/download/': {'in': (403, 403, 409, 404, 404, 404, 404, 404, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 404, 404, 403, 403, 403)},
    'POST /api/v1/export-requests/{id}/refuse/': {'in': (403, 400, 403, 404, 404, 404, 404, 404, 403, 403, 403), 'out': (403, 400, 404, 404, 404, 404, 404, 404, 403, 403, 403)},
    'POST /api/v1/headcount-reports/': {'in': (403, 403, 403, 403, 403, 400, 403, 403, 403, 403, 403)},
    'POST /api/v1/health-vouchers/': {'in': (403, 403, 400, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/health-vouchers/redeem/': {'in': (403, 400, 400, 403, 403, 403, 403, 400, 403, 403, 403)},
    'POST /api/v1/health-vouchers/{id}/void/': {'in': (403, 400, 400, 403, 403, 403, 403, 404, 403, 403, 403), 'out': (403, 400, 404, 403, 403, 403, 403, 404, 403, 403, 403)},
    'POST /api/v1/hotline-calls/': {'in': (403, 403, 400, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/hotline-calls/{id}/answer/': {'in': (403, 403, 400, 403, 404, 404, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/hotline-calls/{id}/raise-problem/': {'in': (403, 403, 403, 403, 404, 404, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/hotline-coverage/': {'in': (403, 403, 400, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/inspection-findings/{id}/rectify/': {'in': (403, 400, 403, 404, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/leaderboard/objections/': {'in': (403, 403, 415, 415, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/leaderboard/objections/{id}/accept/': {'in': (403, 400, 403, 404, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/leaderboard/objections/{id}/reject/': {'in': (403, 400, 403, 404, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/leaderboard/weeks/compute/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/leaderboard/weeks/{id}/close-appeals/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/leaderboard/weeks/{id}/correct/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/leaderboard/weeks/{id}/publish/': {'in': (403, 409, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 409, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/leaderboard/weeks/{id}/recompute/': {'in': (403, 409, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 409, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/lodging-stays/{id}/check-out/': {'in': (403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/lodgings/': {'in': (403, 403, 400, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/lodgings/{id}/check-in/': {'in': (403, 403, 400, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/passes/': {'in': (403, 403, 403, 403, 403, 400, 403, 403, 403, 403, 403)},
    'POST /api/v1/passes/{id}/approve/': {'in': (403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/passes/{id}/revoke/': {'in': (403, 400, 400, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/payout-batches/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/payout-batches/{id}/mark-paid/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/problem-parts/{id}/accept/': {'in': (403, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problem-parts/{id}/answer/': {'in': (403, 403, 403, 400, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/': {'in': (403, 403, 403, 403, 400, 400, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/accept/': {'in': (403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/answer/': {'in': (403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/assign/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/attach/': {'in': (403, 415, 403, 403, 415, 415, 403, 403, 403, 403, 403), 'out': (403, 415, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/callback/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/confirm/': {'in': (403, 403, 403, 403, 403, 400, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/decide-extension/': {'in': (403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/decline/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/escalate/': {'in': (403, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/extend/': {'in': (403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/merge/': {'in': (403, 400, 403, 403, 400, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/pass-up/': {'in': (403, 403, 400, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/refer-to-township/': {'in': (403, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/reopen/': {'in': (403, 403, 403, 403, 403, 400, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/resolve/': {'in': (403, 403, 403, 403, 400, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/return/': {'in': (403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/review-return/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/problems/{id}/township-resolve/': {'in': (403, 403, 400, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-applications/': {'in': (403, 403, 403, 403, 403, 400, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-applications/{id}/attach/': {'in': (403, 403, 403, 403, 403, 415, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-applications/{id}/district-approve/': {'in': (403, 409, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 409, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-applications/{id}/district-reject/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-applications/{id}/district-return/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-applications/{id}/submit/': {'in': (403, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-applications/{id}/township-approve/': {'in': (403, 403, 409, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-applications/{id}/township-return/': {'in': (403, 403, 400, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-awards/batch/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-awards/{id}/cancel/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-awards/{id}/confirm/': {'in': (403, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-awards/{id}/recover/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-policies/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-policies/{id}/publish/': {'in': (403, 409, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 409, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-policies/{id}/revise/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/relief-policies/{id}/withdraw/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/resumption-requests/': {'in': (403, 403, 403, 403, 403, 415, 403, 403, 403, 403, 403)},
    'POST /api/v1/resumption-requests/{id}/approve/': {'in': (403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/resumption-requests/{id}/return/': {'in': (403, 403, 400, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/resumption-requests/{id}/submit/': {'in': (403, 403, 403, 403, 403, 409, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/service-stations/': {'in': (403, 403, 400, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/shopping-runs/': {'in': (403, 403, 400, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/specialist-assignments/': {'in': (403, 400, 400, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/specialist-assignments/{id}/end/': {'in': (403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/subsidy-claims/': {'in': (403, 403, 403, 403, 403, 415, 403, 403, 403, 403, 403)},
    'POST /api/v1/subsidy-claims/{id}/district-approve/': {'in': (403, 409, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 409, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/subsidy-claims/{id}/district-reject/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/subsidy-claims/{id}/district-return/': {'in': (403, 400, 403, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/subsidy-claims/{id}/submit/': {'in': (403, 403, 403, 403, 403, 409, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/subsidy-claims/{id}/township-approve/': {'in': (403, 403, 409, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/subsidy-claims/{id}/township-return/': {'in': (403, 403, 400, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 403, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/token/': {'in': (400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400)},
    'POST /api/v1/tracked-projects/': {'in': (403, 403, 403, 403, 400, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/vacancies/': {'in': (403, 403, 403, 403, 400, 400, 403, 403, 403, 403, 403)},
    'POST /api/v1/vacancies/{id}/fill/': {'in': (403, 200, 200, 403, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/vacancies/{id}/publish/': {'in': (403, 409, 409, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 409, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/vacancies/{id}/refer/': {'in': (403, 403, 403, 403, 403, 403, 400, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 404, 404, 400, 403, 403, 403, 403)},
    'POST /api/v1/vacancies/{id}/return-vacancy/': {'in': (403, 400, 400, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/vacancies/{id}/submit/': {'in': (403, 403, 403, 403, 409, 409, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/vacancies/{id}/upload/': {'in': (403, 403, 403, 403, 403, 403, 415, 403, 403, 403, 403), 'out': (403, 403, 404, 403, 404, 404, 415, 403, 403, 403, 403)},
    'POST /api/v1/vacancies/{id}/withdraw/': {'in': (403, 200, 200, 403, 200, 200, 403, 403, 403, 403, 403), 'out': (403, 200, 404, 403, 404, 404, 403, 403, 403, 403, 403)},
    'POST /api/v1/visits/': {'in': (403, 403, 403, 403, 400, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/work-items/': {'in': (403, 403, 400, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/work-items/{id}/inspect/': {'in': (403, 400, 403, 404, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/work-items/{id}/reopen/': {'in': (403, 400, 400, 404, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/work-items/{id}/report/': {'in': (403, 403, 400, 404, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/work-lists/': {'in': (403, 403, 400, 403, 403, 403, 403, 403, 403, 403, 403)},
    'POST /api/v1/worker-registrations/': {'in': (400, 403, 403, 403, 403, 400, 403, 403, 403, 403, 403)},
    'PUT /api/v1/enterprises/{id}/': {'in': (403, 400, 400, 403, 403, 403, 403, 403, 403, 403, 403), 'out': (403, 400, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'PUT /api/v1/resumption-requests/{id}/': {'in': (403, 403, 403, 403, 403, 415, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
    'PUT /api/v1/tracked-projects/{id}/': {'in': (403, 403, 403, 403, 400, 403, 403, 403, 403, 403, 403), 'out': (403, 403, 404, 404, 404, 404, 403, 403, 403, 403, 403)},
}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), ":".join(filter(None, [namespace, pattern.name or ""]))


def page_routes():
    """Every named page outside the admin and the API router (those have their own checks below)."""
    routes = {}
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/v1/^")) or "drf_format_suffix" in route:
            continue
        if name == "api-unversioned":
            continue  # the old API paths, a redirect to /api/v1/ (tests/api/test_contract.py)
        routes[name] = route
    return routes


def api_operations():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(f"{method.upper()} {path}" for path, item in schema["paths"].items() for method in item if method in {"get", "post", "put", "patch", "delete"})


@pytest.fixture
def world():
    from enterprises.views import verification_token

    users, ours, theirs, shared = build_world()
    # Who may ask the readiness probe, not what it finds (tests/ops/test_probes.py): a worker's heartbeat, as a
    # running worker keeps it in the cache, whichever cache this test process has.
    health.record_heartbeat()
    sides = {}
    for key, side in (("in", ours), ("out", theirs)):
        objects = side_objects(side)
        objects["verify_token"] = verification_token(objects["pass"])
        sides[key] = objects
    return users, sides, shared


def _answer(client, user, method, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return _send(client, client.cookies[settings.SESSION_COOKIE_NAME].value if user is not None else None, method, url)


def _send(client, session_key, method, url):
    """One request with the session ``session_key`` alone (None: a visitor), everything it writes rolled back, so a
    response that signs out, changes the language or rotates the session leaves the next request as it found it."""
    _use_session(client, session_key)
    with transaction.atomic():
        response = getattr(client, method.lower())(url, **({"content_type": "application/json", "data": {}} if method != "GET" else {}))
        transaction.set_rollback(True)
    if response.status_code == 302 and "/accounts/login/" in response.get("Location", ""):
        return "login"
    return response.status_code


def _use_session(client, session_key):
    client.cookies.clear()
    if session_key is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key


def signed_in(client, users):
    """Each role's session, signed in once: {role: session key, or None for the visitor}."""
    sessions = {}
    for role in ROLES:
        client.cookies.clear()  # not logout(): that would end the session of the role before
        if users[role] is not None:
            client.force_login(users[role])
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value if users[role] is not None else None
    client.cookies.clear()
    return sessions


def _observe(client, sessions, method, url):
    return tuple(_send(client, sessions[role], method, url) for role in ROLES)


def test_every_page_and_every_api_route_is_in_the_table():
    assert sorted(set(page_routes()) - set(PAGES)) == [], "pages missing from the access table"
    assert sorted(set(api_operations()) - set(API)) == [], "API operations missing from the access table"
    assert sorted(set(PAGES) - set(page_routes())) == [] and sorted(set(API) - set(api_operations())) == [], "stale rows"


def _url(route, values):
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def observed_pages(client, sessions, sides, shared, names):
    seen = {}
    for name in names:
        route = page_routes()[name]
        if name in ARGS:
            seen[name] = {scope: _observe(client, sessions, "GET", _url(route, ARGS[name](sides[scope], shared))) for scope in ("in", "out")}
        else:
            assert "<" not in route, f"{name} takes arguments: add it to ARGS"
            seen[name] = {"in": _observe(client, sessions, "GET", _url(route, {}))}
    return seen


def _api_url(path, values):
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def observed_api(client, sessions, sides, shared, operations):
    seen = {}
    for operation in operations:
        method, path = operation.split(" ", 1)
        if "{" in path:
            seen[operation] = {
                scope: _observe(client, sessions, method, _api_url(path, api_ids(path, sides[scope], shared))) for scope in ("in", "out")
            }
        else:
            seen[operation] = {"in": _observe(client, sessions, method, path)}
    return seen


def _differences(expected, seen):
    return [
        f"{key} [{scope}] expected {dict(zip(ROLES, expected[key][scope]))} got {dict(zip(ROLES, answers))}"
        for key, by_scope in seen.items()
        for scope, answers in by_scope.items()
        if tuple(expected[key].get(scope, ())) != answers
    ]


def test_every_page_answers_each_role_in_and_out_of_scope_as_the_table_says(client, world):
    users, sides, shared = world
    seen = observed_pages(client, signed_in(client, users), sides, shared, sorted(PAGES))
    assert _differences(PAGES, seen) == []


def test_every_api_operation_answers_each_role_in_and_out_of_scope_as_the_table_says(client, world):
    users, sides, shared = world
    seen = observed_api(client, signed_in(client, users), sides, shared, sorted(API))
    assert _differences(API, seen) == []


def test_admin_answers_only_staff(client, world):
    """Every admin route sends non-staff users of every role to the admin sign-in; staff get in. The three
    administrators are staff: what each may do there is its duty (tests/security/test_administrators.py)."""
    users, sides, shared = world
    # The admin's own sign-in and sign-out pages are open to everyone; everything else needs staff.
    routes = [route for route, _ in _walk(get_resolver().url_patterns) if route.startswith("admin/") and route not in ("admin/login/", "admin/logout/")]
    checked = 0
    sessions = signed_in(client, users)
    for route in routes:
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", "1", route)
        url = re.sub(r"\^|\$|\(\?P<\w+>[^)]*\)", "x", url)
        for role in ROLES:
            if role in ADMINISTRATOR_ROLES:
                continue
            _use_session(client, sessions[role])
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (url, role, response.status_code)
            checked += 1
    assert checked >= len(admin_site._registry) * (len(ROLES) - len(ADMINISTRATOR_ROLES))
    for role in ADMINISTRATOR_ROLES:
        client.force_login(users[role])
        assert client.get("/admin/").status_code == 200, role
    staff = users["district"]
    staff.is_staff = staff.is_superuser = True
    staff.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(staff)
    for model in admin_site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url
