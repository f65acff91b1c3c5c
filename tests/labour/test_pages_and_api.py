"""Labour pages and API: the public board without an account, the refusals (404 out of scope, 403 not allowed,
409 wrong state) alike on the page and the API, the xlsx referral all or nothing, texts, the printed sheet and
bounded queries on the lists."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import Workbook

from fuyang_portal import clock
from labour.models import Candidate, CandidateStatus, Vacancy, VacancyStatus
from tests.factories import EnterpriseFactory, district_user, enterprise_user, township_user
from tests.labour.factories import CandidateFactory, VacancyFactory, county_user, jinyun, row

pytestmark = pytest.mark.django_db


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "手机号", "技能", "最早出发日期", "出行方式", "健康码"])
    for r in rows:
        sheet.append([r["name"], r["id_number"], r["mobile"], r.get("skills", ""), r["earliest_travel_date"], r.get("travel_mode", "包车"), "绿码"])
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    stream.name = "list.xlsx"
    return stream


def test_the_public_board_needs_no_account_and_shows_only_published_vacancies_with_filters(client):
    shown = VacancyFactory(position="缝纫工", wage_max=7000, housing=True)
    VacancyFactory(position="草稿岗位", status=VacancyStatus.DRAFT)
    VacancyFactory(position="低薪岗位", wage_min=3000, wage_max=3500, housing=False)
    response = client.get(reverse("labour:board"))
    assert response.status_code == 200
    assert "缝纫工" in response.content.decode() and "草稿岗位" not in response.content.decode()
    filtered = client.get(reverse("labour:board"), {"wage": 5000, "housing": "on", "township": shown.enterprise.township_id})
    assert [v.pk for v in filtered.context["page"]] == [shown.pk]
    assert client.get(reverse("labour:board-vacancy", args=[shown.pk])).status_code == 200
    hidden = VacancyFactory(status=VacancyStatus.SUBMITTED)
    assert client.get(reverse("labour:board-vacancy", args=[hidden.pk])).status_code == 404


def test_a_county_gets_404_for_an_unpublished_vacancy_and_another_countys_candidate_on_page_and_api(client):
    office = county_user()
    hidden = VacancyFactory(status=VacancyStatus.SUBMITTED)
    theirs = CandidateFactory(county=jinyun())
    ours = CandidateFactory(vacancy=theirs.vacancy, county=office.county_account.county)
    client.force_login(office)
    assert client.get(reverse("labour:vacancy", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("vacancy-detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("labour:candidate", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("candidate-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("labour:candidate", args=[ours.pk])).status_code == 200
    listed = client.get(reverse("candidate-list")).json()
    assert [c["id"] for c in listed["results"]] == [ours.pk] and "*" in listed["results"][0]["id_number"]


def test_a_firm_accepting_beyond_the_number_gets_409_on_the_api_and_the_form_says_so_on_the_page(client):
    vacancy = VacancyFactory(headcount=1)
    owner = enterprise_user(vacancy.enterprise)
    first, second, third = (CandidateFactory(vacancy=vacancy) for _ in range(3))
    client.force_login(owner)
    assert client.post(reverse("candidate-accept", args=[first.pk]), {}, content_type="application/json").status_code == 200
    answer = client.post(reverse("candidate-accept", args=[second.pk]), {}, content_type="application/json")
    assert answer.status_code == 409
    page = client.post(reverse("labour:candidate-action", args=[third.pk, "accept"]), {})
    assert page.status_code == 200 and page.context["form"].non_field_errors()
    assert Candidate.objects.filter(status=CandidateStatus.ACCEPTED).count() == 1
    # Another firm: 404 (out of scope); the county that referred it: 403 (may not decide), before any input.
    client.force_login(enterprise_user())
    assert client.post(reverse("candidate-accept", args=[second.pk]), {}, content_type="application/json").status_code == 404
    client.force_login(county_user(second.county))
    assert client.post(reverse("candidate-accept", args=[second.pk]), {}, content_type="application/json").status_code == 403
    assert client.get(reverse("labour:candidate-action", args=[second.pk, "accept"])).status_code == 403


def test_an_xlsx_list_with_a_bad_row_saves_nothing_and_lists_the_rows_errors_then_the_corrected_list_is_saved(client):
    vacancy = VacancyFactory()
    client.force_login(county_user())
    url = reverse("labour:vacancy-upload", args=[vacancy.pk])
    bad = [row(31), row(32, id_number="522628199001150001"), row(33)]
    response = client.post(url, {"file": _xlsx(bad)})
    assert response.status_code == 200 and not Candidate.objects.exists()
    results = response.context["results"]
    assert [r.ok for r in results] == [True, False, True] and results[1].line == 3
    response = client.post(url, {"file": _xlsx([row(31), row(32), row(33)])})
    assert response.status_code == 302 and Candidate.objects.filter(vacancy=vacancy).count() == 3
    not_a_table = io.BytesIO(b"\x00\x01binary")
    not_a_table.name = "x.xlsx"
    assert client.post(url, {"file": not_a_table}).context["form"].errors["file"]


def test_the_api_refers_json_all_or_nothing_with_each_rows_errors():
    from rest_framework.test import APIClient

    vacancy = VacancyFactory()
    api = APIClient()
    api.force_authenticate(county_user())
    url = reverse("vacancy-refer", args=[vacancy.pk])
    answer = api.post(url, {"candidates": [row(41), row(42, mobile="10000000000")]}, format="json")
    assert answer.status_code == 400 and [r["line"] for r in answer.json()["rows"] if r["errors"]] == [2]
    assert not Candidate.objects.exists()
    assert api.post(url, {"candidates": [row(41), row(42)]}, format="json").status_code == 201
    assert Candidate.objects.count() == 2
    upload = api.post(reverse("vacancy-upload", args=[vacancy.pk]), {"file": _xlsx([row(43)])}, format="multipart")
    assert upload.status_code == 201
    # A firm may not refer: 403 before the body is read.
    api.force_authenticate(enterprise_user(vacancy.enterprise))
    assert api.post(url, {"candidates": "nonsense"}, format="json").status_code == 403


def test_the_vacancy_workflow_on_the_page_and_the_api_answers_alike():
    from rest_framework.test import APIClient

    firm = EnterpriseFactory()
    owner, reviewer = enterprise_user(firm), township_user(firm.township)
    api = APIClient()
    api.force_authenticate(owner)
    created = api.post(reverse("vacancy-list"), {
        "position": "普工", "trade": "general", "headcount": 5, "wage_min": 4500, "wage_max": 6000, "start_date": clock.today().isoformat(),
        "contact_name": "陈", "contact_mobile": "13857112345", "submit": True,
    }, format="json")
    assert created.status_code == 201 and created.json()["status"] == VacancyStatus.SUBMITTED
    pk = created.json()["id"]
    assert api.post(reverse("vacancy-publish", args=[pk]), {}, format="json").status_code == 403
    api.force_authenticate(township_user())
    assert api.post(reverse("vacancy-publish", args=[pk]), {}, format="json").status_code == 404
    api.force_authenticate(reviewer)
    assert api.post(reverse("vacancy-return-vacancy", args=[pk]), {"reason": ""}, format="json").status_code == 400
    assert api.post(reverse("vacancy-publish", args=[pk]), {}, format="json").status_code == 200
    assert api.post(reverse("vacancy-publish", args=[pk]), {}, format="json").status_code == 409


def test_the_township_copies_its_text_and_prints_a_sheet_with_a_qr_code(client):
    vacancy = VacancyFactory(position="叉车工")
    client.force_login(township_user(vacancy.enterprise.township))
    texts = client.get(reverse("labour:texts"))
    assert texts.status_code == 200 and "叉车工" in texts.context["text"] and "/labour/board/" in texts.context["text"]
    sheet = client.get(reverse("labour:print"))
    assert sheet.status_code == 200 and "<svg" in sheet.content.decode() and "叉车工" in sheet.content.decode()
    client.force_login(enterprise_user(vacancy.enterprise))
    assert client.get(reverse("labour:texts")).status_code == 403


def test_list_pages_run_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    vacancy = VacancyFactory(headcount=30)
    district = district_user()
    client.force_login(district)
    CandidateFactory(vacancy=vacancy)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("labour:candidates"))
        client.get(reverse("labour:vacancies"))
    for _ in range(12):
        CandidateFactory(vacancy=VacancyFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("labour:candidates"))
        client.get(reverse("labour:vacancies"))
    assert client.get(reverse("labour:figures")).status_code == 200
    assert client.get(reverse("labour:counties")).status_code == 200


def test_a_firm_puts_accepted_workers_on_a_charter_bus_from_the_vacancy_page(client):
    from labour import services
    from subsidies.models import CharterTrip

    vacancy = VacancyFactory()
    owner = enterprise_user(vacancy.enterprise)
    candidates = services.refer_candidates(vacancy, actor=county_user(), rows=[row(51), row(52)])
    for candidate in candidates:
        services.accept_candidate(candidate, actor=owner)
    client.force_login(owner)
    assert "/trip/" in client.get(reverse("labour:vacancy", args=[vacancy.pk])).content.decode()
    response = client.post(reverse("labour:vacancy-trip", args=[vacancy.pk]), {
        "candidates": [c.pk for c in candidates], "departure_date": (clock.today() + timedelta(days=1)).isoformat(), "seats": 45,
    })
    assert response.status_code == 302
    trip = CharterTrip.objects.get()
    assert trip.passengers.count() == 2 and set(Candidate.objects.values_list("status", flat=True)) == {CandidateStatus.TRAVELLING}


def test_the_vacancy_list_counts_candidates_alike_sorted_by_a_count_or_not(client):
    """The page counts its own rows' candidates in one statement; sorted by a count, the statement counts them."""
    busy, quiet = VacancyFactory(position="忙岗", headcount=9), VacancyFactory(position="闲岗")
    for status in (CandidateStatus.ACCEPTED, CandidateStatus.TRAVELLING, CandidateStatus.ARRIVED, CandidateStatus.HIRED, CandidateStatus.REFERRED, CandidateStatus.DECLINED):
        CandidateFactory(vacancy=busy, status=status, arrived_on=clock.today() if status in (CandidateStatus.ARRIVED, CandidateStatus.HIRED) else None)
    client.force_login(district_user())
    expected = {busy.pk: (4, 2), quiet.pk: (0, 0)}  # holding a place: accepted to hired; arrived: arrived and hired
    for query in ({}, {"sort": "-holding"}, {"sort": "arrived"}):
        table = client.get(reverse("labour:vacancies"), query).context["table"]
        assert {row.record.pk: (row.record.holding_count, row.record.arrived_count) for row in table.page.object_list} == expected, query
    rows = list(Vacancy.objects.order_by("pk").with_candidate_counts())
    assert [(v.holding_count, v.arrived_count) for v in rows] == [expected[busy.pk], expected[quiet.pk]]
