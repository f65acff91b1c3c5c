"""Browser journey of labour matching on a phone (390 px), with axe-core on every page: a firm posts a vacancy, its
township publishes it, a partner county refers three candidates by xlsx, the firm accepts two (their returns are
registered) and puts them on a charter bus, confirms their arrival, and the township's fill rate moves. The
public board is usable at 390 px without an account."""

import io
from datetime import timedelta

import pytest
from openpyxl import Workbook

from fuyang_portal import clock
from labour.models import Candidate, CandidateStatus, Vacancy, VacancyStatus
from subsidies.models import CharterTrip, WorkerRegistration
from tests.browser.conftest import PHONE
from tests.factories import EnterpriseFactory, enterprise_user, township_user
from tests.labour.factories import county_user, row

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _submit(person, label):
    person.page.click("main form button[type=submit]")
    person.page.wait_for_load_state()
    person.check_accessibility(label)


def _fits(person):
    width = person.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{width[0]} px wide on a {width[1]} px screen"


def test_from_a_firms_need_to_workers_at_the_gate_on_a_phone(people, tmp_path):
    firm = EnterpriseFactory(name="场口旅程纺织有限公司")
    owner = enterprise_user(firm, username="labour-firm")
    township_user(firm.township, username="labour-township")
    office = county_user(username="labour-county")
    person = people(PHONE)
    page = person.page

    # The firm posts its need and submits it.
    person.sign_in(owner.username)
    person.go("/labour/vacancies/new/")
    page.fill("#id_position", "缝纫工")
    page.select_option("#id_trade", "sewing")
    page.fill("#id_headcount", "3")
    page.fill("#id_wage_min", "4800")
    page.fill("#id_wage_max", "7000")
    page.check("#id_housing")
    page.fill("#id_start_date", (clock.today() + timedelta(days=3)).isoformat())
    page.fill("#id_contact_name", "何主管")
    page.fill("#id_contact_mobile", "13957167890")
    page.click("main form button[name=submit]")
    page.wait_for_load_state()
    person.check_accessibility("vacancy submitted")
    vacancy = Vacancy.objects.get(enterprise=firm)
    assert vacancy.status == VacancyStatus.SUBMITTED

    # The township publishes it.
    page.context.clear_cookies()
    person.sign_in("labour-township")
    person.go(f"/labour/vacancies/{vacancy.pk}/publish/")
    _submit(person, "vacancy published")
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.PUBLISHED

    # The partner county refers three candidates by xlsx.
    book = Workbook()
    book.active.append(["姓名", "身份证号", "手机号", "技能", "最早出发日期", "出行方式", "健康码"])
    for serial in (61, 62, 63):
        r = row(serial)
        book.active.append([r["name"], r["id_number"], r["mobile"], "平车", r["earliest_travel_date"], "包车", "绿码"])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    page.context.clear_cookies()
    person.sign_in(office.username)
    person.go(f"/labour/vacancies/{vacancy.pk}/refer/upload/")
    page.set_input_files("#id_file", str(path))
    _submit(person, "list referred")
    assert Candidate.objects.filter(vacancy=vacancy, status=CandidateStatus.REFERRED).count() == 3

    # The firm accepts two: their returns are registered without retyping.
    page.context.clear_cookies()
    person.sign_in(owner.username)
    first, second, _third = Candidate.objects.filter(vacancy=vacancy).order_by("pk")
    for candidate in (first, second):
        person.go(f"/labour/candidates/{candidate.pk}/")
        page.click(f"main a[href='/labour/candidates/{candidate.pk}/accept/']")
        page.wait_for_load_state()
        person.check_accessibility("accept form")
        _submit(person, "candidate accepted")
    assert WorkerRegistration.objects.filter(enterprise=firm).count() == 2

    # ... and puts them on a charter bus.
    person.go(f"/labour/vacancies/{vacancy.pk}/trip/")
    for candidate in (first, second):
        page.check(f"main input[name=candidates][value='{candidate.pk}']")
    page.fill("#id_departure_date", clock.today().isoformat())
    page.fill("#id_seats", "45")
    _submit(person, "on the bus")
    trip = CharterTrip.objects.get(enterprise=firm)
    assert trip.passengers.count() == 2

    # The fill rate before and after the arrival is confirmed.
    def fill_rate():
        page.context.clear_cookies()
        person.sign_in("labour-township")
        person.go("/labour/figures/")
        _fits(person)
        return page.inner_text("#stat-fill-rate").strip()

    before = fill_rate()
    page.context.clear_cookies()
    person.sign_in(owner.username)
    for candidate in (first, second):
        person.go(f"/labour/candidates/{candidate.pk}/arrive/")
        _submit(person, "arrival confirmed")
    assert Candidate.objects.filter(vacancy=vacancy, status=CandidateStatus.ARRIVED).count() == 2
    after = fill_rate()
    assert before == "0.0%" and after == "66.7%"

    # The public board on the phone, without an account.
    page.context.clear_cookies()
    person.go(f"/labour/board/?township={firm.township_id}")
    _fits(person)
    assert page.locator(".vacancy-card").count() == 1 and "缝纫工" in page.inner_text("main")
    person.go(f"/labour/board/{vacancy.pk}/")
    _fits(person)
