"""The home to-do list: per role, the right items in the right order (overdue, today, this week, new), nothing
outside the user's scope, nothing the policy would refuse, each kind capped with an "N more" link, and a fixed
number of queries whatever the number of items."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enterprises.models import PassStatus, ResumptionStatus
from fuyang_portal import navigation
from fuyang_portal.navigation import Todo, TodoKind, todos_for, urgency
from leaderboard.models import ContestWeek
from specialists.models import Problem, TrackedProject
from subsidies.models import SubsidyClaim
from tests.enterprises.factories import ApprovedRequestFactory, DailyReportFactory, ResumptionRequestFactory, VehiclePassFactory
from tests.factories import (
    AgencyFactory,
    EnterpriseFactory,
    TownshipFactory,
    agency_user,
    district_user,
    enterprise_user,
    township_user,
)
from tests.specialists.factories import AssignmentFactory, SpecialistFactory, TrackedProjectFactory
from tests.subsidies.factories import ClaimFactory

pytestmark = pytest.mark.django_db

# The demo's Monday: the week runs to Sunday 1 March.
MONDAY = "2020-02-24T10:00:00"


@pytest.fixture(autouse=True)
def _story_clock(settings):
    settings.DEMO_CLOCK = MONDAY


def at(day, hour=9):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def labels(items):
    return [str(item.label) for item in items]


def urgencies(items):
    return [item.urgency for item in items]


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


# --- the infrastructure ------------------------------------------------------------------------------


def test_urgency_reads_the_business_clock():
    assert urgency(None) == "new"
    assert urgency(date(2020, 2, 23)) == "overdue"
    assert urgency(date(2020, 2, 24)) == "today"
    assert urgency(at(date(2020, 2, 24), 23)) == "today"
    assert urgency(date(2020, 3, 1)) == "week"  # Sunday ends the week
    assert urgency(date(2020, 3, 2)) == "new"


def test_items_are_sorted_by_urgency_then_deadline_then_age_and_each_kind_capped(monkeypatch):
    a, b = TodoKind("a", "A", "/a/"), TodoKind("b", "B", "/b/")
    items = [
        Todo("new-old", "/1", kind=a, since=at(date(2020, 2, 1)), total=7),
        Todo("week", "/2", due=date(2020, 2, 27), kind=a, total=7),
        Todo("new-older", "/3", kind=a, since=at(date(2020, 1, 1)), total=7),
        Todo("today", "/4", due=at(date(2020, 2, 24), 18), kind=b),
        Todo("overdue", "/5", due=date(2020, 2, 20), kind=a, total=7),
        Todo("week-sooner", "/6", due=date(2020, 2, 25), kind=b),
        Todo("new-dated", "/7", due=date(2020, 3, 9), kind=a, total=7),
    ]

    class Config:
        def todo(self, user):
            return list(items)

    monkeypatch.setattr(navigation.apps, "get_app_configs", lambda: [Config()])
    shown, more = todos_for(district_user(), per_kind=4)
    assert labels(shown) == ["overdue", "today", "week-sooner", "week", "new-dated", "new-older"]
    assert urgencies(shown) == ["overdue", "today", "week", "week", "new", "new"]
    assert [(m.kind.key, m.count) for m in more] == [("a", 3)]


# --- township -------------------------------------------------------------------------------------------


def township_fixture(size=1):
    town = TownshipFactory()
    firm = EnterpriseFactory(township=town)
    thursday, sunday, monday = date(2020, 2, 20), date(2020, 2, 23), date(2020, 2, 24)
    for n in range(size):
        ResumptionRequestFactory(enterprise=EnterpriseFactory(township=town), status=ResumptionStatus.SUBMITTED, submitted_at=at(thursday, 9 + n))
    ResumptionRequestFactory(enterprise=firm, status=ResumptionStatus.RESUBMITTED, submitted_at=at(sunday))
    ResumptionRequestFactory(enterprise=EnterpriseFactory(township=town), status=ResumptionStatus.SUBMITTED, submitted_at=at(monday, 9))
    ResumptionRequestFactory(enterprise=EnterpriseFactory(township=town))  # a draft: nothing to review
    ResumptionRequestFactory(status=ResumptionStatus.SUBMITTED, submitted_at=at(thursday))  # another township's
    VehiclePassFactory(enterprise=firm, valid_from=date(2020, 2, 26), valid_until=date(2020, 3, 26))
    VehiclePassFactory(enterprise=firm, valid_from=date(2020, 3, 10), valid_until=date(2020, 4, 10))
    VehiclePassFactory(enterprise=firm, status=PassStatus.REVOKED, valid_from=date(2020, 2, 20), valid_until=date(2020, 3, 20))
    claim = ClaimFactory(trip__enterprise=EnterpriseFactory(township=town), status=SubsidyClaim.Status.SUBMITTED, submitted_at=at(date(2020, 2, 21)))
    ClaimFactory(status=SubsidyClaim.Status.SUBMITTED, submitted_at=at(date(2020, 2, 21)))  # another township's
    return town, claim


def test_township_reviews_oldest_first_due_the_next_working_day(client):
    town, claim = township_fixture()
    user = township_user(town)
    todos = home(client, user).context["todos"]
    assert [(item.kind.key, item.urgency, item.due_date) for item in todos] == [
        ("enterprises.review", "overdue", date(2020, 2, 21)),  # submitted Thursday: due Friday
        ("enterprises.review", "today", date(2020, 2, 24)),  # submitted Sunday: due Monday
        ("enterprises.review", "week", date(2020, 2, 25)),  # submitted this morning: due tomorrow
        ("enterprises.passes", "week", date(2020, 2, 26)),  # a pass to be valid on Wednesday
        ("enterprises.passes", "new", date(2020, 3, 10)),
        ("subsidies.submitted", "new", None),
    ]
    assert todos[-1].url == claim.get_absolute_url()
    assert todos[0].url.startswith("/enterprises/requests/")


def test_another_township_and_other_roles_get_none_of_it(client):
    town, _claim = township_fixture()
    assert home(client, township_user(TownshipFactory())).context["todos"] == []
    # An agency paired with the township sees its firms but reviews nothing.
    agency = agency_user(AgencyFactory(paired_township=town))
    assert home(client, agency).context["todos"] == []


def test_a_long_queue_is_capped_with_a_link_to_the_rest(client):
    town, _claim = township_fixture(size=8)
    response = home(client, township_user(town))
    reviews = [item for item in response.context["todos"] if item.kind.key == "enterprises.review"]
    assert len(reviews) == navigation.TODO_PER_KIND
    more = {m.kind.key: m.count for m in response.context["todo_more"]}
    assert more == {"enterprises.review": 10 - navigation.TODO_PER_KIND}
    assert reverse("enterprises:queue") in response.content.decode()


# --- district office -----------------------------------------------------------------------------------


def district_fixture(size=1):
    firm = EnterpriseFactory()
    author = district_user()
    for n in range(size):
        Problem.objects.create(enterprise=firm, raised_by=author, category="funds", description="缺口罩", status=Problem.Status.ESCALATED,
                               escalated_at=at(date(2020, 2, 21), 9 + n))
        ClaimFactory(status=SubsidyClaim.Status.TOWNSHIP_APPROVED, submitted_at=at(date(2020, 2, 20), 9 + n))
        ClaimFactory(status=SubsidyClaim.Status.DISTRICT_APPROVED, submitted_at=at(date(2020, 2, 19)), subsidy_amount=Decimal("100"),
                     approved_amount=Decimal("100"))
    ContestWeek.objects.get_or_create(week_start=date(2020, 2, 17), level="township", status=ContestWeek.Status.PUBLISHED)
    ContestWeek.objects.get_or_create(week_start=date(2020, 2, 17), level="group", status=ContestWeek.Status.DRAFT)


def test_district_office_assigns_decides_pays_and_publishes(client):
    district_fixture(size=2)
    todos = home(client, district_user()).context["todos"]
    assert [(item.kind.key, item.urgency) for item in todos] == [
        # last week's contest is due this Monday: the village level to compute, the group level to publish
        ("leaderboard.weeks", "today"),
        ("leaderboard.weeks", "today"),
        # then the oldest first: claims passed on by the townships on Thursday, escalations of Friday
        ("subsidies.township_ok", "new"),
        ("subsidies.township_ok", "new"),
        ("specialists.assign", "new"),
        ("specialists.assign", "new"),
        ("subsidies.payout", "new"),
    ]
    draft = ContestWeek.objects.get(level="group")
    assert {todos[0].url, todos[1].url} == {reverse("leaderboard:compute"), draft.get_absolute_url()}
    assert todos[4].url.endswith("/assign/")
    assert todos[-1].url == reverse("subsidies:payout-create") and "2" in str(todos[-1].label)


# --- agency ---------------------------------------------------------------------------------------------


def agency_fixture(size=1):
    agency = AgencyFactory()
    firm = EnterpriseFactory(township=agency.paired_township)
    author = district_user()

    def problem(status, deadline, to=agency):
        return Problem.objects.create(enterprise=firm, raised_by=author, category="funds", description="缺口罩", status=status,
                                      agency=to, deadline=deadline, assigned_at=at(date(2020, 2, 17)))

    for _n in range(size):
        problem(Problem.Status.ASSIGNED, date(2020, 3, 5))
    problem(Problem.Status.ACCEPTED, date(2020, 2, 28))
    problem(Problem.Status.ASSIGNED, date(2020, 2, 21))
    problem(Problem.Status.ANSWERED, date(2020, 2, 21))  # answered: the firm's turn
    problem(Problem.Status.ASSIGNED, date(2020, 2, 20), to=AgencyFactory())  # in its paired township, assigned elsewhere
    return agency


def test_agency_signs_for_and_answers_by_deadline_and_only_its_own(client):
    agency = agency_fixture()
    todos = home(client, agency_user(agency)).context["todos"]
    assert [(item.urgency, item.due_date, item.url.rsplit("/", 2)[-2]) for item in todos] == [
        ("overdue", date(2020, 2, 21), "accept"),
        ("week", date(2020, 2, 28), "answer"),
        ("new", date(2020, 3, 5), "accept"),
    ]


# --- specialist -----------------------------------------------------------------------------------------


def specialist_fixture(size=1):
    specialist = SpecialistFactory()
    served = EnterpriseFactory()
    AssignmentFactory(specialist=specialist, enterprise=served)
    former = EnterpriseFactory()
    AssignmentFactory(specialist=specialist, enterprise=former, starts_on=date(2020, 1, 1), ends_on=date(2020, 2, 10))
    author = specialist.user

    def problem(firm, **fields):
        return Problem.objects.create(enterprise=firm, specialist=specialist, raised_by=author, category="funds", description="缺口罩", **fields)

    for n in range(size):
        problem(served, raised_at=at(date(2020, 2, 18), 9 + n))
    reopened = problem(served, raised_at=at(date(2020, 2, 19)), reopen_count=1)
    problem(served, status=Problem.Status.ESCALATED, raised_at=at(date(2020, 2, 18)))
    problem(former, raised_at=at(date(2020, 2, 1)))  # filed under them, but the firm is no longer theirs
    TrackedProjectFactory(specialist=specialist, enterprise=served, next_step="环评批复", due_on=date(2020, 2, 21))
    TrackedProjectFactory(specialist=specialist, enterprise=served, due_on=date(2020, 3, 20))  # not this week
    TrackedProjectFactory(specialist=specialist, enterprise=served, due_on=date(2020, 2, 1), stage=TrackedProject.Stage.PRODUCTION)
    return specialist, reopened


def test_specialist_gets_its_served_firms_problems_and_project_steps(client):
    specialist, reopened = specialist_fixture()
    todos = home(client, specialist.user).context["todos"]
    assert [(item.kind.key, item.urgency) for item in todos] == [
        ("specialists.projects", "overdue"),
        ("specialists.visits", "week"),  # its firm, not visited this week: due by Sunday
        ("specialists.raised", "new"),
        ("specialists.raised", "new"),
    ]
    assert "环评批复" in str(todos[0].label)
    assert todos[1].url == reverse("specialists:visit-new") + f"?enterprise={reopened.enterprise_id}"
    # oldest first: the problem raised on Tuesday, then the one the firm reopened
    assert todos[3].url == reopened.get_absolute_url()
    assert f"#{reopened.pk}" in str(todos[3].label) and f"#{reopened.pk}" not in str(todos[2].label)


# --- enterprise -----------------------------------------------------------------------------------------


def enterprise_fixture(size=1):
    firm = EnterpriseFactory()
    ApprovedRequestFactory(enterprise=firm, submitted_at=at(date(2020, 2, 12)), approved_at=at(date(2020, 2, 13)))
    returned = ResumptionRequestFactory(enterprise=EnterpriseFactory(), status=ResumptionStatus.RETURNED)  # another firm's
    user = enterprise_user(firm)
    author = district_user()
    for _n in range(size):
        Problem.objects.create(enterprise=firm, raised_by=author, category="funds", description="缺口罩", status=Problem.Status.ANSWERED,
                               agency=AgencyFactory(), deadline=date(2020, 2, 28), answered_at=at(date(2020, 2, 21)))
    Problem.objects.create(enterprise=returned.enterprise, raised_by=author, category="funds", description="x", status=Problem.Status.RESOLVED)
    ClaimFactory(trip__enterprise=firm, status=SubsidyClaim.Status.RETURNED, review_comment="发票不清晰")
    ClaimFactory(trip__enterprise=firm, status=SubsidyClaim.Status.SUBMITTED)  # with the township
    return user


def test_firm_files_its_report_and_confirms_and_corrects_its_own(client):
    user = enterprise_fixture()
    todos = home(client, user).context["todos"]
    assert [(item.kind.key, item.urgency) for item in todos] == [
        ("enterprises.report", "today"),
        ("specialists.confirm", "new"),
        ("subsidies.returned", "new"),
    ]
    assert todos[0].url == reverse("enterprises:report-new")
    assert todos[2].url.endswith("/edit/") and todos[2].hint == "发票不清晰"
    DailyReportFactory(enterprise=user.enterprise, date=date(2020, 2, 24))
    assert [item.kind.key for item in home(client, user).context["todos"]] == ["specialists.confirm", "subsidies.returned"]


def test_a_returned_request_goes_back_to_the_firm_to_correct(client):
    firm = EnterpriseFactory()
    request = ResumptionRequestFactory(enterprise=firm, status=ResumptionStatus.RETURNED, return_reason="缺少疫情防控方案")
    todos = home(client, enterprise_user(firm)).context["todos"]
    assert [(item.url, item.hint) for item in todos] == [(reverse("enterprises:request-edit", args=[request.pk]), "缺少疫情防控方案")]


# --- the page ---------------------------------------------------------------------------------------------


def test_the_markup_contract(client):
    town, _claim = township_fixture()
    html = home(client, township_user(town)).content.decode()
    assert '<section id="todo"' in html and '<ol class="todo-list' in html
    assert html.count('class="todo-item') == 6
    for value in ("overdue", "today", "week", "new"):
        assert f'data-urgency="{value}"' in html


def test_an_empty_list_says_there_is_nothing_to_do(client):
    html = home(client, township_user()).content.decode()
    assert 'class="todo-item' not in html and "todo-empty" in html


def _count(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "build",
    [
        lambda size: township_user(township_fixture(size)[0]),
        lambda size: (district_fixture(size), district_user())[1],
        lambda size: agency_user(agency_fixture(size)),
        lambda size: specialist_fixture(size)[0].user,
        lambda size: enterprise_fixture(size),
    ],
    ids=["township", "district", "agency", "specialist", "enterprise"],
)
def test_the_home_page_runs_a_fixed_number_of_queries(client, build):
    few = _count(client, build(1))
    many = _count(client, build(7))
    assert few == many
