"""Labour matching through its services: the vacancy workflow, referrals all or nothing, the firm's decisions,
the way to the gate through the subsidies app's registrations and trips, and every refusal."""

from datetime import timedelta

import pytest
from django.db import connection

from fuyang_portal import clock
from fuyang_portal.models import OutboxMessage, Transition
from fuyang_portal.workflow import ActionRefused
from labour import services
from labour.models import Candidate, CandidateStatus, Vacancy, VacancyStatus
from subsidies.models import CharterTrip, WorkerRegistration
from tests.factories import AgencyFactory, EnterpriseFactory, enterprise_user, specialist_user, township_user
from tests.specialists.factories import AssignmentFactory
from tests.labour.factories import JINPING, CandidateFactory, PartnerCountyFactory, VacancyFactory, county_user, jinyun, row

pytestmark = pytest.mark.django_db

TERMS = dict(position="缝纫工", trade="sewing", headcount=2, skills="会平车", wage_min=4800, wage_max=6500, housing=True, meals=False,
             contact_name="何主管", contact_mobile="13957167890")


def _terms(**extra):
    return {**TERMS, "start_date": clock.today() + timedelta(days=5), **extra}


def _refused(code, func, *args, **kwargs):
    with pytest.raises(ActionRefused) as caught:
        func(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


# --- the vacancy workflow ------------------------------------------------------------------------


def test_a_firm_posts_and_its_township_publishes_with_history_and_notices():
    firm = EnterpriseFactory()
    owner, reviewer = enterprise_user(firm), township_user(firm.township)
    vacancy = services.post_vacancy(actor=owner, enterprise=firm, submit=True, **_terms())
    assert vacancy.status == VacancyStatus.SUBMITTED
    assert any(reviewer.pk in message.user_ids for message in OutboxMessage.objects.all())
    with clock.at(clock.now() + timedelta(hours=2)) as moment:
        published = services.publish_vacancy(vacancy, actor=reviewer, comment="核实")
    assert published.status == VacancyStatus.PUBLISHED and published.published_at == moment
    assert published.published_by == reviewer
    actions = list(Transition.objects.for_object(vacancy).values_list("action", flat=True))
    assert {"create", "submit", "publish"} <= set(actions)
    assert Vacancy.objects.public().filter(pk=vacancy.pk).exists()


def test_another_township_or_a_county_cannot_publish_and_a_draft_cannot_be_published():
    firm = EnterpriseFactory()
    owner = enterprise_user(firm)
    draft = services.post_vacancy(actor=owner, enterprise=firm, **_terms())
    _refused(ActionRefused.CONFLICT, services.publish_vacancy, draft, actor=township_user(firm.township))
    services.submit_vacancy(draft, actor=owner)
    _refused(ActionRefused.FORBIDDEN, services.publish_vacancy, draft, actor=township_user())
    _refused(ActionRefused.FORBIDDEN, services.publish_vacancy, draft, actor=county_user())
    _refused(ActionRefused.FORBIDDEN, services.publish_vacancy, draft, actor=owner)
    assert Vacancy.objects.get(pk=draft.pk).status == VacancyStatus.SUBMITTED


def test_a_returned_vacancy_needs_a_reason_and_goes_back_to_the_firm_to_edit_and_resubmit():
    firm = EnterpriseFactory()
    owner, reviewer = enterprise_user(firm), township_user(firm.township)
    vacancy = services.post_vacancy(actor=owner, enterprise=firm, submit=True, **_terms())
    _refused(ActionRefused.INVALID, services.return_vacancy, vacancy, actor=reviewer, reason=" ")
    services.return_vacancy(vacancy, actor=reviewer, reason="工资写明税前税后")
    edited = services.update_vacancy(vacancy, actor=owner, wage_min=5000)
    assert edited.wage_min == 5000
    services.submit_vacancy(vacancy, actor=owner)
    _refused(ActionRefused.CONFLICT, services.update_vacancy, vacancy, actor=owner, wage_min=5100)


def test_a_specialist_posts_only_for_a_firm_it_serves():
    firm = EnterpriseFactory()
    user = AssignmentFactory(enterprise=firm).specialist.user
    other = specialist_user()
    vacancy = services.post_vacancy(actor=user, enterprise=firm, **_terms())
    assert vacancy.created_by == user
    _refused(ActionRefused.FORBIDDEN, services.post_vacancy, actor=other, enterprise=firm, **_terms())
    _refused(ActionRefused.FORBIDDEN, services.post_vacancy, actor=enterprise_user(), enterprise=firm, **_terms())


def test_a_wage_range_upside_down_or_a_bad_mobile_is_refused_on_the_model():
    firm = EnterpriseFactory()
    owner = enterprise_user(firm)
    _refused(ActionRefused.INVALID, services.post_vacancy, actor=owner, enterprise=firm, **_terms(wage_min=7000, wage_max=5000))
    _refused(ActionRefused.INVALID, services.post_vacancy, actor=owner, enterprise=firm, **_terms(contact_mobile="12345"))
    assert not Vacancy.objects.exists()


# --- referrals -----------------------------------------------------------------------------------


def test_a_county_refers_a_list_stored_encrypted_and_masked():
    vacancy = VacancyFactory(headcount=5)
    office = county_user()
    created = services.refer_candidates(vacancy, actor=office, rows=[row(1), row(2), row(3)])
    assert [c.status for c in created] == [CandidateStatus.REFERRED] * 3
    candidate = Candidate.objects.get(pk=created[0].pk)
    assert candidate.county.region_code == JINPING and candidate.referred_by == office
    assert candidate.masked_id.startswith("522628") and "*" in candidate.masked_id
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM labour_candidate WHERE id = %s", [candidate.pk])
        stored = cursor.fetchone()[0]
    assert candidate.id_number not in stored
    assert Transition.objects.filter(action="create", object_id=str(candidate.pk)).exists()


def test_one_bad_row_refuses_the_whole_list_with_each_rows_errors():
    vacancy = VacancyFactory()
    bad_id = row(5, id_number="522628199001150000")
    bad_mobile = row(6, mobile="1234567")
    with pytest.raises(services.RowsRefused) as caught:
        services.refer_candidates(vacancy, actor=county_user(), rows=[row(4), bad_id, bad_mobile, {**row(7), "earliest_travel_date": "明天"}])
    rows = caught.value.rows
    assert [r.ok for r in rows] == [True, False, False, False]
    assert "ID" in " ".join(rows[1].errors) or "身份证" in " ".join(rows[1].errors)
    assert rows[2].errors and rows[3].errors
    assert not Candidate.objects.exists()


def test_the_same_person_twice_in_a_list_or_again_to_the_same_vacancy_is_refused():
    vacancy = VacancyFactory()
    office = county_user()
    with pytest.raises(services.RowsRefused) as caught:
        services.refer_candidates(vacancy, actor=office, rows=[row(8), row(8, mobile="13900000008")])
    assert caught.value.rows[1].errors and caught.value.rows[0].ok
    services.refer_candidates(vacancy, actor=office, rows=[row(8)])
    with pytest.raises(services.RowsRefused):
        services.refer_candidates(vacancy, actor=office, rows=[row(8)])
    assert Candidate.objects.count() == 1


def test_the_same_person_referred_to_another_live_vacancy_is_saved_with_a_warning_naming_the_other():
    first, second = VacancyFactory(position="电焊工"), VacancyFactory()
    services.refer_candidates(first, actor=county_user(jinyun()), rows=[row(9)])
    created = services.refer_candidates(second, actor=county_user(), rows=[row(9)])
    assert "电焊工" in created[0].warning and first.enterprise.name in created[0].warning and "缙云县" in created[0].warning


def test_referrals_go_only_to_a_published_vacancy_and_only_from_a_county_office():
    draft = VacancyFactory(status=VacancyStatus.SUBMITTED)
    _refused(ActionRefused.CONFLICT, services.refer_candidates, draft, actor=county_user(), rows=[row(10)])
    published = VacancyFactory()
    _refused(ActionRefused.FORBIDDEN, services.refer_candidates, published, actor=enterprise_user(published.enterprise), rows=[row(10)])
    _refused(ActionRefused.FORBIDDEN, services.refer_candidates, published, actor=township_user(published.enterprise.township), rows=[row(10)])
    assert not Candidate.objects.exists()


# --- who sees what ---------------------------------------------------------------------------------


def test_a_county_sees_its_own_candidates_and_published_vacancies_only():
    vacancy = VacancyFactory()
    hidden = VacancyFactory(status=VacancyStatus.SUBMITTED)
    ours, theirs = county_user(), county_user(jinyun())
    mine = CandidateFactory(vacancy=vacancy, county=ours.county_account.county)
    CandidateFactory(vacancy=vacancy, county=theirs.county_account.county)
    assert list(Candidate.objects.visible_to(ours)) == [mine]
    assert set(Vacancy.objects.visible_to(ours)) == {vacancy}
    assert hidden not in Vacancy.objects.visible_to(ours)
    assert not Candidate.objects.visible_to(township_user()).exists()
    assert Candidate.objects.visible_to(township_user(vacancy.enterprise.township)).count() == 2
    assert Candidate.objects.visible_to(enterprise_user(vacancy.enterprise)).count() == 2
    assert not Candidate.objects.visible_to(enterprise_user()).exists()


# --- the firm's decision and the way to the gate --------------------------------------------------


def test_accepting_registers_the_workers_return_without_retyping():
    vacancy = VacancyFactory()
    owner = enterprise_user(vacancy.enterprise)
    candidate = services.refer_candidates(vacancy, actor=county_user(), rows=[row(11, travel_mode="charter")])[0]
    accepted = services.accept_candidate(candidate, actor=owner)
    assert accepted.status == CandidateStatus.ACCEPTED
    registration = WorkerRegistration.objects.get(pk=accepted.registration_id)
    assert registration.enterprise == vacancy.enterprise and registration.origin_county == JINPING and registration.origin_province == "520000"
    assert registration.id_number == candidate.id_number and registration.name == candidate.name and registration.mobile == candidate.mobile
    assert registration.created_by == owner and registration.travel_mode == "charter"


def test_a_firm_cannot_accept_more_candidates_than_it_needs():
    vacancy = VacancyFactory(headcount=2)
    owner = enterprise_user(vacancy.enterprise)
    candidates = services.refer_candidates(vacancy, actor=county_user(), rows=[row(12), row(13), row(14)])
    services.accept_candidate(candidates[0], actor=owner)
    services.accept_candidate(candidates[1], actor=owner)
    refusal = _refused(ActionRefused.CONFLICT, services.accept_candidate, candidates[2], actor=owner)
    assert "2" in refusal.message
    assert Candidate.objects.get(pk=candidates[2].pk).status == CandidateStatus.REFERRED
    assert WorkerRegistration.objects.count() == 2


def test_only_the_firm_decides_and_a_decline_needs_a_reason():
    vacancy = VacancyFactory()
    candidate = CandidateFactory(vacancy=vacancy)
    _refused(ActionRefused.FORBIDDEN, services.accept_candidate, candidate, actor=enterprise_user())
    _refused(ActionRefused.FORBIDDEN, services.accept_candidate, candidate, actor=county_user(candidate.county))
    _refused(ActionRefused.FORBIDDEN, services.accept_candidate, candidate, actor=township_user(vacancy.enterprise.township))
    owner = enterprise_user(vacancy.enterprise)
    _refused(ActionRefused.INVALID, services.decline_candidate, candidate, actor=owner, reason="")
    declined = services.decline_candidate(candidate, actor=owner, reason="不会平车")
    assert declined.status == CandidateStatus.DECLINED and declined.reason == "不会平车"
    _refused(ActionRefused.CONFLICT, services.accept_candidate, candidate, actor=owner)


def test_accepted_workers_ride_a_charter_bus_arrive_are_hired_and_the_vacancy_fills():
    vacancy = VacancyFactory(headcount=2)
    owner = enterprise_user(vacancy.enterprise)
    candidates = services.refer_candidates(vacancy, actor=county_user(), rows=[row(15), row(16)])
    for candidate in candidates:
        services.accept_candidate(candidate, actor=owner)
    candidates = list(Candidate.objects.filter(pk__in=[c.pk for c in candidates]).select_related("vacancy", "county", "registration"))
    trip = services.put_on_trip(candidates, actor=owner, departure_date=clock.today() + timedelta(days=1), seats=45)
    assert trip.status == CharterTrip.Status.PLANNED and trip.origin_county == JINPING
    assert set(trip.passengers.values_list("registration_id", flat=True)) == {c.registration_id for c in candidates}
    assert set(Candidate.objects.values_list("status", flat=True)) == {CandidateStatus.TRAVELLING}
    _refused(ActionRefused.CONFLICT, services.put_on_trip, candidates, actor=owner, departure_date=clock.today())
    for candidate in candidates:
        services.confirm_arrival(candidate, actor=owner, arrived_on=clock.today())
    services.hire_candidate(candidates[0], actor=owner)
    assert Vacancy.objects.get(pk=vacancy.pk).status == VacancyStatus.PUBLISHED
    services.hire_candidate(candidates[1], actor=owner)
    assert Vacancy.objects.get(pk=vacancy.pk).status == VacancyStatus.FILLED


def test_arrival_cannot_be_in_the_future_nor_before_acceptance_and_a_no_show_needs_a_reason():
    vacancy = VacancyFactory()
    owner = enterprise_user(vacancy.enterprise)
    candidate = services.refer_candidates(vacancy, actor=county_user(), rows=[row(17)])[0]
    _refused(ActionRefused.CONFLICT, services.confirm_arrival, candidate, actor=owner)
    services.accept_candidate(candidate, actor=owner)
    _refused(ActionRefused.INVALID, services.confirm_arrival, candidate, actor=owner, arrived_on=clock.today() + timedelta(days=1))
    _refused(ActionRefused.INVALID, services.no_show, candidate, actor=owner, reason="")
    gone = services.no_show(candidate, actor=owner, reason="电话打不通")
    assert gone.status == CandidateStatus.NO_SHOW


def test_withdrawing_a_vacancy_declines_the_candidates_still_waiting():
    vacancy = VacancyFactory()
    owner = enterprise_user(vacancy.enterprise)
    candidates = services.refer_candidates(vacancy, actor=county_user(), rows=[row(18), row(19)])
    services.accept_candidate(candidates[0], actor=owner)
    services.withdraw_vacancy(vacancy, actor=owner, reason="订单取消")
    assert Candidate.objects.get(pk=candidates[1].pk).status == CandidateStatus.DECLINED
    assert Candidate.objects.get(pk=candidates[0].pk).status == CandidateStatus.ACCEPTED
    assert not Vacancy.objects.public().exists()


def test_a_township_text_lists_every_published_vacancy_of_the_township_and_the_board():
    vacancy = VacancyFactory(position="叉车工", headcount=4)
    VacancyFactory(enterprise=EnterpriseFactory(township=vacancy.enterprise.township), status=VacancyStatus.SUBMITTED, position="未发布岗位")
    text = services.township_text(vacancy.enterprise.township, "https://portal.example/labour/board/")
    assert "叉车工" in text and vacancy.enterprise.name in text and "13857112345" in text
    assert "未发布岗位" not in text and "https://portal.example/labour/board/" in text


def test_partner_counties_and_their_accounts_are_the_district_offices():
    from tests.factories import district_user

    district = district_user()
    county = services.add_partner_county(actor=district, name="锦屏县", region_code=JINPING, pairing="东西部扶贫协作")
    _refused(ActionRefused.CONFLICT, services.add_partner_county, actor=district, name="锦屏县", region_code=JINPING)
    _refused(ActionRefused.INVALID, services.add_partner_county, actor=district, name="无此县", region_code="999999")
    _refused(ActionRefused.FORBIDDEN, services.add_partner_county, actor=township_user(), name="缙云县", region_code="331122")
    user = services.create_county_account(actor=district, county=county, username="jinping-labour", full_name="锦屏县人社局")
    assert user.role == "county" and user.county_account.county == county
    _refused(ActionRefused.FORBIDDEN, services.create_county_account, actor=user, county=county, username="another")
