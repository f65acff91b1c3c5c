"""Each role's main task on a phone (390 px), started from the home page's to-do list (templates/fuyang_portal/
home.html: ``#todo .todo-list > .todo-item``, one link each to the page where the work is done): a township reviews
the next resumption request and lands on the one after; an agency signs for a problem and answers it; a firm files
its daily report; a specialist logs a visit and, with "save and log another", a second one. axe-core checks each
page, and no page is wider than the phone's screen."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enterprises.models import DailyReport, ResumptionStatus
from fuyang_portal import clock
from specialists import services as problems
from specialists.models import Problem, Visit
from tests.browser.conftest import PHONE
from tests.enterprises.factories import ApprovedRequestFactory, ResumptionRequestFactory
from tests.factories import AgencyFactory, EnterpriseFactory, TownshipFactory, agency_user, district_user, enterprise_user, township_user
from tests.specialists.factories import AssignmentFactory, served_firm

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def todo_link(person, href):
    """The home page's to-do item that leads to ``href``, on a phone."""
    page = person.page
    page.click("a.navbar-brand")
    page.wait_for_load_state()
    person.check_accessibility("home")
    fits(person)
    link = page.locator(f"#todo ol.todo-list > li.todo-item a[href='{href}']")
    assert link.count() == 1, f"no to-do item leads to {href}: {page.locator('#todo').inner_text()}"
    return link


def follow(person, link, label):
    link.click()
    person.page.wait_for_load_state()
    person.check_accessibility(label)
    fits(person)


def submit(person, label, button="main form button[type=submit]"):
    person.page.click(button)
    person.page.wait_for_load_state()
    person.check_accessibility(label)
    fits(person)


def fits(person):
    width = person.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{person.page.url} is {width} px wide on a {PHONE['width']} px phone"


def test_a_township_reviews_the_next_request_from_its_todo_list(people):
    township = TownshipFactory(name="待办街道")
    township_user(township, username="todo-township")
    submitted = timezone.now() - timedelta(days=1)
    first, second = (
        ResumptionRequestFactory(
            enterprise=EnterpriseFactory(township=township, name=name), status=ResumptionStatus.SUBMITTED,
            submitted_at=submitted + timedelta(minutes=minutes),
        )
        for name, minutes in (("待办第一纺织有限公司", 0), ("待办第二机械有限公司", 30))
    )
    person = people(PHONE)
    person.sign_in("todo-township")
    follow(person, todo_link(person, first.get_absolute_url()), "request from the to-do list")
    follow(person, person.page.locator(f"main a[href='/enterprises/requests/{first.pk}/approve/']"), "approve form")
    submit(person, "after approving")
    first.refresh_from_db()
    assert first.status == ResumptionStatus.APPROVED
    # The decision opens the next request of the queue.
    assert person.page.url.endswith(second.get_absolute_url())
    assert "待办第二机械有限公司" in person.page.locator("main").inner_text()


def test_an_agency_signs_for_and_answers_a_problem_from_its_todo_list(people):
    firm, specialist = served_firm(name="待办交办制衣有限公司")
    agency = AgencyFactory(name="待办测试局")
    agency_user(agency, username="todo-agency")
    district = district_user(username="todo-district")
    assigned = []
    for text in ("流动资金紧张，需要贷款贴息", "缺少外地员工返岗包车"):
        problem = problems.raise_problem(specialist.user, firm, "funds", text)
        problems.escalate(problem, specialist.user)
        problems.assign(problem, district, agency)
        assigned.append(problem)
    first, second = assigned

    person = people(PHONE)
    person.sign_in("todo-agency")
    follow(person, todo_link(person, f"/specialists/problems/{first.pk}/accept/"), "sign-for form")
    submit(person, "after signing for")
    first.refresh_from_db()
    assert first.status == Problem.Status.ACCEPTED

    follow(person, todo_link(person, f"/specialists/problems/{first.pk}/answer/"), "answer form")
    person.page.fill("#id_text", "已对接银行，下周放款")
    submit(person, "after answering")
    first.refresh_from_db()
    assert first.status == Problem.Status.ANSWERED
    assert person.page.url.endswith(second.get_absolute_url()), "the answer is not followed by the next problem"


def test_a_firm_files_its_daily_report_from_its_todo_list(people):
    firm = EnterpriseFactory(name="待办日报电子有限公司", registered_headcount=60)
    ApprovedRequestFactory(enterprise=firm, submitted_at=clock.now() - timedelta(days=3), approved_at=clock.now() - timedelta(days=2))
    enterprise_user(firm, username="todo-firm")
    person = people(PHONE)
    person.sign_in("todo-firm")
    follow(person, todo_link(person, "/enterprises/reports/new/"), "daily report form")
    page = person.page
    page.fill("#id_staff_on_site", "42")
    page.fill("#id_staff_away", "6")
    page.fill("#id_capacity_percent", "75")
    submit(person, "after filing the report")
    report = DailyReport.objects.get(enterprise=firm)
    assert (report.date, report.staff_on_site, report.staff_away) == (clock.today(), 42, 6)
    # Filed: the item leaves the to-do list.
    page.click("a.navbar-brand")
    page.wait_for_load_state()
    assert page.locator("#todo a[href='/enterprises/reports/new/']").count() == 0


def test_a_specialist_logs_a_visit_and_then_another(people):
    first_firm, specialist = served_firm(name="待办走访一号建材有限公司")
    second_firm = EnterpriseFactory(township=first_firm.township, name="待办走访二号食品有限公司")
    AssignmentFactory(specialist=specialist, enterprise=second_firm)
    person = people(PHONE)
    person.sign_in(specialist.user.username)
    page = person.page
    # The firms not visited this week are on the to-do list, each one tap from its visit form.
    follow(person, page.locator(f"#todo a[href='/specialists/visits/new/?enterprise={first_firm.pk}']"), "visit form")
    page.check("#id_checks_1")
    submit(person, "after saving and asking for another", "main form button[name=another]")
    visit = Visit.objects.get(enterprise=first_firm)
    assert visit.specialist == specialist
    # The next form is open, on the same day and in the same mode as the visit just logged.
    assert "/specialists/visits/new/" in page.url
    assert page.locator("#id_visited_on").input_value() == visit.visited_on.isoformat()
    page.select_option("#id_enterprise", str(second_firm.pk))
    page.check("#id_checks_1")
    submit(person, "after saving the second visit", "main form button[type=submit]:not([name=another])")
    second = Visit.objects.get(enterprise=second_firm)
    assert page.url.endswith(second.get_absolute_url())
    assert Visit.objects.filter(specialist=specialist).count() == 2
