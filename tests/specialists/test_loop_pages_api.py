"""The loop in pages and the API alike (issue 18): every step has its page and its API action (in the schema),
refusals answer 403/404/409 with nothing changed, the lists' new filters, the agency scorecard page and API
with a bounded number of queries."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from specialists import services
from specialists.models import Problem, ProblemPart, Supervision
from tests.factories import AgencyFactory, agency_user, district_user, specialist_user, township_user

from .factories import status_of
from .loop_factories import Story, at

pytestmark = pytest.mark.django_db
S = Problem.Status


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def act(problem, slug):
    return reverse("specialists:problem-action", args=[problem.pk, slug])


def test_the_whole_loop_through_the_pages(client):
    story = Story()
    helper = AgencyFactory()
    helper_clerk = agency_user(helper)
    story.escalated()
    problem = story.problem
    client.force_login(story.district)
    page = client.get(act(problem, "assign"))
    assert page.status_code == 200 and "co_agencies" in page.content.decode()
    response = client.post(act(problem, "assign"), {"agency": story.agency.pk, "co_agencies": [helper.pk], "comment": "请协同办理"})
    assert response.status_code == 302, response.content
    assert ProblemPart.objects.filter(problem=problem, agency=helper).exists()

    client.force_login(story.clerk)
    assert client.post(act(problem, "return"), {"text": "不是本局职责"}).status_code == 302
    assert status_of(problem) == S.RETURNED

    client.force_login(story.district)
    form = client.post(act(problem, "review-return"), {"decision": "overrule", "comment": ""})
    assert form.status_code == 200 and status_of(problem) == S.RETURNED  # the reason is required: shown on the form
    assert client.post(act(problem, "review-return"), {"decision": "overrule", "comment": "属于贵局职责"}).status_code == 302
    assert status_of(problem) == S.ASSIGNED

    client.force_login(story.clerk)
    assert client.post(act(problem, "accept"), {"text": ""}).status_code == 302
    part = ProblemPart.objects.get(problem=problem)
    # the lead clerk cannot act on the co-handler's part; the co-handler can
    assert client.post(reverse("specialists:part-action", args=[problem.pk, part.pk, "accept"]), {}).status_code == 403
    client.force_login(helper_clerk)
    detail = client.get(problem.get_absolute_url()).content.decode()
    assert reverse("specialists:part-action", args=[problem.pk, part.pk, "accept"]) in detail
    assert client.post(reverse("specialists:part-action", args=[problem.pk, part.pk, "accept"]), {"text": ""}).status_code == 302
    assert client.post(reverse("specialists:part-action", args=[problem.pk, part.pk, "answer"]), {"text": "协办已落实"}).status_code == 302

    client.force_login(story.clerk)
    assert client.post(act(problem, "answer"), {"text": "主办已办结"}).status_code == 302
    client.force_login(story.district)
    assert client.post(act(problem, "callback"), {"reached": "1", "satisfaction": "dissatisfied", "comment": "仍未解决"}).status_code == 302
    assert status_of(problem) == S.ACCEPTED
    client.force_login(story.clerk)
    assert client.post(act(problem, "answer"), {"text": "再次办结"}).status_code == 302
    client.force_login(story.district)
    assert client.post(act(problem, "callback"), {"reached": "1", "satisfaction": "satisfied", "comment": ""}).status_code == 302
    problem.refresh_from_db()
    assert problem.status == S.CONFIRMED and problem.closed_how == "callback"
    page = client.get(problem.get_absolute_url()).content.decode()
    assert 'id="callbacks"' in page and 'id="parts"' in page


def test_wrong_role_and_wrong_state_answer_alike_on_the_page_and_the_api(client):
    story = Story()
    problem = story.accepted()
    # a callback on a problem being handled: 409 by the API, the form says so on the page; nothing changes
    response = api(story.district).post(reverse("problem-callback", args=[problem.pk]), {"reached": True, "satisfaction": "satisfied"}, format="json")
    assert response.status_code == 409 and str(S.ACCEPTED.label) in response.json()["detail"]
    client.force_login(story.district)
    page = client.post(act(problem, "callback"), {"reached": "1", "satisfaction": "satisfied"})
    assert page.status_code == 200 and str(S.ACCEPTED.label) in page.content.decode()
    # the clerk may not record callbacks: 403 on both
    assert api(story.clerk).post(reverse("problem-callback", args=[problem.pk]), {"reached": False}, format="json").status_code == 403
    client.force_login(story.clerk)
    assert client.post(act(problem, "callback"), {"reached": "0"}).status_code == 403
    # another agency does not see it: 404 on both
    stranger = agency_user()
    assert api(stranger).post(reverse("problem-return", args=[problem.pk]), {"text": "x"}, format="json").status_code == 404
    client.force_login(stranger)
    assert client.post(act(problem, "return"), {"text": "x"}).status_code == 404
    assert status_of(problem) == S.ACCEPTED


def test_every_new_step_through_the_api():
    story = Story()
    township = township_user(story.problem.enterprise.township)
    url = lambda name, p=story.problem: reverse(f"problem-{name}", args=[p.pk])  # noqa: E731
    assert api(story.specialist.user).post(url("refer-to-township"), {"text": ""}, format="json").json()["status"] == "township"
    assert api(township).post(url("pass-up"), {"text": "需区级协调"}, format="json").json()["status"] == "escalated"
    helper = AgencyFactory()
    body = api(story.district).post(url("assign"), {"agency": story.agency.pk, "co_agencies": [helper.pk]}, format="json").json()
    assert body["status"] == "assigned" and [p["agency"] for p in body["parts"]] == [helper.pk]
    assert api(story.clerk).post(url("return"), {"text": "非本局"}, format="json").json()["status"] == "returned"
    other = AgencyFactory()
    assert api(story.district).post(url("review-return"), {"accept": True}, format="json").status_code == 400
    body = api(story.district).post(url("review-return"), {"accept": True, "agency": other.pk}, format="json").json()
    assert body["agency"] == other.pk and body["status"] == "assigned"
    part = ProblemPart.objects.get(problem=story.problem)
    helper_clerk = agency_user(helper)
    assert api(story.clerk).post(reverse("problem-part-accept", args=[part.pk])).status_code == 404  # no longer involved
    assert api(helper_clerk).post(reverse("problem-part-accept", args=[part.pk])).json()["status"] == "accepted"
    assert api(helper_clerk).post(reverse("problem-part-answer", args=[part.pk]), {"text": "已答复"}, format="json").json()["status"] == "answered"
    duplicate = services.raise_problem(story.specialist.user, story.problem.enterprise, "funds", "重复反映")
    assert api(story.district).post(url("merge", duplicate), {"into": story.problem.pk}, format="json").json()["status"] == "merged"
    another = services.raise_problem(story.specialist.user, story.problem.enterprise, "other", "企业内部纠纷")
    services.escalate(another, story.specialist.user)
    assert api(story.district).post(url("decline", another), {"text": ""}, format="json").status_code == 400
    assert api(story.district).post(url("decline", another), {"text": "不属于受理范围"}, format="json").json()["status"] == "declined"


def test_the_schema_names_every_step():
    client = APIClient()
    client.force_authenticate(district_user())
    schema = client.get(reverse("api-schema"), {"format": "json"}).content.decode()
    for path in ("refer-to-township", "township-resolve", "pass-up", "decline", "merge", "review-return", "callback",
                 "problem-parts", "agency-scorecard"):
        assert path in schema, path


def test_list_filters_three_times_late_and_due_soon(client):
    late, soon, fine = Story(), Story(), Story()
    with at(2020, 2, 3, 9):
        for story in (late, soon, fine):
            story.accepted()
    Problem.objects.filter(pk=soon.problem.pk).update(deadline=date(2020, 3, 4))
    Problem.objects.filter(pk=fine.problem.pk).update(deadline=date(2020, 3, 20), late3x_on=date(2020, 4, 1))
    client.force_login(late.district)
    with at(2020, 3, 2, 9):
        # 3 February + 3 × 5 working days = 24 February: by 2 March it is three times late
        page = client.get(reverse("specialists:problems"), {"late_3x": "true"}).content.decode()
        assert late.problem.get_absolute_url() in page and fine.problem.get_absolute_url() not in page
        page = client.get(reverse("specialists:problems"), {"due_soon": "true"}).content.decode()
        assert soon.problem.get_absolute_url() in page and fine.problem.get_absolute_url() not in page


def test_scorecard_page_and_api_for_the_district_office_and_an_agencys_own_row(client, django_assert_max_num_queries):
    fast, slow = Story(), Story()
    with at(2020, 2, 10, 9):
        fast.assigned()
        slow.assigned()
    with at(2020, 2, 10, 9, 30):
        services.accept(fast.problem, fast.clerk)
        services.answer(fast.problem, fast.clerk, "当天办结")
    with at(2020, 2, 12, 9):
        services.accept(slow.problem, slow.clerk)
    with at(2020, 2, 20, 9):
        services.sweep_overdue()
        services.answer(slow.problem, slow.clerk, "逾期办结")
    assert Supervision.objects.filter(agency=slow.agency, kind="supervise").count() == 1
    client.force_login(fast.district)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("specialists:scorecard"))
    assert page.status_code == 200
    rows = {row.record.pk: row.record for row in page.context["table"].rows}
    assert rows[fast.agency.pk].sign_for_rate == 1.0 and rows[fast.agency.pk].on_time_rate == 1.0 and rows[fast.agency.pk].supervised == 0
    assert rows[slow.agency.pk].sign_for_rate == 0.0 and rows[slow.agency.pk].on_time_rate == 0.0 and rows[slow.agency.pk].supervised == 1
    assert client.get(reverse("specialists:scorecard"), {"_export": "csv"}).status_code == 200
    data = api(fast.district).get(reverse("agency-scorecard-list")).json()
    assert {row["agency"]: row["supervised"] for row in data} == {fast.agency.pk: 0, slow.agency.pk: 1}
    # an agency sees its own row only; a specialist nothing
    client.force_login(slow.clerk)
    assert [row.record.pk for row in client.get(reverse("specialists:scorecard")).context["table"].rows] == [slow.agency.pk]
    assert [row["agency"] for row in api(slow.clerk).get(reverse("agency-scorecard-list")).json()] == [slow.agency.pk]
    client.force_login(specialist_user())
    assert client.get(reverse("specialists:scorecard")).status_code == 403
    assert api(specialist_user()).get(reverse("agency-scorecard-list")).status_code == 403


def test_problem_list_queries_are_bounded_with_parts_and_notices(client, django_assert_max_num_queries):
    district = district_user()
    for _ in range(6):
        story = Story()
        story.assigned(co_agencies=[AgencyFactory().pk])
    services.sweep_overdue()
    client.force_login(district)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("specialists:problems")).status_code == 200
    with django_assert_max_num_queries(20):
        assert api(district).get(reverse("problem-list")).status_code == 200


def test_a_problem_left_with_the_specialist_past_its_deadline_is_listed_overdue(client):
    waiting, fresh = Story(), Story()
    Problem.objects.filter(pk=waiting.problem.pk).update(deadline=date(2020, 2, 7))
    Problem.objects.filter(pk=fresh.problem.pk).update(deadline=date(2020, 2, 28))
    client.force_login(waiting.district)
    with at(2020, 2, 10, 9):
        page = client.get(reverse("specialists:problems"), {"overdue": "true"}).content.decode()
    assert waiting.problem.get_absolute_url() in page and fresh.problem.get_absolute_url() not in page
