"""The 24-hour guidance hotline: calls logged, answered or followed up; a firm's call becomes a problem (诉求) in one
step, linked both ways; hours covered per day; responsiveness as a metric."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fuyang_portal import clock
from fuyang_portal.metrics import Level
from fuyang_portal.workflow import ActionRefused
from programmes import metrics, services
from programmes.models import HotlineCall, HotlineCoverage
from specialists.models import Problem
from tests.factories import EnterpriseFactory, TownshipFactory, district_user, township_user
from tests.specialists.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


def moment(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute))


def _call(cadre, firm=None, answer="已答复", follow_up="", received=None):
    return services.log_call(cadre, received_at=received or moment(date(2020, 2, 24), 8), caller_enterprise=firm, caller_name="王先生",
                             caller_mobile="13812345678", topic="passes", question="通行证怎么办？", answer=answer, follow_up=follow_up)


def test_a_call_answered_on_the_line_and_one_that_needs_follow_up():
    cadre = township_user()
    answered = _call(cadre)
    assert answered.status == HotlineCall.Status.ANSWERED and answered.response_minutes == 0
    pending = _call(cadre, answer="", follow_up="需问交通局")
    assert pending.status == HotlineCall.Status.FOLLOW_UP and pending.response_minutes is None
    services.close_follow_up(pending, cadre, "交通局答复：可网上办理")
    pending.refresh_from_db()
    assert pending.status == HotlineCall.Status.ANSWERED and pending.response_minutes == 120  # 08:00 → 10:00
    with pytest.raises(ActionRefused) as refused:
        services.close_follow_up(pending, cadre, "again")
    assert refused.value.code == ActionRefused.CONFLICT


def test_a_call_cannot_come_from_the_future_nor_without_a_question():
    cadre = township_user()
    with pytest.raises(ActionRefused):
        _call(cadre, received=moment(date(2020, 2, 25), 8))
    with pytest.raises(ActionRefused):
        services.log_call(cadre, received_at=moment(date(2020, 2, 24), 8), caller_name="x", topic="other", question=" ")
    with pytest.raises(ActionRefused):
        services.log_call(cadre, received_at=moment(date(2020, 2, 24), 8), caller_name="x", caller_mobile="12345", topic="other", question="q")
    assert not HotlineCall.objects.exists()


def test_the_firms_specialist_raises_the_call_as_a_problem_linked_both_ways(client):
    township = TownshipFactory()
    firm = EnterpriseFactory(township=township)
    specialist = AssignmentFactory(enterprise=firm).specialist.user
    cadre = township_user(township)
    call = _call(cadre, firm, answer="", follow_up="需专员跟进")
    client.force_login(specialist)
    assert client.get(call.get_absolute_url()).status_code == 200
    response = client.post(reverse("programmes:call-raise", args=[call.pk]), {"category": "logistics", "description": ""})
    assert response.status_code == 302
    call.refresh_from_db()
    problem = Problem.objects.get()
    assert call.status == HotlineCall.Status.RAISED and call.problem == problem and problem.hotline_call == call
    assert problem.enterprise == firm and f"{call.pk}" in problem.description and "通行证怎么办" in problem.description
    assert call.response_minutes is not None
    # Raised once: a second time is a conflict, on the API as on the page.
    again = client.post(reverse("hotline-call-raise-problem", args=[call.pk]), {"category": "logistics"}, content_type="application/json")
    assert again.status_code == 409 and Problem.objects.count() == 1


def test_a_call_without_a_firm_or_by_whoever_may_not_raise_problems_is_refused():
    township = TownshipFactory()
    firm = EnterpriseFactory(township=township)
    cadre = township_user(township)
    specialist = AssignmentFactory(enterprise=firm).specialist.user
    person = _call(cadre)
    with pytest.raises(ActionRefused) as refused:
        services.raise_problem_from_call(person, specialist, category="logistics")
    assert refused.value.code == ActionRefused.FORBIDDEN
    firm_call = _call(cadre, firm)
    # The township cadre may not raise problems for firms (the specialists app's policy says who may).
    with pytest.raises(ActionRefused) as refused:
        services.raise_problem_from_call(firm_call, cadre, category="logistics")
    assert refused.value.code == ActionRefused.FORBIDDEN
    with pytest.raises(ActionRefused):
        services.raise_problem_from_call(firm_call, district_user(), category="logistics")
    assert not Problem.objects.exists()


def test_another_townships_call_is_404_and_a_specialist_sees_only_their_firms_calls(client):
    township = TownshipFactory()
    cadre = township_user(township)
    call = _call(cadre, EnterpriseFactory(township=township))
    client.force_login(township_user(TownshipFactory()))
    assert client.get(call.get_absolute_url()).status_code == 404
    assert client.get(reverse("hotline-call-detail", args=[call.pk])).status_code == 404
    stranger = AssignmentFactory().specialist.user
    client.force_login(stranger)
    assert client.get(call.get_absolute_url()).status_code == 404
    data = client.get(reverse("hotline-call-list")).json()
    assert (data["results"] if isinstance(data, dict) else data) == []


def test_coverage_is_one_row_per_day_and_the_district_sees_every_township(client):
    cadre = township_user()
    services.set_coverage(cadre, day=date(2020, 2, 22), hours=20, staff=2)
    services.set_coverage(cadre, day=date(2020, 2, 22), hours=24, staff=3)
    services.set_coverage(cadre, day=date(2020, 2, 23), hours=24, staff=3)
    assert HotlineCoverage.objects.get(day=date(2020, 2, 22)).hours == 24
    with pytest.raises(ActionRefused):
        services.set_coverage(cadre, day=date(2020, 2, 25), hours=24)
    with pytest.raises(ActionRefused):
        services.set_coverage(cadre, day=date(2020, 2, 21), hours=25)
    rows = metrics.hotline_coverage_rate(Level.TOWNSHIP, date(2020, 2, 17), date(2020, 2, 23))
    assert [(r.numerator, r.denominator) for r in rows] == [(48, 168)]
    client.force_login(district_user())
    page = client.get(reverse("programmes:coverage"))
    assert page.status_code == 200 and cadre.township.name in page.content.decode()


def test_responsiveness_counts_callers_answered_within_24_hours():
    cadre = township_user()
    monday = date(2020, 2, 17)
    with clock.at(moment(monday, 9)):
        _call(cadre, received=moment(monday, 8))                                   # on the line
        late = _call(cadre, answer="", follow_up="x", received=moment(monday, 8))
        quick = _call(cadre, answer="", follow_up="x", received=moment(monday, 8, 30))
        _call(cadre, answer="", follow_up="x", received=moment(monday, 8, 45))     # never answered
    with clock.at(moment(monday, 20)):
        services.close_follow_up(quick, cadre, "ok")
    with clock.at(moment(monday + timedelta(days=2), 9)):
        services.close_follow_up(late, cadre, "ok")
    rows = metrics.hotline_response_rate(Level.TOWNSHIP, monday, monday + timedelta(days=6))
    assert [(r.numerator, r.denominator) for r in rows] == [(2, 4)]
    assert metrics.hotline_response_rate(Level.GROUP, monday, monday + timedelta(days=6)) == []
    flags = sorted(r.answered_in_time for r in metrics.hotline_response_rate_rows(Level.TOWNSHIP, cadre.township_id, monday, monday + timedelta(days=6)))
    assert flags == [False, False, True, True]


def test_a_cadre_logs_a_call_on_the_page_and_through_the_api(client):
    cadre = township_user()
    client.force_login(cadre)
    response = client.post(reverse("programmes:call-create"), {
        "received_at": "2020-02-24T09:30", "caller_name": "李女士", "topic": "workers", "question": "住哪里？", "answer": "临时住所",
    })
    assert response.status_code == 302, response.content
    api = client.post(reverse("hotline-call-list"), {"received_at": "2020-02-24T09:40:00+08:00", "caller_name": "赵", "topic": "other",
                                                      "question": "q", "follow_up": "回电"}, content_type="application/json")
    assert api.status_code == 201 and api.json()["status"] == "follow_up"
    answered = client.post(reverse("hotline-call-answer", args=[api.json()["id"]]), {"answer": "已回电"}, content_type="application/json")
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    client.force_login(district_user())
    assert client.post(reverse("hotline-call-list"), {}, content_type="application/json").status_code == 403
