"""Admin pages open for every model; API lists run a fixed number of queries whatever their size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from specialists import services
from specialists.models import Problem
from tests.factories import district_user

from .factories import TrackedProjectFactory, VisitFactory, raised_problem

pytestmark = pytest.mark.django_db


def grow(n):
    for _ in range(n):
        problem, specialist = raised_problem()
        specialist.domains.add(*specialist.domains.model.objects.all()[:2])
        specialist.townships.add(problem.enterprise.township)
        VisitFactory(specialist=specialist, enterprise=problem.enterprise)
        TrackedProjectFactory(specialist=specialist, enterprise=problem.enterprise)
        services.escalate(problem, specialist.user)


@pytest.mark.parametrize("url", ["/api/v1/problems/", "/api/v1/visits/", "/api/v1/tracked-projects/", "/api/v1/specialist-assignments/",
                                 "/api/v1/specialists/"])
def test_api_lists_run_the_same_number_of_queries_at_two_sizes(url):
    client = APIClient()
    client.force_authenticate(district_user())
    grow(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(6)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_admin_pages_open_and_actions_go_through_the_services(client):
    admin = district_user(is_superuser=True, is_staff=True)
    client.force_login(admin)
    problem, _specialist = raised_problem()
    for model in ("specialist", "assignment", "visit", "trackedproject", "problem", "deadlinerule", "servicedomain"):
        assert client.get(reverse(f"admin:specialists_{model}_changelist")).status_code == 200
    assert client.get(reverse("admin:specialists_problem_change", args=[problem.pk])).status_code == 200
    response = client.post(
        reverse("admin:specialists_problem_changelist"), {"action": "escalate_selected", "_selected_action": [problem.pk]}
    )
    assert response.status_code == 302
    assert Problem.objects.get(pk=problem.pk).status == "escalated"
    # a refused action (already escalated) changes nothing and is reported
    client.post(reverse("admin:specialists_problem_changelist"), {"action": "escalate_selected", "_selected_action": [problem.pk]})
    assert Problem.objects.get(pk=problem.pk).status == "escalated"
