"""The problem (诉求) lifecycle: every step is a service that logs a transition and notifies."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from fuyang_portal.models import Notification, Transition
from specialists import services
from specialists.models import Problem
from specialists.workdays import add_working_days
from tests.factories import AgencyFactory, agency_user, district_user, enterprise_user

from .factories import raised_problem, status_of

pytestmark = pytest.mark.django_db
S = Problem.Status


def actions_of(problem):
    return list(Transition.objects.for_object(problem).values_list("action", "from_state", "to_state"))


def test_specialist_resolves_and_the_firm_confirms_with_a_rating(django_capture_on_commit_callbacks):
    problem, specialist = raised_problem()
    firm = enterprise_user(problem.enterprise)
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve(problem, specialist.user, "已协调口罩 2000 只")
    assert Notification.objects.filter(recipient=firm).count() == 1
    services.confirm(problem, firm, 5, "很及时")
    problem.refresh_from_db()
    assert problem.status == S.CONFIRMED and problem.rating == 5 and problem.closed_at is not None
    assert problem.on_time is True
    assert actions_of(problem) == [
        ("create", "", "raised"),
        ("resolve", "raised", "resolved"),
        ("confirm", "resolved", "confirmed"),
    ]


def test_escalated_problem_is_assigned_accepted_answered_and_confirmed(django_capture_on_commit_callbacks):
    problem, specialist = raised_problem(category="labour")
    district = district_user()
    agency = AgencyFactory()
    clerk = agency_user(agency)
    firm = enterprise_user(problem.enterprise)
    with django_capture_on_commit_callbacks(execute=True):
        services.escalate(problem, specialist.user, "需人社局协调")
    assert Notification.objects.filter(recipient=district).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(problem, district, agency.pk)
    problem.refresh_from_db()
    assert problem.agency == agency
    # labour: 3 working days from today by the official calendar
    assert problem.deadline == add_working_days(timezone.localdate(), 3)
    assert Notification.objects.filter(recipient=clerk).exists()
    services.accept(problem, clerk)
    services.answer(problem, clerk, "已对接招工渠道")
    services.confirm(problem, firm, 4)
    problem.refresh_from_db()
    assert problem.status == S.CONFIRMED and problem.answered_by == clerk and problem.on_time is True
    assert [a for a, _, _ in actions_of(problem)] == ["create", "escalate", "assign", "accept", "answer", "confirm"]


def test_reopening_an_answer_sends_it_back_to_the_agency():
    problem, specialist = raised_problem()
    district, agency = district_user(), AgencyFactory()
    clerk, firm = agency_user(agency), enterprise_user(problem.enterprise)
    services.escalate(problem, specialist.user)
    services.assign(problem, district, agency)
    services.accept(problem, clerk)
    services.answer(problem, clerk, "答复")
    services.reopen(problem, firm, "还没解决")
    problem.refresh_from_db()
    assert problem.status == S.ACCEPTED and problem.agency == agency and problem.reopen_count == 1
    services.answer(problem, clerk, "再次答复")
    assert status_of(problem) == S.ANSWERED


def test_reopening_a_resolution_sends_it_back_to_the_specialist():
    problem, specialist = raised_problem()
    firm = enterprise_user(problem.enterprise)
    services.resolve(problem, specialist.user, "已解决")
    # Issue 18: a rating of 1 or 2 reopens by itself; a middling one closes and may then be reopened.
    services.confirm(problem, firm, 3)
    services.reopen(problem, firm, "问题复发")
    problem.refresh_from_db()
    assert problem.status == S.RAISED and problem.rating is None and problem.closed_at is None


def test_agency_returns_an_assignment_and_the_district_reassigns_it():
    problem, specialist = raised_problem()
    district = district_user()
    wrong, right = AgencyFactory(), AgencyFactory()
    services.escalate(problem, specialist.user)
    services.assign(problem, district, wrong)
    services.return_to_district(problem, agency_user(wrong), "不属于本局职责")
    problem.refresh_from_db()
    # Issue 18: a return waits for the district office's review (it no longer drops back to "escalated").
    assert problem.status == S.RETURNED and problem.agency == wrong and problem.return_reason == "不属于本局职责"
    deadline = problem.deadline
    services.review_return(problem, district, True, agency=right)
    problem.refresh_from_db()
    assert problem.agency == right and problem.status == S.ASSIGNED and problem.deadline == deadline


def test_one_extension_per_assignment_granted_by_the_district_moves_the_deadline():
    problem, specialist = raised_problem()
    district, agency = district_user(), AgencyFactory()
    clerk = agency_user(agency)
    services.escalate(problem, specialist.user)
    deadline = timezone.localdate() + timedelta(days=3)
    services.assign(problem, district, agency, deadline=deadline)
    services.request_extension(problem, clerk, 2, "需现场核查")
    services.decide_extension(problem, district, grant=True)
    problem.refresh_from_db()
    assert problem.extension == Problem.Extension.GRANTED
    assert problem.deadline == add_working_days(deadline, 2)
    with pytest.raises(services.ActionRefused) as refused:
        services.request_extension(problem, clerk, 2, "再延")
    assert refused.value.code == "conflict"
    assert Problem.objects.get(pk=problem.pk).deadline == add_working_days(deadline, 2)


def test_refused_extension_keeps_the_deadline():
    problem, specialist = raised_problem()
    district, agency = district_user(), AgencyFactory()
    services.escalate(problem, specialist.user)
    services.assign(problem, district, agency, deadline=date.today() + timedelta(days=10))
    before = Problem.objects.get(pk=problem.pk).deadline
    services.request_extension(problem, agency_user(agency), 3, "理由")
    services.decide_extension(problem, district, grant=False)
    problem.refresh_from_db()
    assert problem.extension == Problem.Extension.REFUSED and problem.deadline == before
    assert problem.status == S.ASSIGNED


def test_firm_raises_its_own_problem_and_its_specialist_is_told(django_capture_on_commit_callbacks):
    problem, specialist = raised_problem()
    firm = enterprise_user(problem.enterprise)
    with django_capture_on_commit_callbacks(execute=True):
        own = services.raise_problem(firm, problem.enterprise, "energy", "用电增容")
    assert own.specialist == specialist and own.raised_by == firm
    assert Notification.objects.filter(recipient=specialist.user).exists()
