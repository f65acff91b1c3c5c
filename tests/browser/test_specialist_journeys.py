"""Browser journey of the specialists app, on a phone and at a desk, with axe-core on every page: a specialist logs
a visit and raises a problem in the same form (a missing description is announced as an error first); the district
office escalates it and assigns it to an agency; the agency accepts and answers; the district office sees it
answered."""

import pytest

from specialists.models import Problem, Visit
from tests.factories import AgencyFactory, agency_user, district_user
from tests.specialists.factories import served_firm

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _action(journey, problem, name, fill=None):
    page = journey.page
    journey.go(f"/specialists/problems/{problem.pk}/")
    page.click(f"main a[href='/specialists/problems/{problem.pk}/{name}/']")
    page.wait_for_load_state()
    journey.check_accessibility(f"{name} form")
    for selector, value in (fill or {}).items():
        if selector.startswith("select:"):
            page.select_option(selector[7:], value)
        else:
            page.fill(selector, value)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    problem.refresh_from_db()
    return problem


def test_a_specialist_raises_a_problem_on_a_visit_that_the_district_assigns_and_the_agency_answers(journey):
    firm, specialist = served_firm(name="走访旅程制衣有限公司")
    agency = AgencyFactory(name="旅程测试局")
    agency_user(agency, username="agency-journey")
    district_user(username="district-journey")
    page = journey.page

    journey.sign_in(specialist.user.username)
    journey.go("/specialists/visits/new/")
    page.select_option("#id_enterprise", str(firm.pk))
    page.check("#id_checks_1")
    page.select_option("#id_problem1_category", "funds")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    # The missing description is announced (role=alert) next to its field, and nothing was saved.
    error = page.locator("#id_problem1_description-error[role=alert]")
    assert error.is_visible()
    journey.check_accessibility("visit form with an error")
    assert not Visit.objects.exists()
    page.fill("#id_problem1_description", "流动资金紧张，需要贷款贴息")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    journey.check_accessibility("after saving the visit")
    visit = Visit.objects.get(enterprise=firm)
    problem = Problem.objects.get(enterprise=firm)
    assert problem.status == "raised" and visit.specialist == specialist

    page.context.clear_cookies()
    journey.sign_in("district-journey")
    assert _action(journey, problem, "escalate", {"#id_text": "需要区里协调"}).status == "escalated"
    assert _action(journey, problem, "assign", {"select:#id_agency": str(agency.pk), "#id_comment": "五个工作日内答复"}).status == "assigned"

    page.context.clear_cookies()
    journey.sign_in("agency-journey")
    assert _action(journey, problem, "accept").status == "accepted"
    assert _action(journey, problem, "answer", {"#id_text": "已对接银行，下周放款"}).status == "answered"

    page.context.clear_cookies()
    journey.sign_in("district-journey")
    journey.go(f"/specialists/problems/{problem.pk}/")
    assert "已对接银行，下周放款" in page.locator("main").inner_text()
    assert page.locator(".timeline li").count() >= 5  # raised, escalated, assigned, accepted, answered
