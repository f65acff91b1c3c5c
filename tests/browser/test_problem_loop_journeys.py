"""Browser journey of the problem loop (issue 18) on a phone, with axe-core on every page: the specialist
escalates; the district office assigns with a co-handling agency; the lead agency signs for it and returns it;
the district office overrules the return; the lead signs for it again, the co-handler answers its part, the lead
answers; the district office's callback finds the firm dissatisfied, which reopens it to the same agency; the
agency answers again; the callback finds the firm satisfied and the problem is closed. Then the scorecard."""

import pytest

from specialists.models import Problem, ProblemPart
from tests.factories import AgencyFactory, agency_user, district_user
from tests.specialists.factories import raised_problem

from .conftest import PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _action(journey, problem, name, fill=None, check=()):
    page = journey.page
    journey.go(f"/specialists/problems/{problem.pk}/")
    page.click(f"main a[href='/specialists/problems/{problem.pk}/{name}/']")
    page.wait_for_load_state()
    journey.check_accessibility(f"{name} form")
    for selector in check:
        page.check(selector)
    for selector, value in (fill or {}).items():
        if selector.startswith("select:"):
            page.select_option(selector[7:], value)
        else:
            page.fill(selector, value)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    problem.refresh_from_db()
    return problem


def _sign_in(journey, user):
    """Password, then the second factor where the role needs one (the district office): a confirmed TOTP device
    made for the test, its current code typed in."""
    journey.sign_in(user.username)
    if "/accounts/second-factor/" in journey.page.url:
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        journey.page.fill("#id_code", f"{code:0{device.digits}d}")
        journey.page.click("main form button[type=submit]")
        journey.page.wait_for_load_state()
    assert "/accounts/" not in journey.page.url, journey.page.url


def _fits(journey):
    width = journey.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"wider than the screen: {width}"


def test_escalate_assign_with_a_co_handler_return_overrule_callback_reopen_and_close(people):
    problem, specialist = raised_problem(category="energy")
    lead, helper = AgencyFactory(name="旅程供电局"), AgencyFactory(name="旅程水务局")
    users = {
        "specialist": specialist.user,
        "lead": agency_user(lead, username="lead-journey"),
        "helper": agency_user(helper, username="helper-journey"),
        "district": district_user(username="district-loop"),
    }
    try:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=users["district"], name="test", confirmed=True)
    except ImportError:  # no second factor in this build
        pass
    # Each person on their own phone, signed in once.
    phones = {name: people(PHONE) for name in users}
    for name, user in users.items():
        _sign_in(phones[name], user)
    journey = phones["specialist"]
    assert _action(journey, problem, "escalate", {"#id_text": "需要区里协调增容"}).status == "escalated"

    journey = phones["district"]
    page = journey.page
    assigned = _action(journey, problem, "assign", {
        "select:#id_agency": str(lead.pk), "select:#id_co_agencies": [str(helper.pk)], "#id_comment": "请供电局牵头，水务局协办",
    })
    assert assigned.status == "assigned" and ProblemPart.objects.filter(problem=problem, agency=helper).exists()
    _fits(journey)

    journey = phones["lead"]
    page = journey.page
    assert _action(journey, problem, "accept").status == "accepted"
    assert _action(journey, problem, "return", {"#id_text": "应由水务局牵头"}).status == "returned"

    journey = phones["district"]
    page = journey.page
    deadline = problem.deadline
    overruled = _action(journey, problem, "review-return", {"#id_comment": "用电增容属于供电局职责"}, check=["#id_decision_0"])
    assert overruled.status == "assigned" and overruled.agency == lead and overruled.deadline == deadline

    journey = phones["lead"]
    page = journey.page
    assert _action(journey, problem, "accept").status == "accepted"

    journey = phones["helper"]
    page = journey.page
    part = ProblemPart.objects.get(problem=problem)
    for name, fill in (("accept", {}), ("answer", {"#id_text": "管网已检修"})):
        journey.go(f"/specialists/problems/{problem.pk}/")
        page.click(f"main a[href='/specialists/problems/{problem.pk}/parts/{part.pk}/{name}/']")
        page.wait_for_load_state()
        journey.check_accessibility(f"part {name} form")
        for selector, value in fill.items():
            page.fill(selector, value)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
    assert ProblemPart.objects.get(pk=part.pk).status == "answered"

    journey = phones["lead"]
    page = journey.page
    assert _action(journey, problem, "answer", {"#id_text": "已完成增容"}).status == "answered"

    journey = phones["district"]
    page = journey.page
    reopened = _action(journey, problem, "callback", {"select:#id_satisfaction": "dissatisfied", "#id_comment": "增容后仍跳闸"},
                       check=["#id_reached_0"])
    assert reopened.status == "accepted" and reopened.agency == lead and reopened.reopen_count == 1

    journey = phones["lead"]
    page = journey.page
    assert _action(journey, problem, "answer", {"#id_text": "已更换开关，不再跳闸"}).status == "answered"

    journey = phones["district"]
    page = journey.page
    closed = _action(journey, problem, "callback", {"select:#id_satisfaction": "satisfied"}, check=["#id_reached_0"])
    assert closed.status == Problem.Status.CONFIRMED and closed.closed_how == "callback"
    journey.go(f"/specialists/problems/{problem.pk}/")
    text = page.locator("main").inner_text()
    assert "增容后仍跳闸" in text and "旅程水务局" in text
    _fits(journey)
    journey.screenshot("problem-loop-detail-390")
    journey.follow_menu("/specialists/problems/scorecard/")
    assert "旅程供电局" in page.locator("main").inner_text()
    _fits(journey)
    journey.screenshot("problem-loop-scorecard-390")
