"""No dead ends for specialists, the district office and agencies: "save and log another visit" keeps the day,
the mode and (when the form was opened for a firm) the firm; after the district office's triage and an agency's
answer the next problem of the same queue opens; refusals answer as before."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fuyang_portal import clock
from specialists import services
from specialists.models import Problem, Visit
from tests.factories import AgencyFactory, EnterpriseFactory, agency_user, district_user, enterprise_user, township_user

from .factories import AssignmentFactory, SpecialistFactory, raised_problem

pytestmark = pytest.mark.django_db

NEW_VISIT = reverse("specialists:visit-new")


def action(problem, slug):
    return reverse("specialists:problem-action", args=[problem.pk, slug])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- log another visit --------------------------------------------------------------------------------------


@pytest.fixture
def round_of_firms():
    specialist = SpecialistFactory()
    firms = [EnterpriseFactory() for _ in range(2)]
    for firm in firms:
        AssignmentFactory(specialist=specialist, enterprise=firm)
    return specialist, firms


def visit_data(firm, **extra):
    return {"enterprise": firm.pk, "visited_on": "2020-02-21", "mode": "phone", "notes": "走访", **extra}


def test_the_visit_form_offers_save_and_log_another(client, round_of_firms):
    specialist, _firms = round_of_firms
    client.force_login(specialist.user)
    page = client.get(NEW_VISIT).content.decode()
    assert 'name="another"' in page


def test_save_and_log_another_keeps_the_day_and_mode_for_the_next_firm(client, round_of_firms):
    specialist, (first, second) = round_of_firms
    client.force_login(specialist.user)
    response = client.post(NEW_VISIT, {**visit_data(first), "another": "1"})
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert target.path == NEW_VISIT
    assert parse_qs(target.query) == {"visited_on": ["2020-02-21"], "mode": ["phone"]}  # the next firm is chosen anew
    assert Visit.objects.filter(enterprise=first, visited_on=datetime.date(2020, 2, 21)).count() == 1
    assert first.name in messages_of(response)[-1]
    form = client.get(response["Location"]).context["form"]
    assert str(form["visited_on"].value()) == "2020-02-21" and form["mode"].value() == "phone"
    assert not form["enterprise"].value()
    # The next one is saved the ordinary way: to the visit's page.
    response = client.post(response["Location"], visit_data(second))
    assert response["Location"] == Visit.objects.get(enterprise=second).get_absolute_url()


def test_opened_for_a_firm_the_firm_stays_preselected(client, round_of_firms):
    specialist, (first, _second) = round_of_firms
    client.force_login(specialist.user)
    response = client.post(f"{NEW_VISIT}?enterprise={first.pk}", {**visit_data(first), "another": "1"})
    assert parse_qs(urlparse(response["Location"]).query)["enterprise"] == [str(first.pk)]
    form = client.get(response["Location"]).context["form"]
    assert str(form["enterprise"].value()) == str(first.pk)


def test_the_visit_form_runs_a_fixed_number_of_queries(client, round_of_firms):
    specialist, (first, _second) = round_of_firms
    client.force_login(specialist.user)
    url = f"{NEW_VISIT}?enterprise={first.pk}&visited_on=2020-02-21&mode=phone"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for _ in range(6):
        AssignmentFactory(specialist=specialist, enterprise=EnterpriseFactory())
    assert count() == few


def test_an_invalid_visit_with_log_another_saves_nothing(client, round_of_firms):
    specialist, (first, _second) = round_of_firms
    client.force_login(specialist.user)
    response = client.post(NEW_VISIT, {**visit_data(first), "problem1_category": "supplies", "another": "1"})
    assert response.status_code == 200 and "problem1_description" in response.context["form"].errors
    stranger = EnterpriseFactory()
    response = client.post(NEW_VISIT, {**visit_data(stranger), "another": "1"})
    assert response.status_code == 200 and "enterprise" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_only_a_serving_specialist_logs_visits(client, round_of_firms):
    _specialist, (first, _second) = round_of_firms
    for user in (township_user(first.township), enterprise_user(first), district_user()):
        client.force_login(user)
        assert client.post(NEW_VISIT, {**visit_data(first), "another": "1"}).status_code == 403
    assert not Visit.objects.exists()


# --- the district office's triage: next escalation --------------------------------------------------------


def escalations(n):
    """``n`` escalated problems, oldest first."""
    district = district_user()
    found = []
    for i in range(n):
        problem, _specialist = raised_problem()
        with clock.at(timezone.now() - datetime.timedelta(hours=n - i)):
            services.escalate(problem, district, "需区里协调")
        found.append(problem)
    return found


def test_after_assigning_the_next_escalation_opens_then_the_empty_queue(client):
    first, second = escalations(2)
    agency = AgencyFactory()
    client.force_login(district_user())
    response = client.post(action(first, "assign"), {"agency": agency.pk, "deadline": "", "comment": ""})
    assert response.status_code == 302 and response["Location"] == second.get_absolute_url()
    said = " ".join(messages_of(response))
    assert f"#{first.pk}" in said and f"#{second.pk}" in said
    response = client.post(action(second, "assign"), {"agency": agency.pk, "deadline": "", "comment": ""})
    assert response["Location"] == reverse("specialists:queue")
    assert set(Problem.objects.values_list("status", flat=True)) == {"assigned"}


def test_an_extension_request_is_next_in_the_district_queue(client):
    first, = escalations(1)
    agency = AgencyFactory()
    extended, = escalations(1)
    services.assign(extended, district_user(), agency)
    services.request_extension(extended, agency_user(agency), 2, "需要会商")
    client.force_login(district_user())
    response = client.post(action(first, "assign"), {"agency": agency.pk, "deadline": "", "comment": ""})
    assert response["Location"] == extended.get_absolute_url()
    response = client.post(action(extended, "decide-extension"), {"decision": "grant", "comment": ""})
    assert response["Location"] == reverse("specialists:queue")


def test_the_next_escalation_costs_the_same_queries_whatever_the_queue_length(client):
    agency = AgencyFactory()
    client.force_login(district_user())

    def assign_first(problems):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(action(problems[0], "assign"), {"agency": agency.pk, "deadline": "", "comment": ""})
        assert response["Location"] == problems[1].get_absolute_url()
        return len(queries)

    few = assign_first(escalations(2))
    many = assign_first(escalations(8))
    assert many == few


# --- the agency's answer: next assignment -----------------------------------------------------------------


def assignments(agency, n):
    district = district_user()
    found = []
    for i in range(n):
        problem, _specialist = raised_problem()
        services.escalate(problem, district)
        services.assign(problem, district, agency, deadline=timezone.localdate() + datetime.timedelta(days=3 + i))
        found.append(problem)
    return found


def test_after_answering_the_next_assignment_opens_then_the_empty_queue(client):
    agency = AgencyFactory()
    first, second = assignments(agency, 2)
    assignments(AgencyFactory(), 1)  # another agency's: never offered
    clerk = agency_user(agency)
    client.force_login(clerk)
    # Accepting is not the end of the work on a problem: back to it, to answer.
    response = client.post(action(first, "accept"), {"text": ""})
    assert response["Location"] == first.get_absolute_url()
    response = client.post(action(first, "answer"), {"text": "已协调供电公司"})
    assert response["Location"] == second.get_absolute_url()
    assert f"#{first.pk}" in " ".join(messages_of(response))
    client.post(action(second, "accept"), {"text": ""})
    response = client.post(action(second, "answer"), {"text": "已办结"})
    assert response["Location"] == reverse("specialists:queue")


def test_refusals_of_the_queue_actions_answer_as_before(client):
    agency = AgencyFactory()
    problem, = assignments(agency, 1)
    client.force_login(agency_user(AgencyFactory()))
    assert client.post(action(problem, "answer"), {"text": "x"}).status_code == 404
    client.force_login(township_user(problem.enterprise.township))
    assert client.post(action(problem, "answer"), {"text": "x"}).status_code == 403
    client.force_login(agency_user(agency))
    # Wrong state: not accepted yet. The refusal is shown on the form and nothing changes.
    response = client.post(action(problem, "answer"), {"text": "x"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Problem.objects.get(pk=problem.pk).status == "assigned"
    client.force_login(enterprise_user(problem.enterprise))
    assert client.post(action(problem, "assign"), {"agency": agency.pk}).status_code == 403
    escalated, = escalations(1)
    client.force_login(agency_user(agency))
    assert client.post(action(escalated, "assign"), {"agency": agency.pk}).status_code == 404
    assert Problem.objects.get(pk=escalated.pk).status == "escalated"
